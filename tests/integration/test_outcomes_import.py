"""leadline outcomes import: validate every row first, write nothing on errors, idempotent."""

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from leadline.cli import main
from leadline.storage import leads
from leadline.storage.outcomes import outcome_history
from tests.support.leads import call_lead, form_lead, store

Capture = pytest.CaptureFixture[str]

HEADER = "lead_id,appointment_booked,appointment_at,job_won,revenue,gross_profit,service_type\n"
GOOD_ROWS = (
    'CA100,yes,2026-12-07T14:00:00-06:00,yes,"$12,400.00",4100.00,Roof Replacement\n'
    "CA101,yes,2026-12-08T09:30:00-06:00,,,,roof_repair\n"
    "form-200,no,,,,,\n"
)


@pytest.fixture
def stored_leads(applied_example: Any) -> None:
    store(
        call_lead("CA100"),
        call_lead("CA101", caller_phone="+12145550188"),
        form_lead("form-200"),
        call_lead("CA300", contractor_id=leads.UNASSIGNED, contract_id=None, zip_code="77002"),
    )


def write_csv(tmp_path: Path, text: str, name: str = "outcomes.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_import(path: Path, *options: str) -> int:
    return main(["outcomes", "import", str(path), *options])


def snapshot(lead_id: str) -> Any:
    lead = leads.get_lead(lead_id, consistent=True)
    assert lead is not None
    return lead.get("outcome")


def test_good_file_is_recorded(stored_leads: None, tmp_path: Path, capsys: Capture) -> None:
    path = write_csv(tmp_path, HEADER + GOOD_ROWS)
    assert run_import(path) == 0
    assert capsys.readouterr().out.strip() == f"Imported {path}: 3 outcome(s) recorded, 0 unchanged."
    won = snapshot("CA100")
    assert won["revenue"] == Decimal("12400.00")
    assert won["gross_profit"] == Decimal("4100.00")
    assert won["service_type"] == "roof_replacement"
    assert won["appointment_at"] == "2026-12-07T20:00:00.000Z"
    assert won["source"] == "csv"
    assert snapshot("CA101")["job_won"] is None
    assert snapshot("form-200")["appointment_booked"] is False


def test_excel_byte_order_mark_is_accepted(stored_leads: None, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(("\ufeff" + HEADER + GOOD_ROWS).replace("\n", "\r\n").encode("utf-8"))
    assert run_import(path) == 0
    assert snapshot("CA100")["revenue"] == Decimal("12400.00")


def test_optional_columns_may_be_left_out(stored_leads: None, tmp_path: Path) -> None:
    path = write_csv(tmp_path, "lead_id,appointment_booked\nCA100,true\n")
    assert run_import(path) == 0
    assert snapshot("CA100")["appointment_booked"] is True


def test_dry_run_writes_nothing(stored_leads: None, tmp_path: Path, capsys: Capture) -> None:
    path = write_csv(tmp_path, HEADER + GOOD_ROWS)
    assert run_import(path, "--dry-run") == 0
    output = capsys.readouterr().out
    assert "3 row(s), 3 would be recorded, 0 unchanged. Dry run: nothing was written." in output
    assert snapshot("CA100") is None
    assert outcome_history("CA100") == []


def test_bad_file_writes_nothing(stored_leads: None, tmp_path: Path, capsys: Capture) -> None:
    rows = (
        GOOD_ROWS
        + "CA999,yes,,,,,\n"
        + "CA100,maybe,,,,,\n"
        + "CA101,yes,,yes,12.345,,\n"
        + "CA300,no,,,,,\n"
        + ",yes,,,,,\n"
    )
    path = write_csv(tmp_path, HEADER + rows)
    assert run_import(path) == 2
    errors = capsys.readouterr().err.splitlines()
    assert errors[0] == f"error: {path} is invalid; nothing was written:"
    assert errors[1:] == [
        f"  {path}:5: lead_id: lead 'CA999' not found; copy the id from the lead's SMS or email",
        f"  {path}:6: lead_id: lead 'CA100' is also on line 2; keep one row per lead",
        f"  {path}:7: lead_id: lead 'CA101' is also on line 3; keep one row per lead",
        f"  {path}:8: lead_id: lead 'CA300' is unassigned, so no contractor reports outcomes for it; "
        "remove the row",
        f"  {path}:9: lead_id: missing; copy the id from the lead's SMS or email",
    ]
    for lead_id in ("CA100", "CA101", "form-200"):
        assert snapshot(lead_id) is None
        assert outcome_history(lead_id) == []


def test_bad_values_name_line_and_column(stored_leads: None, tmp_path: Path, capsys: Capture) -> None:
    rows = (
        "CA100,maybe,,,,,\n"
        "CA101,yes,2026-12-08 09:30,yes,12.345,,\n"
        "form-200,no,,no,500.00,,\n"
    )
    path = write_csv(tmp_path, HEADER + rows)
    assert run_import(path) == 2
    errors = capsys.readouterr().err.splitlines()[1:]
    assert errors == [
        f"  {path}:2: appointment_booked: 'maybe' is not yes or no; write yes, no, true, false, 1 or 0",
        f'  {path}:3: appointment_at: needs a UTC offset, e.g. "2026-12-07T14:00:00-06:00" or a trailing Z',
        f"  {path}:3: revenue: amount '12.345' has fractions of a cent; round it to 2 places",
        f"  {path}:4: revenue: set only when job_won is true; leave it empty otherwise",
    ]


def test_unknown_column_is_rejected(stored_leads: None, tmp_path: Path, capsys: Capture) -> None:
    path = write_csv(tmp_path, "lead_id,appointment_booked,gross_proft\nCA100,yes,100\n")
    assert run_import(path) == 2
    error = capsys.readouterr().err
    assert f"{path}:1: unknown column(s) 'gross_proft'; use only: lead_id, appointment_booked" in error
    assert snapshot("CA100") is None


def test_missing_column_is_rejected(stored_leads: None, tmp_path: Path, capsys: Capture) -> None:
    path = write_csv(tmp_path, "lead_id,job_won\nCA100,yes\n")
    assert run_import(path) == 2
    expected = f"{path}:1: missing column(s) appointment_booked; add them to the header row"
    assert expected in capsys.readouterr().err


def test_extra_value_in_row_is_rejected(stored_leads: None, tmp_path: Path, capsys: Capture) -> None:
    path = write_csv(tmp_path, "lead_id,appointment_booked\nCA100,yes,oops\n")
    assert run_import(path) == 2
    assert f"{path}:2: row: 1 value(s) more than the header has columns" in capsys.readouterr().err


def test_empty_file_is_rejected(stored_leads: None, tmp_path: Path, capsys: Capture) -> None:
    assert run_import(write_csv(tmp_path, "")) == 2
    assert "the file is empty" in capsys.readouterr().err


def test_header_only_is_rejected(stored_leads: None, tmp_path: Path, capsys: Capture) -> None:
    assert run_import(write_csv(tmp_path, HEADER)) == 2
    assert "no rows after the header" in capsys.readouterr().err


def test_missing_file_is_reported(stored_leads: None, tmp_path: Path, capsys: Capture) -> None:
    assert run_import(tmp_path / "absent.csv") == 2
    assert "cannot read the file" in capsys.readouterr().err


def test_reimport_is_idempotent(stored_leads: None, tmp_path: Path, capsys: Capture) -> None:
    path = write_csv(tmp_path, HEADER + GOOD_ROWS)
    assert run_import(path) == 0
    first_recorded_at = snapshot("CA100")["recorded_at"]
    capsys.readouterr()

    assert run_import(path) == 0
    assert capsys.readouterr().out.strip() == f"Imported {path}: 0 outcome(s) recorded, 3 unchanged."
    assert len(outcome_history("CA100")) == 1
    assert snapshot("CA100")["recorded_at"] == first_recorded_at


def test_changed_row_adds_history(stored_leads: None, tmp_path: Path, capsys: Capture) -> None:
    assert run_import(write_csv(tmp_path, HEADER + GOOD_ROWS)) == 0
    won_later = HEADER + "CA101,yes,2026-12-08T09:30:00-06:00,yes,980.00,,roof_repair\n"
    path = write_csv(tmp_path, won_later, name="later.csv")
    capsys.readouterr()
    assert run_import(path) == 0
    assert capsys.readouterr().out.strip() == f"Imported {path}: 1 outcome(s) recorded, 0 unchanged."
    history = outcome_history("CA101")
    assert [item["job_won"] for item in history] == [None, True]
    assert snapshot("CA101")["revenue"] == Decimal("980.00")
