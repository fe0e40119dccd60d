"""Warm handler CPU per voice webhook, with every AWS call stubbed in the process.

moto's own request handling costs more CPU than the handler, so here botocore's send step
returns canned responses (see ``child.CannedAws``) built from a snapshot of the bench's tables.
Requests are still serialised, signed and parsed by botocore as in Lambda. The first request
fills the caches (a cold start) and is left out of the figures.
"""

import json
import statistics
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.aws_stack import AUTH_TOKEN, AUTH_TOKEN_PARAMETER, AwsStack, snapshot_items
from bench.project import LAYERS_DIR, PYTHON, FunctionSpec
from bench.scenarios import DALLAS_NUMBER, call_params, new_call_sid, random_caller, twilio_event

CHILD = Path(__file__).with_name("child.py")
VOICE_FUNCTION = "inbound_call"
# Nothing listens on the discard port, so a request that the stub misses fails at once.
UNREACHABLE_ENDPOINT = "http://127.0.0.1:9"


@dataclass
class WarmCpu:
    function: str
    invocations: int
    median_ms: float
    p90_ms: float
    reference_median_ms: float
    operations: dict[str, int]
    statuses: dict[int, int]
    dialled: int

    @property
    def reference_ratio(self) -> float:
        return self.median_ms / self.reference_median_ms


def measure_warm_voice(functions: list[FunctionSpec], stack: AwsStack, invocations: int) -> WarmCpu | str:
    """Return the figures, or why they could not be measured."""
    function = next((f for f in functions if f.name == VOICE_FUNCTION and f.exists), None)
    if function is None:
        return f"not merged yet: functions/{VOICE_FUNCTION} has no real handler on this branch"
    if not any(event.path == "/twilio/voice" for event in function.api_events):
        return "the voice function has no /twilio/voice route in template.yaml"

    events = [
        twilio_event("/twilio/voice", call_params(new_call_sid(), DALLAS_NUMBER, random_caller()))
        for _ in range(invocations + 1)
    ]
    spec = {
        "code_dir": str(function.code_dir),
        "layers_dir": str(LAYERS_DIR),
        "module": function.module,
        "function": function.function_name,
        "logical_id": function.logical_id,
        "items": snapshot_items(),
        "parameters": {AUTH_TOKEN_PARAMETER: AUTH_TOKEN},
        "requests": [{"name": "incoming call", "event": event} for event in events],
    }
    with tempfile.TemporaryDirectory(prefix="leadline-warm-") as work_dir:
        spec_path = Path(work_dir) / "spec.json"
        result_path = Path(work_dir) / "result.json"
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        completed = subprocess.run(
            [PYTHON, str(CHILD), "warm", str(spec_path), str(result_path)],
            env={**stack.environment, "AWS_ENDPOINT_URL": UNREACHABLE_ENDPOINT},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if completed.returncode != 0:
            return f"the warm child process failed: {completed.stderr[-800:]}"
        result = json.loads(result_path.read_text(encoding="utf-8"))

    warm = result["samples"][1:]
    references = result["references"][1:]
    cpu_ms = [sample["cpu"] * 1000 for sample in warm]
    operations: Counter[str] = Counter()
    for sample in warm:
        operations[" + ".join(sample["operations"]) or "none"] += 1
    return WarmCpu(
        function=function.name,
        invocations=len(warm),
        median_ms=statistics.median(cpu_ms),
        p90_ms=statistics.quantiles(cpu_ms, n=10)[-1],
        reference_median_ms=statistics.median(reference * 1000 for reference in references),
        operations=dict(operations),
        statuses=dict(Counter(int(sample["status"]) for sample in warm)),
        dialled=sum(1 for sample in warm if "<Dial" in str(sample["body"])),
    )
