"""Measure what the voice handler costs to import, as a Lambda cold start pays it.

Runs ``python -X importtime`` on functions/inbound_call/app.py in a fresh interpreter, a few
times, and prints the median total and the slowest top-level packages of the last run. The
numbers depend on the machine and on the OS file cache; compare runs on one machine only.

Usage: .venv/bin/python bench/voice_imports.py [runs]
"""

import statistics
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
HANDLER_DIR = PROJECT_ROOT / "functions" / "inbound_call"


def import_times() -> dict[str, int]:
    """Return the cumulative import time in microseconds of every module the handler loads."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import app"],
        cwd=HANDLER_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    times: dict[str, int] = {}
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        times[name] = int(cumulative)
    return times


# Packages worth watching on the voice path; twilio.rest must stay out of it.
WATCHED = (
    "boto3",
    "aws_lambda_powertools.event_handler",
    "pydantic",
    "twilio.twiml.voice_response",
    "twilio.request_validator",
    "leadline.calls.incoming",
    "twilio.rest",
)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    samples = [import_times() for _ in range(runs)]
    median_ms = statistics.median(sample["app"] for sample in samples) / 1000
    print(f"import app (functions/inbound_call): median {median_ms:.0f} ms over {runs} runs")
    print("cumulative ms where the handler first imports each (medians):")
    for name in WATCHED:
        values = [sample[name] for sample in samples if name in sample]
        if values:
            print(f"  {name:<38} {statistics.median(values) / 1000:7.1f}")
        else:
            print(f"  {name:<38}  not imported")


if __name__ == "__main__":
    main()
