"""Form leads: a homeowner's site form, validated, de-duplicated, routed, stored and notified.

``submit.submit_form`` runs one submit: decode the body (``body``), validate the fields
(``model``), drop duplicates (``dedupe``), route and store the lead, then send the SMS and email
(``notify``). ``http`` turns API Gateway events into requests and results into HTTP responses.
"""
