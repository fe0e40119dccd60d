"""``make demo``: start the local stack, apply the example config, replay a day, fill out/."""

import csv
import json
import logging
import os
import shutil
import warnings
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

from leadline.local.exports import export_emails
from leadline.local.replay import STEPS, ReplayContext, SummaryRow
from leadline.local.stack import TWILIO_AUTH_TOKEN, start_local_stack
from leadline.observability import logger
from leadline.storage import dynamo

LEAD_COLUMNS = (
    "received_at", "lead_id", "channel", "trade", "zip", "site", "contractor_id", "assignment",
    "call_result", "seconds_to_answer", "billable", "billing_rule", "price",
)


def run_demo(config_path: Path, out_dir: Path) -> list[SummaryRow]:
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    stack = start_local_stack(config_path=config_path, out_dir=out_dir)
    try:
        (out_dir / "config-apply.txt").write_text("\n".join(stack.config_lines) + "\n", encoding="utf-8")
        context = ReplayContext(
            base_url=stack.base_url,
            public_url=os.environ["PUBLIC_BASE_URL"],
            auth_token=os.environ[TWILIO_AUTH_TOKEN],
            out_dir=out_dir,
        )
        rows = [SummaryRow("config", f"apply {config_path}", _count_changes(stack.config_lines))]
        # The handlers' JSON logs and metrics go to out/lambda.log, as CloudWatch would keep them,
        # so the terminal shows only the summary.
        with open(out_dir / "lambda.log", "w", encoding="utf-8") as lambda_log, redirect_stdout(lambda_log):
            handler = logger.registered_handler
            previous_stream = handler.setStream(lambda_log) if isinstance(handler, logging.StreamHandler) else None
            try:
                # Powertools warns on each invocation that records no business metric.
                warnings.filterwarnings("ignore", message="No application metrics to publish")
                for _, step in STEPS:
                    rows.extend(step(context))
            finally:
                if isinstance(handler, logging.StreamHandler) and previous_stream is not None:
                    handler.setStream(previous_stream)
        leads = export_leads(out_dir)
        rows.append(SummaryRow("leads", "stored", f"{len(leads)} lead(s) in out/leads.csv"))
        emails = export_emails(out_dir)
        rows.append(SummaryRow("email", "sent", f"{len(emails)} email(s) in out/emails/"))
        (out_dir / "summary.txt").write_text(format_summary(rows), encoding="utf-8")
        return rows
    finally:
        stack.stop()


def _count_changes(lines: list[str]) -> str:
    """Summarise ``describe_diff`` lines such as "routes: 320 added, 0 changed, 0 removed"."""
    totals = [line.split(",")[0].replace(":", "") for line in lines if line.endswith(" removed")]
    return ", ".join(totals) or lines[-1]


def export_leads(out_dir: Path) -> list[dict[str, Any]]:
    """Write every stored lead to out/leads.csv (main columns) and out/leads.json (all fields)."""
    paginator = dynamo.client().get_paginator("scan")
    leads = [
        dynamo.from_item(item)
        for page in paginator.paginate(TableName=dynamo.tables().leads)
        for item in page["Items"]
    ]
    leads.sort(key=lambda lead: str(lead.get("received_at", "")))
    with open(out_dir / "leads.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=LEAD_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(leads)
    leads_json = json.dumps(leads, indent=2, default=str, ensure_ascii=False)
    (out_dir / "leads.json").write_text(leads_json, encoding="utf-8")
    return leads


def format_summary(rows: list[SummaryRow]) -> str:
    header = SummaryRow("flow", "case", "result")
    widths = [max(len(getattr(r, f)) for r in [*rows, header]) for f in ("flow", "case")]
    lines = [f"{'flow':<{widths[0]}}  {'case':<{widths[1]}}  result", "-" * (widths[0] + widths[1] + 40)]
    lines += [f"{r.flow:<{widths[0]}}  {r.case:<{widths[1]}}  {r.result}" for r in rows]
    return "\n".join(lines) + "\n"
