"""Build one contractor's report: read its month-to-date leads, classify them, compute figures.

Reads are one paginated Query per contractor on the ``ByContractor`` index, over the month to
date (which ends with the report day), so what a run reads follows the month's leads and never
older history. On the last day of a month that is every lead of the month. As an estimate at
about 1 KB per lead, a contractor with 300 leads in the month costs about 38 read request units,
because index queries are eventually consistent and cost half a unit per 4 KB read. The day's
figures come from the subset of those leads received on the day, so the day needs no second read.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from leadline.economics.classify import classify_leads
from leadline.observability import logger
from leadline.reporting.costs import contract_costs
from leadline.reporting.figures import AnswerSettings, PeriodFigures, period_figures
from leadline.reporting.periods import local_day, month_to_date
from leadline.storage.leads import leads_for_contractor


@dataclass(frozen=True)
class ContractorReport:
    contractor_id: str
    name: str
    email: str
    time_zone: str
    agency_name: str
    report_date: date
    answer: AnswerSettings
    day: PeriodFigures
    month: PeriodFigures


def build_contractor_report(
    contractor: dict[str, Any], agency: dict[str, Any], report_date: date
) -> ContractorReport:
    """Classify the contractor's month-to-date leads and compute the day's and the month's figures.

    Classifying stores each new decision on its lead (billable, rule, price), exactly as the
    economics code would at any other time, so building a report twice changes nothing the
    second time.
    """
    contractor_id = str(contractor["contractor_id"])
    time_zone = str(contractor["time_zone"])
    day = local_day(report_date, time_zone)
    month = month_to_date(report_date, time_zone)

    month_leads = classify_leads(contractor, leads_for_contractor(contractor_id, month.start, month.end))
    day_leads = [lead for lead in month_leads if day.contains(lead["received_at"])]
    _warn_unknown_contracts(contractor, month_leads)

    day_costs, month_costs = contract_costs(contractor, day=day, month=month, month_leads=month_leads)
    answer = AnswerSettings.from_agency(agency)
    margins = dict(contractor.get("default_margins") or {})
    return ContractorReport(
        contractor_id=contractor_id,
        name=str(contractor["name"]),
        email=str(contractor["email"]),
        time_zone=time_zone,
        agency_name=str(agency["name"]),
        report_date=report_date,
        answer=answer,
        day=period_figures(day, day_leads, answer=answer, default_margins=margins, cost_lines=day_costs),
        month=period_figures(
            month, month_leads, answer=answer, default_margins=margins, cost_lines=month_costs
        ),
    )


def _warn_unknown_contracts(contractor: dict[str, Any], leads: list[dict[str, Any]]) -> None:
    """Log billable leads whose contract the contractor no longer has, because they are not priced."""
    known = {contract["id"] for contract in contractor.get("contracts", [])}
    orphans = [
        lead["lead_id"]
        for lead in leads
        if lead.get("billable") is True and lead.get("contract_id") not in known
    ]
    if orphans:
        logger.warning(
            "billable leads name an unknown contract and are not priced",
            contractor_id=contractor["contractor_id"],
            lead_count=len(orphans),
            first_lead_id=orphans[0],
        )
