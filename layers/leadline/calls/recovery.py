"""Recovery of leads from the fallback queue into LeadsTable.

The write is conditional like the voice webhook's: a lead that is already stored (a duplicate
message, or a retry that succeeded meanwhile) is left alone, so a message can be processed
any number of times. A placeholder written before a ZIP step that then failed is replaced.
"""

from leadline.observability import logger, metrics
from leadline.storage import call_leads, lead_queue


def recover_lead(message_body: str) -> bool:
    """Write a queued lead. Returns False when it was already stored; raises botocore errors."""
    lead = lead_queue.decode_lead(message_body)
    outcome = call_leads.store_over_placeholder(lead)
    if not outcome.written:
        logger.info("queued lead already stored", lead_id=lead["lead_id"])
        return False
    logger.info("queued lead recovered", lead_id=lead["lead_id"])
    metrics.add_metric(name="LeadRecovered", unit="Count", value=1)
    return True
