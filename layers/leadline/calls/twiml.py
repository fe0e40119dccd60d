"""TwiML documents of the call flow, built with twilio.twiml.voice_response.

That module took about 12 ms to import on its own (``python -X importtime`` on a 2-vCPU AMD
EPYC). ``twilio.rest`` is loaded only when an SMS is sent. bench/voice_imports.py measures the
whole handler. Every URL is absolute: Twilio resolves a relative one
against the host, which drops the API's stage path.
"""

from twilio.twiml.voice_response import VoiceResponse

from leadline.calls import paths
from leadline.calls.routing import CallPlan
from leadline.calls.settings import CallSettings

CONTENT_TYPE = "text/xml"
ZIP_DIGITS = 5
ZIP_TIMEOUT_SECONDS = 8
WHISPER_TIMEOUT_SECONDS = 8
VOICEMAIL_MAX_SECONDS = 120
# Twilio separates statusCallbackEvent values with spaces.
LEG_EVENTS = "ringing answered completed"

SPOKEN_TRADES = {"hvac": "H V A C"}

RECORDING_DISCLOSURE = "This call may be recorded for quality and training."
VOICEMAIL_PROMPT = (
    "Sorry, nobody could take your call right now. Please leave your name, address and a short "
    "message after the tone, and you will get a call back."
)
AFTER_HOURS_PROMPT = (
    "Thanks for calling {site}. We are closed right now. Please leave your name, address and a "
    "short message after the tone, and you will get a call back."
)
VOICEMAIL_THANKS = "Thank you. Your message has been sent. Goodbye."
UNAVAILABLE = "Sorry, we cannot take your call right now. Please call again in a few minutes."


def spoken_trade(trade: str | None) -> str:
    return SPOKEN_TRADES.get(trade or "", trade or "home service")


def _disclose(response: VoiceResponse, disclose: bool) -> None:
    if disclose:
        response.say(RECORDING_DISCLOSURE)


def route_call(
    plan: CallPlan, settings: CallSettings, *, site: str | None, record: bool, disclose: bool
) -> str:
    """Return TwiML that rings the plan's number with a whisper, or takes a voicemail."""
    response = VoiceResponse()
    _disclose(response, disclose)
    if plan.dial_number is None:
        prompt = AFTER_HOURS_PROMPT.format(site=site) if plan.after_hours and site else VOICEMAIL_PROMPT
        _voicemail(response, prompt, settings)
        return str(response)

    dial_options: dict[str, object] = {}
    if record:
        dial_options = {
            "record": "record-from-answer-dual",
            "recording_status_callback": settings.url(paths.RECORDING),
            "recording_status_callback_method": "POST",
        }
    dial = response.dial(
        answer_on_bridge=True,
        timeout=plan.ring_timeout_seconds,
        action=settings.url(paths.DIAL_RESULT),
        method="POST",
        **dial_options,
    )
    dial.number(
        plan.dial_number,
        url=settings.url(paths.WHISPER),
        method="POST",
        status_callback=settings.url(paths.STATUS),
        status_callback_event=LEG_EVENTS,
        status_callback_method="POST",
    )
    return str(response)


def ask_for_zip(settings: CallSettings, *, site: str | None, retry: bool, disclose: bool) -> str:
    """Return TwiML that gathers a 5-digit ZIP. An empty entry still reaches the action URL."""
    path = paths.ZIP_RETRY if retry else paths.ZIP
    if retry:
        prompt = "Sorry, that was not a 5-digit ZIP code. Please enter the ZIP code of the property."
    else:
        greeting = f"Thanks for calling {site}. " if site else ""
        prompt = f"{greeting}Please enter the 5-digit ZIP code of the property."

    response = VoiceResponse()
    _disclose(response, disclose)
    gather = response.gather(
        input="dtmf",
        num_digits=ZIP_DIGITS,
        timeout=ZIP_TIMEOUT_SECONDS,
        action=settings.url(path),
        method="POST",
        action_on_empty_result=True,
    )
    gather.say(prompt)
    # Reached only if Twilio skips the empty-result request; the action then gets no Digits.
    response.redirect(settings.url(path), method="POST")
    return str(response)


def whisper(settings: CallSettings, text: str) -> str:
    """Return the contractor's whisper: the lead source, then one key press to accept.

    Without a key press the leg hangs up, so a voicemail box never accepts a lead.
    """
    response = VoiceResponse()
    gather = response.gather(
        input="dtmf",
        num_digits=1,
        timeout=WHISPER_TIMEOUT_SECONDS,
        action=settings.url(paths.WHISPER_ACCEPT),
        method="POST",
    )
    gather.say(text, loop=2)
    response.hangup()
    return str(response)


def whisper_text(*, trade: str | None, site: str | None, assigned: bool) -> str:
    kind = "Exclusive" if assigned else "Unassigned"
    source = f" from {site}" if site else ""
    return f"{kind} {spoken_trade(trade)} lead{source}, press 1 to accept."


def voicemail(settings: CallSettings) -> str:
    """Return the voicemail prompt for a homeowner whose call nobody accepted."""
    response = VoiceResponse()
    _voicemail(response, VOICEMAIL_PROMPT, settings)
    return str(response)


def _voicemail(response: VoiceResponse, prompt: str, settings: CallSettings) -> None:
    response.say(prompt)
    response.record(
        max_length=VOICEMAIL_MAX_SECONDS,
        play_beep=True,
        action=settings.url(paths.VOICEMAIL),
        method="POST",
        recording_status_callback=settings.url(paths.RECORDING),
        recording_status_callback_method="POST",
        recording_status_callback_event="completed",
    )


def dial_fallback(number: str | None) -> str:
    """Return TwiML for a call that cannot be stored: ring the agency with no callbacks at all.

    The lead is not in the table, so no whisper, status callback or action URL may refer to it.
    """
    response = VoiceResponse()
    if number:
        response.dial(number, answer_on_bridge=True, timeout=30)
    else:
        response.say(UNAVAILABLE)
        response.hangup()
    return str(response)


def thanks_after_voicemail() -> str:
    response = VoiceResponse()
    response.say(VOICEMAIL_THANKS)
    response.hangup()
    return str(response)


def hang_up() -> str:
    response = VoiceResponse()
    response.hangup()
    return str(response)


def sorry_and_hang_up() -> str:
    response = VoiceResponse()
    response.say(UNAVAILABLE)
    response.hangup()
    return str(response)


def empty() -> str:
    """Return an empty document: it ends a whisper (which connects the call) or acknowledges a callback."""
    return str(VoiceResponse())


def reject() -> str:
    """Return the TwiML for a request that failed signature validation."""
    response = VoiceResponse()
    response.reject()
    return str(response)
