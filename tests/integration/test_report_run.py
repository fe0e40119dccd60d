"""The nightly run through its real handlers: scheduler -> queue -> worker -> SES (all moto).

Each test starts a run for Thursday 2026-12-03 at 06:30 Chicago time, drains the report queue
into the worker as Lambda's event source mapping would, and reads what SES accepted.
"""

import json
from email import message_from_string
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from botocore.exceptions import ClientError

from leadline.local.exports import sent_raw_emails
from leadline.local.gateway import LambdaContext, load_handler
from leadline.local.queues import event_source
from leadline.local.replay import STEPS
from leadline.local.replay.report import replay_nightly_report
from leadline.local.sqs_source import drain_queue
from leadline.local.template import environment_references
from leadline.reporting import delivery
from leadline.reporting.queue import ContractorReportMessage
from leadline.storage import report_runs
from tests.conftest import PROJECT_ROOT
from tests.support.report_data import lone_star_december, store, unowned_demand

SCHEDULED = {"scheduled_time": "2026-12-04T12:30:00Z"}
ACTIVE = {
    "lone-star-roofing": "office@lonestarroofing.example",
    "cowtown-roofing": "leads@cowtownroofing.example",
    "bay-state-hvac": "dispatch@baystatehvac.example",
    "cactus-plumbing": "office@cactusplumbing.example",
}
OPERATOR = "ops@porchlight-leads.example"


def run_nightly(event: dict[str, Any]) -> dict[str, Any]:
    handler = load_handler(PROJECT_ROOT / "functions" / "nightly_report", "app.lambda_handler")
    return handler(event, LambdaContext("NightlyReportFunction"))


def drain(sqs: Any) -> None:
    drain_queue(sqs, "ReportWorkerFunction")


def sent_emails() -> list[EmailMessage]:
    return [message_from_string(raw, policy=default) for raw in sent_raw_emails()]  # type: ignore[misc]


def recipients(emails: list[EmailMessage]) -> list[str]:
    return sorted(str(email["To"]) for email in emails)


def text_part(email: EmailMessage) -> str:
    part = email.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def summary_text() -> str:
    summaries = [email for email in sent_emails() if str(email["To"]) == OPERATOR]
    assert len(summaries) == 1
    return text_part(summaries[0])


def metric_values(output: str, name: str) -> list[float]:
    """Return every value of ``name`` in the CloudWatch EMF lines Powertools printed."""
    values: list[float] = []
    for line in output.splitlines():
        if '"_aws"' not in line:
            continue
        value = json.loads(line).get(name)
        if value is not None:
            values += value if isinstance(value, list) else [value]
    return values


def test_run_queues_each_active_contractor(report_queue: Any) -> None:
    result = run_nightly(SCHEDULED)

    assert result == {"run_date": "2026-12-03", "contractors_queued": 4, "paused": 1}
    run = report_runs.get_marker(report_runs.AGENCY_KEY, "2026-12-03")
    assert run is not None
    assert run["expected"] == dict.fromkeys(ACTIVE, "2026-12-03")
    assert run["paused"] == ["front-range-electric"]


def test_report_date_follows_each_time_zone(report_queue: Any) -> None:
    # 05:30Z on Dec 4 is 23:30 on Dec 3 in Chicago, 00:30 on Dec 4 in New York, 22:30 in Phoenix.
    run_nightly({"scheduled_time": "2026-12-04T05:30:00Z"})

    run = report_runs.get_marker(report_runs.AGENCY_KEY, "2026-12-02")
    assert run is not None
    assert run["expected"]["lone-star-roofing"] == "2026-12-02"
    assert run["expected"]["bay-state-hvac"] == "2026-12-03"
    assert run["expected"]["cactus-plumbing"] == "2026-12-02"


def test_run_sends_one_email_each(report_queue: Any) -> None:
    store(lone_star_december())

    run_nightly(SCHEDULED)
    drain(report_queue)

    emails = sent_emails()
    assert recipients(emails) == sorted([*ACTIVE.values(), OPERATOR])
    lone_star = next(email for email in emails if str(email["To"]) == ACTIVE["lone-star-roofing"])
    assert str(lone_star["Subject"]) == (
        "Lone Star Roofing & Gutters — leads for Thu Dec 3: "
        "7 calls, 1 form, $175.20 cost, $4,480.00 gross profit"
    )
    assert str(lone_star["From"]) == "reports@porchlight-leads.example"
    assert lone_star.get_body(preferencelist=("html",)) is not None
    for contractor_id in ACTIVE:
        marker = report_runs.get_marker(contractor_id, "2026-12-03")
        assert marker is not None
        assert marker["status"] == report_runs.SENT


def test_second_run_sends_nothing(report_queue: Any) -> None:
    run_nightly(SCHEDULED)
    drain(report_queue)
    run_nightly(SCHEDULED)
    drain(report_queue)

    assert len(sent_emails()) == len(ACTIVE) + 1


def test_redelivered_message_sends_nothing(report_queue: Any) -> None:
    run_nightly(SCHEDULED)
    drain(report_queue)
    message = ContractorReportMessage(
        contractor_id="lone-star-roofing",
        report_date="2026-12-03",
        run_date="2026-12-03",  # type: ignore[arg-type]
    )
    worker = load_handler(PROJECT_ROOT / "functions" / "report_worker", "app.lambda_handler")
    event = {
        "Records": [
            {
                "messageId": "m-1",
                "receiptHandle": "r-1",
                "body": message.model_dump_json(),
                "attributes": {},
                "messageAttributes": {},
                "eventSource": "aws:sqs",
            }
        ]
    }

    response = worker(event, LambdaContext("ReportWorkerFunction"))

    assert response == {"batchItemFailures": []}
    assert len(sent_emails()) == len(ACTIVE) + 1


def test_failure_is_isolated_counted_and_retried(
    report_queue: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_send = delivery.send_email
    failures = {"left": 1}

    def send_failing_once_for_cowtown(**email: Any) -> str:
        if email["to"] == [ACTIVE["cowtown-roofing"]] and failures["left"]:
            failures["left"] -= 1
            raise ClientError(
                {"Error": {"Code": "Throttling", "Message": "Maximum sending rate exceeded."}}, "SendEmail"
            )
        return str(real_send(**email))

    monkeypatch.setattr(delivery, "send_email", send_failing_once_for_cowtown)

    run_nightly(SCHEDULED)
    drain(report_queue)

    # Everybody got exactly one email, Cowtown on the queue's retry.
    assert recipients(sent_emails()) == sorted([*ACTIVE.values(), OPERATOR])
    marker = report_runs.get_marker("cowtown-roofing", "2026-12-03")
    assert marker is not None
    assert marker["status"] == report_runs.SENT
    assert marker["attempts"] == 2
    output = capsys.readouterr().out
    assert metric_values(output, "ReportFailed") == [1]
    assert sum(metric_values(output, "ReportSent")) == len(ACTIVE)
    assert "Every report was sent." in summary_text()


def test_lasting_failure_is_reported_to_operator(report_queue: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    real_send = delivery.send_email

    def send_never_for_cowtown(**email: Any) -> str:
        if email["to"] == [ACTIVE["cowtown-roofing"]]:
            raise ClientError(
                {"Error": {"Code": "MessageRejected", "Message": "Address blacklisted."}}, "SendEmail"
            )
        return str(real_send(**email))

    monkeypatch.setattr(delivery, "send_email", send_never_for_cowtown)

    run_nightly(SCHEDULED)
    drain(report_queue)

    assert ACTIVE["cowtown-roofing"] not in recipients(sent_emails())
    assert len(sent_emails()) == len(ACTIVE)
    marker = report_runs.get_marker("cowtown-roofing", "2026-12-03")
    assert marker is not None
    assert marker["status"] == report_runs.FAILED
    assert "MessageRejected" in marker["error"]
    text = summary_text()
    assert "Cowtown Roofing Co." in text
    assert "Address blacklisted." in text
    # After three receives the queue's redrive policy parks the message for the operator.
    dead_letter_url = report_queue.get_queue_url(QueueName="ReportDeadLetterQueue")["QueueUrl"]
    parked = report_queue.receive_message(QueueUrl=dead_letter_url, MaxNumberOfMessages=10).get(
        "Messages", []
    )
    assert [json.loads(message["Body"])["contractor_id"] for message in parked] == ["cowtown-roofing"]


def test_unconfirmed_send_is_never_repeated(report_queue: Any) -> None:
    # A worker claimed Lone Star's report and died before it could mark the send.
    assert report_runs.claim("lone-star-roofing", "2026-12-03", run_date="2026-12-03") is not None

    run_nightly(SCHEDULED)
    drain(report_queue)

    assert ACTIVE["lone-star-roofing"] not in recipients(sent_emails())
    text = summary_text()
    assert "Not confirmed" in text
    assert "check the SES sending log" in text


def test_summary_shows_unowned_demand(report_queue: Any) -> None:
    store(unowned_demand())

    run_nightly(SCHEDULED)
    drain(report_queue)

    text = summary_text()
    lines = text.splitlines()
    houston = next(line for line in lines if line.startswith("Roofing · ZIP 77002"))
    # Two on Dec 3, three since Dec 1 (the November lead is not counted).
    assert houston.split()[-2:] == ["2", "3"]
    assert "nobody owns the ZIP (3)" in text
    denver = next(line for line in lines if line.startswith("Electrical · ZIP 80202"))
    assert denver.split()[-2:] == ["1", "1"]
    assert "owner paused (1)" in text
    assert "Roofing · ZIP unknown" in text
    assert "number not configured (1)" in text
    assert "Not reported because they are paused: Front Range Electric." in " ".join(lines)


def test_template_feeds_worker_from_queue() -> None:
    source = event_source("ReportWorkerFunction")
    assert source.queue_id == "ReportQueue"
    assert source.reports_item_failures is True
    assert (source.code_dir / "app.py").is_file()
    queue_variables = {name: ref for name, ref in environment_references().items() if ref.endswith("Queue")}
    assert queue_variables == {
        "REPORT_QUEUE_URL": "ReportQueue",
        "FORM_NOTIFY_RETRY_QUEUE_URL": "FormNotifyRetryQueue",
        "LEAD_FALLBACK_QUEUE_URL": "LeadFallbackQueue",
    }


def test_rule_event_time_sets_dates(report_queue: Any) -> None:
    rule_event = {"detail-type": "Scheduled Event", "source": "aws.events", "time": "2026-12-04T12:30:00Z"}

    assert run_nightly(rule_event)["run_date"] == "2026-12-03"


def test_report_is_last_demo_step() -> None:
    assert STEPS[-1] == ("nightly report", replay_nightly_report)
