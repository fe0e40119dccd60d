"""Init cost: CPU time of importing each handler module, as a ratio to ``import boto3``.

Every sample is a fresh interpreter (bench/child.py) that puts the function's folder and
layers/ first on sys.path, as Lambda does, and times only the import with
``time.process_time``. Samples of ``import boto3`` and of every function are interleaved,
round by round in a rotating order, so that both see the same machine load.

Two bytecode cases:

- with .pyc: every sample reads a PYTHONPYCACHEPREFIX folder filled by one import beforehand,
  like a deployment package compiled at build time;
- without .pyc: every sample gets a new, empty PYTHONPYCACHEPREFIX and ``-B``, so every module
  (the standard library's too) is compiled from source and nothing is written.
"""

import statistics
import subprocess
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench.project import LAYERS_DIR, PYTHON, FunctionSpec

CHILD = Path(__file__).with_name("child.py")
REFERENCE = "boto3"
WITH_PYC = "with .pyc"
WITHOUT_PYC = "without .pyc"


@dataclass(frozen=True)
class ImportTarget:
    name: str
    code_dir: str
    module: str


@dataclass
class ImportSamples:
    cpu: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    modules: dict[str, int] = field(default_factory=dict)
    peak_rss_kib: dict[str, int] = field(default_factory=dict)

    def median(self, name: str) -> float:
        return statistics.median(self.cpu[name])

    def ratio(self, name: str) -> float:
        return self.median(name) / self.median(REFERENCE)

    def round_ratios(self, name: str) -> list[float]:
        """Return the ratio of each round's sample to the same round's ``import boto3``."""
        return [sample / reference for sample, reference in zip(self.cpu[name], self.cpu[REFERENCE], strict=True)]


@dataclass
class InitCost:
    runs: int
    results: dict[str, ImportSamples]
    targets: list[str]
    without_pyc_targets: list[str]
    import_breakdown: dict[str, list[tuple[str, float]]]


def import_targets(functions: list[FunctionSpec]) -> list[ImportTarget]:
    targets = [ImportTarget(REFERENCE, "-", "boto3")]
    targets += [
        ImportTarget(function.name, str(function.code_dir), function.module)
        for function in functions
        if function.exists
    ]
    return targets


def sample(
    target: ImportTarget, environment: dict[str, str], cache_prefix: str, *, write: bool
) -> tuple[float, int, int]:
    command = [PYTHON] + ([] if write else ["-B"])
    command += [str(CHILD), "import", target.code_dir, str(LAYERS_DIR), target.module]
    completed = subprocess.run(
        command,
        env={**environment, "PYTHONPYCACHEPREFIX": cache_prefix},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"importing {target.module} from {target.code_dir} failed: {completed.stderr[-800:]}")
    cpu, modules, peak_kib = completed.stdout.split()
    return float(cpu), int(modules), int(peak_kib)


def measure_case(
    targets: list[ImportTarget], environment: dict[str, str], runs: int, *, warm_cache: bool
) -> ImportSamples:
    samples = ImportSamples()
    with tempfile.TemporaryDirectory(prefix="leadline-pyc-") as prepared:
        if warm_cache:
            for target in targets:
                sample(target, environment, prepared, write=True)
        for round_index in range(runs):
            shift = round_index % len(targets)
            for target in targets[shift:] + targets[:shift]:
                if warm_cache:
                    cpu, modules, peak = sample(target, environment, prepared, write=False)
                else:
                    with tempfile.TemporaryDirectory(prefix="leadline-nopyc-") as empty:
                        cpu, modules, peak = sample(target, environment, empty, write=False)
                samples.cpu[target.name].append(cpu)
                samples.modules[target.name] = modules
                samples.peak_rss_kib[target.name] = peak
    return samples


def import_breakdown(target: ImportTarget, environment: dict[str, str], top: int = 8) -> list[tuple[str, float]]:
    """Return the top-level packages that take the most import time, in ms (``-X importtime``).

    The import runs once to fill a new bytecode folder first, so the breakdown is of the
    with-.pyc case whether or not the checkout has compiled its own modules yet.
    """
    with tempfile.TemporaryDirectory(prefix="leadline-pyc-") as prepared:
        sample(target, environment, prepared, write=True)
        command = [PYTHON, "-B", "-X", "importtime", str(CHILD), "import", target.code_dir, str(LAYERS_DIR)]
        completed = subprocess.run(
            [*command, target.module],
            env={**environment, "PYTHONPYCACHEPREFIX": prepared},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    self_us: dict[str, int] = defaultdict(int)
    for line in completed.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_part, _, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        package = name.split(".")[0]
        if target.module and package == target.module:
            package = f"{target.name}/{target.module}.py"
        self_us[package] += int(self_part)
    ranked = sorted(self_us.items(), key=lambda pair: -pair[1])[:top]
    return [(package, microseconds / 1000) for package, microseconds in ranked]


def measure_init_cost(
    functions: list[FunctionSpec], environment: dict[str, str], runs: int, *, all_without_pyc: bool
) -> InitCost:
    targets = import_targets(functions)
    with_targets = {function.name for function in functions if function.exists and function.target}
    without = [target for target in targets if all_without_pyc or target.name in with_targets | {REFERENCE}]
    print(f"  {WITH_PYC}: {len(targets)} imports x {runs} rounds")
    warm = measure_case(targets, environment, runs, warm_cache=True)
    print(f"  {WITHOUT_PYC}: {len(without)} imports x {runs} rounds")
    cold = measure_case(without, environment, runs, warm_cache=False)
    breakdown = {
        target.name: import_breakdown(target, environment) for target in targets if target.name in with_targets
    }
    return InitCost(
        runs=runs,
        results={WITH_PYC: warm, WITHOUT_PYC: cold},
        targets=[target.name for target in targets],
        without_pyc_targets=[target.name for target in without],
        import_breakdown=breakdown,
    )
