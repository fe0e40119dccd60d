"""Run every benchmark and write docs/benchmarks.md.

Usage: .venv/bin/python -m bench [--runs N] [--quick] [--reuse-build] [--out FILE]

Everything runs on this machine: a moto server on 127.0.0.1 in its own process for the
invocations, moto in-process for the report scaling, and canned responses for the warm CPU.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.aws_stack import moto_server, set_up_stack
from bench.init_cost import measure_init_cost
from bench.invocations import run_all
from bench.markdown import BenchResults, write_markdown
from bench.project import PROJECT_ROOT, discover_functions
from bench.report_scaling import DataSet, measure_report_scaling
from bench.sizes import measure_sizes
from bench.warm_cpu import measure_warm_voice

# Contractor scaling without older history, then older history at 100 contractors. Older
# history only makes moto slower (see bench/report_scaling.py), so it stays off the 1,000 run
# to keep `make bench` within ten minutes.
FULL_DATA_SETS = [DataSet(10, 0), DataSet(100, 0), DataSet(1000, 0), DataSet(100, 1), DataSet(100, 10)]
QUICK_DATA_SETS = [DataSet(10, 0), DataSet(10, 10)]


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=15, help="import samples per function and bytecode case (default 15)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="run 3 import samples, 50 warm invocations and 10 contractors, to check that the bench works",
    )
    parser.add_argument(
        "--reuse-build", action="store_true", help="measure an existing .aws-sam/build instead of running `make build`"
    )
    parser.add_argument(
        "--out", type=Path, default=PROJECT_ROOT / "docs" / "benchmarks.md", help="Markdown file to write"
    )
    return parser.parse_args(argv)


def git_description() -> str:
    def git(*arguments: str) -> str:
        completed = subprocess.run(["git", *arguments], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
        return completed.stdout.strip()

    dirty = " with uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else ""
    return f"{git('rev-parse', '--abbrev-ref', 'HEAD')} at {git('rev-parse', '--short', 'HEAD')}{dirty}"


@contextmanager
def timed(results: BenchResults, section: str) -> Iterator[None]:
    print(section)
    started = time.monotonic()
    try:
        yield
    finally:
        results.section_seconds[section] = time.monotonic() - started
        print(f"  ({results.section_seconds[section]:.0f} s)")


def main(argv: list[str]) -> None:
    arguments = parse_arguments(argv)
    runs = 3 if arguments.quick else arguments.runs
    warm_invocations = 50 if arguments.quick else 400
    data_sets = QUICK_DATA_SETS if arguments.quick else FULL_DATA_SETS
    command = "python -m bench " + " ".join(argv) if argv else "make bench"
    started = time.monotonic()
    functions = discover_functions()
    results = BenchResults(command=command, revision=git_description(), functions=functions, quick=arguments.quick)

    with timed(results, "built size"):
        results.sizes = measure_sizes(reuse_build=arguments.reuse_build)
    with (
        tempfile.TemporaryDirectory(prefix="leadline-moto-") as work_dir,
        moto_server(Path(work_dir) / "moto.log") as endpoint,
    ):
        stack = set_up_stack(endpoint)
        with timed(results, "init cost"):
            results.init_cost = measure_init_cost(functions, stack.environment, runs, all_without_pyc=False)
        with timed(results, "peak RSS and DynamoDB calls"):
            results.invocations = run_all(functions, stack)
        with timed(results, "warm voice CPU"):
            results.warm_cpu = measure_warm_voice(functions, stack, warm_invocations)
    with timed(results, "report scaling"):
        results.report_scaling = measure_report_scaling(functions, data_sets)
    results.elapsed_seconds = time.monotonic() - started

    write_markdown(results, arguments.out)
    print(f"wrote {arguments.out} in {results.elapsed_seconds:.0f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
