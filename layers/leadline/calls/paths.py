"""URL paths of the Twilio webhooks, appended to PUBLIC_BASE_URL for TwiML and signatures.

template.yaml declares each path as an Api event of InboundCallFunction. No URL carries a
query string: every request is matched to its lead by CallSid or ParentCallSid.
"""

VOICE = "/twilio/voice"
ZIP = "/twilio/voice/zip"
ZIP_RETRY = "/twilio/voice/zip/retry"
WHISPER = "/twilio/voice/whisper"
WHISPER_ACCEPT = "/twilio/voice/whisper/accept"
DIAL_RESULT = "/twilio/voice/dial-result"
STATUS = "/twilio/voice/status"
VOICEMAIL = "/twilio/voice/voicemail"
RECORDING = "/twilio/voice/recording"
# The number's "primary handler fails" URL in the Twilio console: Twilio requests it when the
# voice URL returns an error or times out.
FALLBACK = "/twilio/voice/fallback"

ALL = (VOICE, ZIP, ZIP_RETRY, WHISPER, WHISPER_ACCEPT, DIAL_RESULT, STATUS, VOICEMAIL, RECORDING, FALLBACK)

# Requests that route a call: after an unexpected error they still dial the agency and queue the lead.
ROUTING = frozenset({VOICE, ZIP, ZIP_RETRY, FALLBACK})

# Requests that the caller waits on. An unexpected error on these still returns 200 with TwiML
# that ends the call politely, because Twilio treats a 5xx as an application error.
CALLER_FACING = frozenset({VOICE, ZIP, ZIP_RETRY, DIAL_RESULT, VOICEMAIL, FALLBACK})
