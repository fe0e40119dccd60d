"""Peak RSS and DynamoDB calls per request: each function imported and invoked in a fresh process.

The child process talks to the bench's moto server over 127.0.0.1, so the server's memory is
not in the child's peak RSS, and counts DynamoDB calls with botocore's before-call and
after-call events on the client.
"""

import json
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.aws_stack import AwsStack
from bench.project import LAYERS_DIR, PYTHON, FunctionSpec
from bench.scenarios import SCENARIOS, Request, Scenario

CHILD = Path(__file__).with_name("child.py")
CHILD_TIMEOUT_SECONDS = 120
READ_OPERATIONS = ("GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems")
WRITE_OPERATIONS = ("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems")


@dataclass
class RequestResult:
    name: str
    tag: str
    status: int | None
    ok: bool
    problem: str | None
    cpu: float
    peak_rss_mb: float
    dynamodb: list[dict[str, Any]]
    services: list[str]
    new_modules: dict[str, int]
    new_module_names: list[str]

    @property
    def reads(self) -> int:
        return sum(1 for call in self.dynamodb if call["operation"] in READ_OPERATIONS)

    @property
    def writes(self) -> int:
        return sum(1 for call in self.dynamodb if call["operation"] in WRITE_OPERATIONS)

    @property
    def items_read(self) -> int:
        return sum(int(call.get("items") or 0) for call in self.dynamodb)

    def calls_text(self) -> str:
        """Return the calls in order, such as ``GetItem RoutesTable, PutItem LeadsTable``."""
        parts = []
        for call in self.dynamodb:
            target = call["table"] or "?"
            if call.get("index"):
                target += f".{call['index']}"
            text = f"{call['operation']} {target}"
            if call.get("error"):
                text += f" ({call['error']})"
            parts.append(text)
        return ", ".join(parts) or "none"


@dataclass
class FunctionRun:
    function: str
    logical_id: str
    description: str
    skipped: str | None = None
    rss_after_import_mb: float | None = None
    requests: list[RequestResult] = field(default_factory=list)
    stderr_tail: str = ""
    rss_steps: list[tuple[str, float]] = field(default_factory=list)
    stdout_tail: str = ""

    @property
    def rss_import_and_one_invocation_mb(self) -> float | None:
        return self.requests[0].peak_rss_mb if self.requests else None

    @property
    def failed(self) -> list[RequestResult]:
        return [request for request in self.requests if not request.ok]


def check_response(request: Request, raw: dict[str, Any]) -> str | None:
    """Return what is wrong with a response, or None when it is what the scenario expects."""
    if raw["raised"]:
        return f"handler raised {raw['raised']}"
    if request.expected_status is not None:
        if raw["status"] not in request.expected_status:
            body = str(raw.get("body") or "")[:300]
            return f"status {raw['status']}, expected {sorted(request.expected_status)}: {body}"
        return None
    failures = (raw.get("response") or {}).get("batchItemFailures")
    if failures:
        return f"batch item failures: {failures}"
    return None


def run_scenario(scenario: Scenario, function: FunctionSpec, stack: AwsStack, work_dir: Path) -> FunctionRun:
    requests = scenario.build(function, stack)
    spec = {
        "code_dir": str(function.code_dir),
        "layers_dir": str(LAYERS_DIR),
        "module": function.module,
        "function": function.function_name,
        "logical_id": function.logical_id,
        "stub_twilio": scenario.stub_twilio,
        "requests": [{"name": request.name, "event": request.event} for request in requests],
    }
    spec_path = work_dir / f"{function.name}.spec.json"
    result_path = work_dir / f"{function.name}.result.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    completed = subprocess.run(
        [PYTHON, str(CHILD), "invoke", str(spec_path), str(result_path)],
        env=stack.environment,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_SECONDS,
        check=False,
    )
    run = FunctionRun(function.name, function.logical_id, scenario.description)
    run.stderr_tail = completed.stderr[-2000:]
    run.stdout_tail = completed.stdout[-4000:]
    if completed.returncode != 0 or not result_path.exists():
        run.skipped = f"the child process failed with exit code {completed.returncode}: {completed.stderr[-500:]}"
        return run

    result = json.loads(result_path.read_text(encoding="utf-8"))
    run.rss_after_import_mb = float(result["rss_after_import_mb"])
    for request, raw in zip(requests, result["requests"], strict=True):
        problem = check_response(request, raw)
        run.requests.append(
            RequestResult(
                name=request.name,
                tag=request.tag,
                status=raw["status"],
                ok=problem is None,
                problem=problem,
                cpu=float(raw["cpu"]),
                peak_rss_mb=float(raw["peak_rss_mb"]),
                dynamodb=raw["dynamodb"],
                services=raw["services"],
                new_modules=raw["new_modules"],
                new_module_names=raw["new_module_names"],
            )
        )
    if function.target and run.requests:
        run.rss_steps = attribute_rss(function, run.requests[0], stack, work_dir)
    return run


def attribute_rss(
    function: FunctionSpec, first: RequestResult, stack: AwsStack, work_dir: Path
) -> list[tuple[str, float]]:
    """Return the peak RSS after each loading step of the first request, redone one at a time."""
    services = list(dict.fromkeys(call.split()[0] for call in first.services))
    spec = {
        "code_dir": str(function.code_dir),
        "layers_dir": str(LAYERS_DIR),
        "module": function.module,
        "function": function.function_name,
        "services": services,
        "modules": first.new_module_names,
    }
    spec_path = work_dir / f"{function.name}.attribute.json"
    result_path = work_dir / f"{function.name}.attribute.result.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    completed = subprocess.run(
        [PYTHON, str(CHILD), "attribute", str(spec_path), str(result_path)],
        env=stack.environment,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_SECONDS,
        check=False,
    )
    if completed.returncode != 0:
        return [(f"attribution failed: {completed.stderr[-300:]}", 0.0)]
    steps = json.loads(result_path.read_text(encoding="utf-8"))["steps"]
    return [(str(label), float(rss)) for label, rss in steps]


def run_all(functions: list[FunctionSpec], stack: AwsStack) -> list[FunctionRun]:
    """Run every scenario whose function is in the template, and report the others as skipped."""
    by_name = {function.name: function for function in functions if function.exists}
    placeholders = {function.name for function in functions if function.is_placeholder}
    runs = []
    with tempfile.TemporaryDirectory(prefix="leadline-bench-") as work_dir:
        for scenario in SCENARIOS:
            function = by_name.get(scenario.function)
            if function is None:
                run = FunctionRun(scenario.function, "-", scenario.description)
                where = (
                    "has only a placeholder handler" if scenario.function in placeholders else "is not in template.yaml"
                )
                run.skipped = f"not merged yet: functions/{scenario.function} {where} on this branch"
                runs.append(run)
                print(f"  {scenario.function}: {run.skipped}")
                continue
            run = run_scenario(scenario, function, stack, Path(work_dir))
            status = run.skipped or f"{len(run.requests)} requests, {len(run.failed)} failed"
            print(f"  {scenario.function}: {status}")
            for failed in run.failed:
                print(f"    {failed.name}: {failed.problem}")
            runs.append(run)
    covered = {scenario.function for scenario in SCENARIOS}
    for function in functions:
        if function.exists and function.name not in covered:
            run = FunctionRun(function.name, function.logical_id, "no scenario yet")
            run.skipped = "no scenario in bench/scenarios.py for this function, so only its import is measured"
            runs.append(run)
    return runs
