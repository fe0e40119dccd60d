"""Report rendering: escaping, the same figures in HTML and text, columns that add up."""

import re
from datetime import date
from decimal import Decimal
from typing import Any

from leadline.economics.money import cents
from leadline.reporting.build import ContractorReport
from leadline.reporting.costs import CostLine
from leadline.reporting.delivery import render_contractor_report
from leadline.reporting.display import percent, seconds, short_date, usd_column
from leadline.reporting.figures import AnswerSettings, period_figures
from leadline.reporting.periods import local_day, month_to_date

DAY = date(2026, 12, 3)
HOSTILE_NAME = 'Roof <script>alert("x")</script> & Co'


def flat_line(amount: str) -> CostLine:
    return CostLine("flat-a", "roofing", "flat_monthly", 0, Decimal(amount), None, False)


def won_form(lead_id: str, received_at: str, service_type: str, revenue: str) -> dict[str, Any]:
    return {
        "lead_id": lead_id,
        "channel": "form",
        "received_at": received_at,
        "billable": True,
        "billing_rule": "billable",
        "outcome": {
            "appointment_booked": True,
            "job_won": True,
            "revenue": Decimal(revenue),
            "gross_profit": None,
            "service_type": service_type,
        },
    }


def hostile_report() -> ContractorReport:
    day_window = local_day(DAY, "America/Chicago")
    month_window = month_to_date(DAY, "America/Chicago")
    leads = [
        won_form("form-1", "2026-12-03T15:00:00.000Z", "<b>roof</b>", "1000.00"),
        won_form("form-2", "2026-12-03T16:00:00.000Z", "gutters", "333.33"),
    ]
    margins = {"<b>roof</b>": Decimal("0.333"), "gutters": Decimal("0.333")}
    # Three flat contracts of a third of a cent each way: the lines must still add up.
    lines = [flat_line("10.005"), flat_line("10.005"), flat_line("10.005")]
    answer = AnswerSettings()
    return ContractorReport(
        contractor_id="hostile",
        name=HOSTILE_NAME,
        email="owner@hostile.example",
        time_zone="America/Chicago",
        agency_name="Agency <i>",
        report_date=DAY,
        answer=answer,
        day=period_figures(day_window, leads, answer=answer, default_margins=margins, cost_lines=lines),
        month=period_figures(month_window, leads, answer=answer, default_margins=margins, cost_lines=lines),
    )


def test_html_escapes_stored_text() -> None:
    html = render_contractor_report(hostile_report()).html
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in html
    assert "&lt;b&gt;roof&lt;/b&gt;" in html
    assert "Agency &lt;i&gt;" in html


def test_html_is_one_fluid_column_without_scripts() -> None:
    html = render_contractor_report(hostile_report()).html
    assert "max-width:640px" in html
    assert 'name="viewport"' in html
    assert "<script" not in html.lower()
    assert "<style" not in html.lower()
    assert max(len(line) for line in html.splitlines()) < 1000


def test_text_and_html_show_same_amounts() -> None:
    email = render_contractor_report(hostile_report())
    amounts_in_text = set(re.findall(r"\$[\d,]+\.\d\d", email.text))
    amounts_in_html = set(re.findall(r"\$[\d,]+\.\d\d", email.html))
    assert amounts_in_text == amounts_in_html


def test_cost_lines_add_up_to_total() -> None:
    text = render_contractor_report(hostile_report()).text
    # 3 x $10.005 = $30.015, shown as $30.02; the lines are $10.01, $10.01 and $10.00.
    assert "$30.02" in text
    assert text.count("$10.01") == 4
    assert text.count("$10.00") == 2


def test_usd_column_adds_up() -> None:
    cells, total = usd_column([Decimal("1") / 3] * 3)
    assert cells == ["$0.34", "$0.33", "$0.33"]
    assert total == "$1.00"


def test_usd_column_with_negative_rounds_each() -> None:
    cells, total = usd_column([Decimal("-5.005"), Decimal("10.00")])
    assert cells == ["-$5.01", "$10.00"]
    assert total == "$5.00"


def test_gross_profit_columns_add_up() -> None:
    report = hostile_report()
    # 1000.00 x 0.333 = 333.00 and 333.33 x 0.333 = 110.99889.
    assert cents(report.day.gross_profit) == Decimal("444.00")
    text = render_contractor_report(report).text
    assert "$333.00" in text
    assert "$111.00" in text
    assert "$444.00" in text


def test_formats() -> None:
    assert percent(Decimal("0.4")) == "40%"
    assert percent(Decimal("0.125")) == "12.5%"
    assert percent(None) == "—"
    assert seconds(Decimal("15.25")) == "15.3 s"
    assert short_date(date(2026, 12, 3)) == "Thu Dec 3"
