"""Report scaling: DynamoDB items read and time of a whole nightly run, by contractors and history.

Each data set lives in a fresh in-process moto (tables and queues from template.yaml, the
example agency applied). The example contractors are marked removed and replaced by generated
copies of Lone Star Roofing, each owning one ZIP. Every contractor has ``DAY_LEADS`` leads on
the report day and one lead on each earlier day of the month, which earlier nightly runs have
already classified. Older history is leads from before the month: 1x is as many as the month
to date holds, 10x ten times as many, spread over the preceding months.

The run is driven through the real handlers: the nightly start, then every queued message
through the report worker, as SQS would deliver them. Items read are the sums of ScannedCount
of each Query and Scan response, one per GetItem that found an item and one per item of a
BatchGetItem, counted with botocore's after-call event.

NOTE: moto evaluates a Query on a global secondary index against every item of the table, so
moto's share of the time grows with the table, older history included. DynamoDB reads only the
matching index items. So the time outside AWS calls (Leadline's code and botocore) is the
figure that stands for Lambda, and the time inside AWS calls is moto's.
"""

import contextlib
import hashlib
import io
import itertools
import logging
import os
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bench.aws_stack import EXAMPLE_CONFIG
from bench.child import items_read
from bench.project import FunctionSpec
from bench.scenarios import sqs_event

REPORT_DATE = date(2026, 11, 3)  # a Tuesday, so the month to date is 1-3 November
DAY_LEADS = 2
TEMPLATE_CONTRACTOR = "lone-star-roofing"
NIGHTLY_FUNCTION = "nightly_report"
WORKER_FUNCTION = "report_worker"
SUMMARY_DELAY_VARIABLE = "REPORT_SUMMARY_DELAY_SECONDS"
MAX_QUEUE_ROUNDS = 10_000
PHONE_SERIALS = itertools.count()


@dataclass(frozen=True)
class DataSet:
    contractors: int
    history: int

    @property
    def label(self) -> str:
        history = f"{self.history}x older history" if self.history else "no older history"
        return f"{self.contractors} contractors, {history}"


@dataclass
class PhaseFigures:
    """DynamoDB reads and time of one phase of the run."""

    calls: Counter[str] = field(default_factory=Counter)
    items: Counter[str] = field(default_factory=Counter)
    wall_seconds: float = 0.0
    aws_seconds: float = 0.0

    @property
    def items_read(self) -> int:
        return sum(self.items.values())

    @property
    def outside_aws_seconds(self) -> float:
        return self.wall_seconds - self.aws_seconds


@dataclass
class RunFigures:
    data_set: DataSet
    leads_in_table: int
    day_leads: int
    month_leads: int
    history_leads: int
    generate_seconds: float
    phases: dict[str, PhaseFigures]
    reports: Counter[str]
    per_report_items: list[int]

    @property
    def items_read(self) -> int:
        return sum(phase.items_read for phase in self.phases.values())


class CallMeter:
    """Count DynamoDB calls and items read, and time every AWS call, from botocore's events.

    Only calls made inside ``measuring`` count, so the bench's own queue reads do not.
    """

    def __init__(self) -> None:
        self.phase: PhaseFigures | None = None
        self._started: dict[int, float] = {}

    def before_call(self, context: dict[str, Any], **_: Any) -> None:
        self._started[id(context)] = time.perf_counter()

    def after_call(self, model: Any, parsed: dict[str, Any], event_name: str, **kwargs: Any) -> None:
        context = kwargs.get("context") or {}
        started = self._started.pop(id(context), None)
        if self.phase is None or started is None:
            return
        self.phase.aws_seconds += time.perf_counter() - started
        service = event_name.split(".")[1]
        if service != "dynamodb":
            return
        target = context.get("bench_target", "?")
        label = f"{model.name} {target}"
        self.phase.calls[label] += 1
        self.phase.items[label] += items_read(model.name, parsed)

    def remember_target(self, params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        target = str(params.get("TableName") or "+".join(params.get("RequestItems") or {}) or "?")
        if params.get("IndexName"):
            target += "." + str(params["IndexName"])
        context["bench_target"] = target

    @contextmanager
    def measuring(self, phase: PhaseFigures) -> Iterator[PhaseFigures]:
        self.phase = phase
        started = time.perf_counter()
        try:
            yield phase
        finally:
            phase.wall_seconds += time.perf_counter() - started
            self.phase = None


@contextmanager
def saved_environment() -> Iterator[None]:
    saved = dict(os.environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def lead_fields(contractor: dict[str, Any], lead_id: str, received_at: str, kind: int) -> dict[str, Any]:
    """Return a lead as the call and form flows store it. ``kind`` picks answered, missed or form.

    Every lead has a caller of its own, so no lead is another's duplicate.
    """
    contract = contractor["contracts"][0]
    phone = f"+1555{next(PHONE_SERIALS):07d}"
    lead: dict[str, Any] = {
        "lead_id": lead_id,
        "received_at": received_at,
        "trade": contract["trade"],
        "zip": contractor["bench_zip"],
        "site": "Dallas Roof Pros",
        "contractor_id": contractor["contractor_id"],
        "contract_id": contract["id"],
        "assignment": "assigned",
        "caller_phone": phone,
        "homeowner_key": hashlib.sha256(f"{contract['trade']}#{phone}".encode()).hexdigest(),
    }
    if kind % 3 == 2:
        lead.update(channel="form", zip_source="form", service_type="roof_repair", ownership="owner")
    else:
        answered = kind % 3 == 0
        lead.update(
            channel="call",
            zip_source="fixed",
            call_result="answered" if answered else "missed",
            accepted=answered,
            connected_seconds=180 if answered else 0,
            seconds_to_answer=Decimal("8.4") if answered else None,
            voicemail_left=not answered,
        )
    return {key: value for key, value in lead.items() if value is not None}


def classified(lead: dict[str, Any], contractor: dict[str, Any]) -> dict[str, Any]:
    """Return the lead with the decision an earlier nightly run stored on it."""
    from leadline.economics.classify import inputs_fingerprint

    contract = contractor["contracts"][0]
    billable = lead.get("call_result") != "missed"
    return {
        **lead,
        "billable": billable,
        "billing_rule": "billable" if billable else "missed_call",
        "rules_version": str((contract.get("lead_rules") or {}).get("version", "1")),
        "price": Decimal(str(contract["pricing"].get("price", "0"))) if billable else Decimal(0),
        "billing_inputs": inputs_fingerprint(lead),
        "classified_at": lead["received_at"],
    }


def at_local_time(day: date, hour: int, minute: int, time_zone: str) -> str:
    from leadline.clock import to_iso

    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(time_zone))
    return to_iso(local.astimezone(UTC))


def contractor_leads(contractor: dict[str, Any], history: int) -> tuple[list[dict[str, Any]], int, int]:
    """Return a contractor's leads with the counts of the month's and the history's."""
    time_zone = str(contractor["time_zone"])
    prefix = contractor["contractor_id"]
    leads = []
    for index in range(DAY_LEADS):
        received = at_local_time(REPORT_DATE, 9 + 2 * index, 15, time_zone)
        leads.append(lead_fields(contractor, f"{prefix}-day-{index}", received, index))
    for day_number in range(1, REPORT_DATE.day):
        day = REPORT_DATE.replace(day=day_number)
        received = at_local_time(day, 11, 30, time_zone)
        leads.append(
            classified(lead_fields(contractor, f"{prefix}-month-{day_number}", received, day_number), contractor)
        )
    month_leads = len(leads)
    month_start = REPORT_DATE.replace(day=1)
    for index in range(history * month_leads):
        day = month_start - timedelta(days=1 + index % (30 * history))
        received = at_local_time(day, 10 + index % 8, 5, time_zone)
        leads.append(classified(lead_fields(contractor, f"{prefix}-old-{index}", received, index), contractor))
    return leads, month_leads, history * month_leads


def batch_write(client: Any, table: str, items: list[dict[str, Any]]) -> None:
    from leadline.storage.dynamo import to_item

    for start in range(0, len(items), 25):
        requests = [{"PutRequest": {"Item": to_item(item)}} for item in items[start : start + 25]]
        pending: dict[str, Any] = {table: requests}
        while pending:
            pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}


def generate(data_set: DataSet, client: Any) -> tuple[int, int, int, int]:
    """Write the data set's contractors, routes and leads. Returns the lead counts."""
    from leadline.storage import config_tables, routes

    template = config_tables.get_contractor(TEMPLATE_CONTRACTOR)
    route = next(r for r in routes.scan_routes() if r["contractor_id"] == TEMPLATE_CONTRACTOR)
    if template is None:
        raise RuntimeError(f"contractor {TEMPLATE_CONTRACTOR} is not in {EXAMPLE_CONFIG}")
    removed = [{**record, "status": "removed"} for record in config_tables.scan_records("contractors")]

    contractors, route_items, leads = [], [], []
    month_total = history_total = 0
    for number in range(data_set.contractors):
        contractor_id = f"bench-{number:04d}"
        zip_code = f"{10000 + number:05d}"
        contract = {**template["contracts"][0], "id": f"{contractor_id}-roofing"}
        contractor = {
            **template,
            "contractor_id": contractor_id,
            "name": f"Bench Roofing {number}",
            "email": f"office@bench-{number:04d}.example",
            "status": "active",
            "paused": False,
            "contracts": [contract],
        }
        contractors.append(contractor)
        route_items.append(
            {
                **route,
                "zip": zip_code,
                "contractor_id": contractor_id,
                "contract_id": contract["id"],
                "contractor_name": contractor["name"],
            }
        )
        generated, month_count, history_count = contractor_leads(
            {**contractor, "bench_zip": zip_code}, data_set.history
        )
        leads += generated
        month_total += month_count
        history_total += history_count

    tables = _table_names()
    batch_write(client, tables.contractors, removed + contractors)
    batch_write(client, tables.routes, route_items)
    batch_write(client, tables.leads, leads)
    return len(leads), data_set.contractors * DAY_LEADS, month_total, history_total


def _table_names() -> Any:
    from leadline.storage import dynamo

    return dynamo.tables()


def worker_batch_size() -> int:
    """Return the BatchSize of the worker's SQS event in template.yaml (10 when not set)."""
    from leadline.local.template import load_template

    for resource in load_template()["Resources"].values():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        if not str(resource["Properties"].get("CodeUri", "")).rstrip("/").endswith(WORKER_FUNCTION):
            continue
        for event in (resource["Properties"].get("Events") or {}).values():
            if event["Type"] == "SQS":
                return int(event["Properties"].get("BatchSize", 10))
    return 10


def drain_reports(
    sqs: Any, queue_url: str, worker: Any, meter: CallMeter, phases: dict[str, PhaseFigures]
) -> tuple[Counter[str], list[int]]:
    """Feed every queued message to the worker, contractor reports and the summary apart."""
    from leadline.local.gateway import LambdaContext

    outcomes: Counter[str] = Counter()
    per_report_items: list[int] = []
    batch_size = worker_batch_size()
    for _ in range(MAX_QUEUE_ROUNDS):
        received = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        messages = received.get("Messages") or []
        if not messages:
            break
        for start in range(0, len(messages), batch_size):
            batch = messages[start : start + batch_size]
            for message in batch:
                phase_name = "agency summary" if '"agency_summary"' in message["Body"] else "contractor reports"
                phase = phases[phase_name]
                items_before = phase.items_read
                with meter.measuring(phase):
                    response = worker(
                        sqs_event([message["Body"]], "ReportQueue"), LambdaContext("ReportWorkerFunction")
                    )
                if phase_name == "contractor reports":
                    per_report_items.append(phase.items_read - items_before)
                failed = bool(response.get("batchItemFailures"))
                outcomes[f"{phase_name}: {'failed' if failed else 'handled'}"] += 1
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return outcomes, per_report_items


@contextmanager
def quiet_handlers() -> Iterator[None]:
    """Keep the handlers' INFO logs and metric lines (printed to stdout) out of the bench's output."""
    from leadline.observability import logger

    level = logger.log_level
    logger.setLevel(logging.WARNING)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        logger.setLevel(level)


def run_data_set(data_set: DataSet, nightly: FunctionSpec, worker_function: FunctionSpec) -> RunFigures:
    import boto3
    from moto import mock_aws

    from leadline import notifications
    from leadline.config.apply import apply_diff, plan
    from leadline.config.loader import load_config
    from leadline.local.aws import LOCAL_CREDENTIALS, LOCAL_REGION, create_tables, resource_environment
    from leadline.local.gateway import LambdaContext, load_handler
    from leadline.local.queues import ensure_queues
    from leadline.settings import TableNames
    from leadline.storage import dynamo

    with saved_environment(), mock_aws(), quiet_handlers():
        os.environ.pop("AWS_ENDPOINT_URL", None)
        os.environ.update(LOCAL_CREDENTIALS)
        os.environ.update(TableNames().as_env())
        os.environ[SUMMARY_DELAY_VARIABLE] = "0"
        meter = CallMeter()
        session = boto3.session.Session(region_name=LOCAL_REGION)
        boto3.DEFAULT_SESSION = session
        session.events.register("before-parameter-build.dynamodb", meter.remember_target)
        session.events.register("before-call", meter.before_call)
        session.events.register("after-call", meter.after_call)
        client = session.client("dynamodb")
        dynamo.set_client(client, TableNames())
        create_tables(client)
        sqs = session.client("sqs")
        queue_urls = ensure_queues(sqs)
        os.environ.update(resource_environment(queue_urls))
        loaded = load_config(EXAMPLE_CONFIG)
        apply_diff(plan(loaded))
        session.client("ses").verify_email_identity(EmailAddress=loaded.config.agency.sender_email)
        _reset_clients()

        started = time.perf_counter()
        leads_in_table, day_leads, month_leads, history_leads = generate(data_set, client)
        generate_seconds = time.perf_counter() - started

        phases = {name: PhaseFigures() for name in ("nightly start", "contractor reports", "agency summary")}
        start = load_handler(nightly.code_dir, nightly.handler)
        worker = load_handler(worker_function.code_dir, worker_function.handler)
        scheduled = at_local_time(REPORT_DATE + timedelta(days=1), 6, 30, "America/Chicago")
        with meter.measuring(phases["nightly start"]):
            start({"scheduled_time": scheduled}, LambdaContext("NightlyReportFunction"))
        queue_url = next(url for logical_id, url in queue_urls.items() if logical_id == "ReportQueue")
        reports, per_report_items = drain_reports(sqs, queue_url, worker, meter, phases)
        _reset_clients()
        notifications.set_ses_client(None)
        dynamo.set_client(None)
        boto3.DEFAULT_SESSION = None
    return RunFigures(
        data_set,
        leads_in_table,
        day_leads,
        month_leads,
        history_leads,
        generate_seconds,
        phases,
        reports,
        per_report_items,
    )


def _reset_clients() -> None:
    """Forget the SQS and SES clients that the handlers' modules cached in an earlier data set."""
    import sys

    from leadline import notifications

    notifications.set_ses_client(None)
    queue_module = sys.modules.get("leadline.reporting.queue")
    if queue_module is not None:
        queue_module.set_client(None)


def measure_report_scaling(functions: list[FunctionSpec], data_sets: list[DataSet]) -> list[RunFigures] | str:
    """Return the figures of every data set, or why the report could not be measured."""
    by_name = {function.name: function for function in functions if function.exists}
    missing = [name for name in (NIGHTLY_FUNCTION, WORKER_FUNCTION) if name not in by_name]
    if missing:
        return (
            "not merged yet: "
            + ", ".join(f"functions/{name}" for name in missing)
            + " has no real handler on this branch"
        )
    figures = []
    for data_set in data_sets:
        started = time.perf_counter()
        result = run_data_set(data_set, by_name[NIGHTLY_FUNCTION], by_name[WORKER_FUNCTION])
        print(f"  {data_set.label}: {result.items_read} items read, {time.perf_counter() - started:.1f} s")
        figures.append(result)
    return figures


def items_by_operation(figures: RunFigures) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for phase in figures.phases.values():
        for label, count in phase.items.items():
            totals[label] += count
    return dict(totals)
