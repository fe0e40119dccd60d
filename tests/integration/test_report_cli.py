"""``leadline report``: the same reports written to files, with nothing sent and no markers."""

from pathlib import Path
from typing import Any

import pytest

from leadline.cli import main
from leadline.local.exports import sent_raw_emails
from tests.support.report_data import lone_star_december, store, unowned_demand


def marker_count(client: Any) -> int:
    return int(client.scan(TableName="ReportRunsTable", Select="COUNT")["Count"])


def test_report_writes_files_and_sends_nothing(
    report_queue: Any, aws: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store(lone_star_december() + unowned_demand())

    assert main(["report", "--date", "2026-12-03", "--out", str(tmp_path)]) == 0

    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == sorted(
        f"{stem}-2026-12-03.{suffix}"
        for stem in ("agency", "bay-state-hvac", "cactus-plumbing", "cowtown-roofing", "lone-star-roofing")
        for suffix in ("html", "txt")
    )
    lone_star = (tmp_path / "lone-star-roofing-2026-12-03.txt").read_text(encoding="utf-8")
    assert lone_star.startswith(
        "Subject: Lone Star Roofing & Gutters — leads for Thu Dec 3: 7 calls, 1 form, $175.20 cost"
    )
    assert "Lone Star Roofing &amp; Gutters" in (tmp_path / "lone-star-roofing-2026-12-03.html").read_text(
        encoding="utf-8"
    )
    agency = (tmp_path / "agency-2026-12-03.txt").read_text(encoding="utf-8")
    assert "Rendered, not sent" in agency
    assert "Roofing · ZIP 77002" in agency
    assert sent_raw_emails() == []
    assert marker_count(aws) == 0
    assert "nothing was sent" in capsys.readouterr().out


def test_report_for_one_contractor(report_queue: Any, tmp_path: Path) -> None:
    assert (
        main(
            ["report", "--date", "2026-12-03", "--contractor", "front-range-electric", "--out", str(tmp_path)]
        )
        == 0
    )

    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "front-range-electric-2026-12-03.html",
        "front-range-electric-2026-12-03.txt",
    ]


def test_report_unknown_contractor_fails(
    report_queue: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--date", "2026-12-03", "--contractor", "nobody", "--out", str(tmp_path)]) == 2
    assert "contractor 'nobody' not found" in capsys.readouterr().err


def test_report_rejects_bad_date(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["report", "--date", "12/03/2026"])
    assert "use YYYY-MM-DD" in capsys.readouterr().err
