"""Inbound calls: the Twilio voice webhooks behind every tracking number.

A call flows through these webhooks, each under ``/twilio/voice`` (see ``paths``):

1. ``/twilio/voice``: the called number picks the trade, the site and a fixed ZIP, or a
   ``<Gather>`` for the caller's ZIP (``/zip``, then ``/zip/retry``, then the number's default).
   The route item names the owner and carries their dial settings, so routing takes one read.
   The lead is written, keyed by CallSid, before the TwiML is returned.
2. The contractor's leg runs ``/whisper``, and a key press on ``/whisper/accept`` accepts the lead.
   ``/status`` receives that leg's ringing, answered and completed events.
3. ``/dial-result`` decides answered or missed. A missed call gets a voicemail prompt
   (``/voicemail``, ``/recording``) and SMS to the contractor.

Every response is TwiML. Domain code here raises ``leadline.calls.errors`` exceptions, and the
handler in ``functions/inbound_call`` maps them to TwiML answers.
"""
