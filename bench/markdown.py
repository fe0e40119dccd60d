"""Write the results to docs/benchmarks.md: every figure with its command, target and verdict."""

import platform
import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from bench.init_cost import REFERENCE, WITH_PYC, WITHOUT_PYC, InitCost
from bench.invocations import FunctionRun
from bench.project import LAYERS_DIR, TARGETS, FunctionSpec, missing_target_functions
from bench.report_scaling import DAY_LEADS, REPORT_DATE, RunFigures, items_by_operation
from bench.sizes import MIB, SizeReport
from bench.warm_cpu import WarmCpu

PACKAGES = ("boto3", "botocore", "aws-lambda-powertools", "pydantic", "twilio", "moto")
VOICE_FUNCTION = "inbound_call"
MIN_STEP_MB = 0.5

# The cost of each package that leads an import breakdown or a first request's new modules, and
# a fix for it. Shown only for the functions that miss a target.
KNOWN_COSTS = {
    "twilio": (
        "`twilio` is loaded by the first SMS: `twilio.rest` builds its client from generated API "
        "classes and brings `requests` and its HTTP stack. Sending the one Messages request with the "
        "standard library (a form POST with basic auth) or from a queue worker would keep it off this path."
    ),
    "requests": "`requests` comes with `twilio.rest` (see `twilio`).",
    "aiohttp": "`aiohttp` comes with `twilio`'s async HTTP client, which nothing on these paths uses.",
    "pydantic": (
        "`pydantic` builds every model's validator when its class is defined, at import. "
        "`defer_build=True` on models that a path does not use, or plain dataclasses for flat "
        "inputs, moves or removes that work."
    ),
    "pydantic_core": "`pydantic_core` is pydantic's compiled validator core (see `pydantic`).",
    "aws_lambda_powertools": (
        "importing any `aws_lambda_powertools` module runs the package's `__init__`, which imports "
        "Logger, Metrics and Tracer. The event handler's resolver and its OpenAPI models add more "
        "(`enable_validation=True` loads the OpenAPI pydantic models)."
    ),
    "botocore": (
        "`botocore` is also the reference's cost. The first client of a boto3 session loads botocore's "
        "endpoint rules and the service's JSON model, and each further client its own model, so a path "
        "that calls fewer services loads less."
    ),
    "ssm": (
        "the SSM client reads the Twilio auth token. Powertools' SSM provider builds a boto3 session of its "
        "own, so botocore's endpoint rules and data files are loaded a second time. Handing it a client of the "
        'default session (`SSMProvider(boto3_client=boto3.client("ssm"))`) would avoid that.'
    ),
    "urllib3": "`urllib3` is botocore's HTTP stack, loaded with the first client.",
    "email": "the standard `email` package builds MIME messages for SES raw emails.",
    "leadline": "Leadline's own modules: a path imports every module its handler names, even unused ones.",
}


@dataclass
class BenchResults:
    command: str
    revision: str
    functions: list[FunctionSpec]
    quick: bool = False
    init_cost: InitCost | None = None
    invocations: list[FunctionRun] = field(default_factory=list)
    warm_cpu: WarmCpu | str | None = None
    report_scaling: list[RunFigures] | str | None = None
    sizes: SizeReport | None = None
    elapsed_seconds: float = 0.0
    section_seconds: dict[str, float] = field(default_factory=dict)


def verdict(passed: bool) -> str:
    return "met" if passed else "**missed**"


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def package_versions() -> str:
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return ", ".join(versions)


def rss_increases(run: FunctionRun) -> list[tuple[str, float]]:
    """Return each loading step of a function's first request with its RSS increase in MB."""
    increases = []
    previous = None
    for label, rss in run.rss_steps:
        if previous is not None:
            increases.append((label, rss - previous))
        previous = rss
    peak = run.rss_import_and_one_invocation_mb
    if previous is not None and peak is not None:
        increases.append(("the request's own work", peak - previous))
    return increases


def steps_text(run: FunctionRun) -> str:
    if not run.rss_steps:
        return "not attributed"
    first_label, first_rss = run.rss_steps[0]
    parts = [f"{first_label} {first_rss:.1f} MB"]
    parts += [f"{label} {increase:+.1f}" for label, increase in rss_increases(run) if increase >= MIN_STEP_MB]
    return "; ".join(parts)


def pin_differences() -> list[str]:
    """Return "name installed (pinned version)" for each layer pin that .venv does not match."""
    differences = []
    requirements = LAYERS_DIR / "requirements.txt"
    for line in requirements.read_text(encoding="utf-8").splitlines():
        name, separator, pinned = line.split("#")[0].strip().partition("==")
        if not separator:
            continue
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "not installed"
        if installed != pinned:
            differences.append(f"{name} {installed} (pinned {pinned})")
    return differences


def mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def package_of_step(label: str) -> str:
    """Return the package a loading step stands for: botocore for a client, else the imported one."""
    if label == "boto3 client: ssm":
        return "ssm"
    if label.startswith("boto3 client"):
        return "botocore"
    if label.startswith("import "):
        return label.split()[1]
    return label


class Writer:
    def __init__(self, results: BenchResults) -> None:
        self.results = results
        self.lines: list[str] = []
        self.summary: list[tuple[str, str, str, str, str]] = []

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        self.add("| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|")
        for row in rows:
            self.add("| " + " | ".join(row) + " |")
        self.add("")

    # Sections

    def init_section(self) -> None:
        init = self.results.init_cost
        self.add("## Init cost", "")
        if init is None:
            self.add("Not measured in this run.", "")
            return
        self.add(
            "CPU time of importing each handler module in a fresh interpreter, divided by the CPU time of "
            "`import boto3` measured in the same run. The function's folder and `layers/` come first on "
            "`sys.path`, as Lambda puts the function's code and the layer. Samples are interleaved round by "
            f"round, and each figure is the median of {init.runs} samples.",
            "",
            "- with .pyc: every sample reads a `PYTHONPYCACHEPREFIX` folder filled by one import beforehand, like "
            "the compiled deployment package;",
            "- without .pyc: every sample gets a new, empty `PYTHONPYCACHEPREFIX` and `-B`, so every module, the "
            "standard library's too, is compiled from source.",
            "",
            "One sample is `[PYTHONPYCACHEPREFIX=DIR] .venv/bin/python -B bench/child.py import functions/NAME "
            "layers app`, which prints the CPU seconds of the import (`time.process_time()` around it).",
            "",
        )
        for case in (WITH_PYC, WITHOUT_PYC):
            samples = init.results[case]
            reference_ms = samples.median(REFERENCE) * 1000
            self.add(f"### {case}", "", f"`import boto3`: median {reference_ms:.0f} ms CPU.", "")
            rows = []
            for name in samples.cpu:
                if name == REFERENCE:
                    continue
                target = TARGETS.get(name)
                ratio = samples.ratio(name)
                rounds = samples.round_ratios(name)
                target_text = f"≤ {target.init_ratio:.2f}×" if target else "none"
                result = verdict(ratio <= target.init_ratio) if target else "-"
                rows.append(
                    [
                        f"`{name}`",
                        f"{samples.median(name) * 1000:.0f}",
                        f"{ratio:.3f}×",
                        f"{min(rounds):.2f}–{max(rounds):.2f}×",
                        str(samples.modules[name]),
                        target_text,
                        result,
                    ]
                )
                if target:
                    self.summary.append(
                        (
                            f"init, {case}",
                            f"`{name}` ({target.flow})",
                            f"{ratio:.3f}× boto3",
                            f"≤ {target.init_ratio:.2f}×",
                            result,
                        )
                    )
            self.table(
                [
                    "function",
                    "median CPU ms",
                    "ratio to boto3",
                    "per-round ratios",
                    "modules loaded",
                    "target",
                    "result",
                ],
                rows,
            )
            skipped = [name for name in init.targets if name not in samples.cpu]
            if skipped:
                self.add(f"Not measured in this case, to keep `make bench` short: {', '.join(skipped)}.", "")
        if init.import_breakdown:
            self.add(
                "### Where the import time goes",
                "",
                "Self time by top-level package from one `python -X importtime` run of each function with a "
                "target, with .pyc. The sum is larger than the CPU time above because `-X importtime` adds overhead.",
                "",
            )
            for name, ranking in init.import_breakdown.items():
                parts = ", ".join(f"{package} {ms:.0f} ms" for package, ms in ranking)
                self.add(f"- `{name}`: {parts}")
            self.add("")

    def rss_section(self) -> None:
        self.add("## Peak RSS", "")
        runs = self.results.invocations
        if not runs:
            self.add("Not measured in this run.", "")
            return
        init = self.results.init_cost
        baseline = ""
        if init is not None:
            samples = init.results[WITH_PYC]
            baseline = (
                f" For scale: a fresh interpreter that imports only boto3 peaks at "
                f"{samples.peak_rss_kib[REFERENCE] / 1024:.1f} MB."
            )
        self.add(
            "Peak resident set size (VmHWM of /proc/self/status, in MiB) of a fresh process that imports the "
            "handler and handles its scenario's first request. AWS is a moto server that the bench runs in a "
            "separate process on 127.0.0.1, so moto's memory is not counted. `ru_maxrss` is not used "
            "because Linux carries the forking parent's peak over `execve` into the child's." + baseline,
            "",
            "Command: `.venv/bin/python bench/child.py invoke SPEC RESULT`, run by `python -m bench` with the "
            "scenario's events in SPEC. Functions run as deployed: the Twilio auth token comes from SSM, SMS go "
            "through `twilio.rest` with its HTTP request answered in the process, and email goes to moto's SES.",
            "",
        )
        rows = []
        for run in runs:
            target = TARGETS.get(run.function)
            if run.skipped:
                rows.append(
                    [f"`{run.function}`", "-", "-", f"≤ {target.peak_rss_mb:.0f}" if target else "none", run.skipped]
                )
                continue
            peak = run.rss_import_and_one_invocation_mb
            result = verdict(peak is not None and peak <= target.peak_rss_mb) if target else "-"
            rows.append(
                [
                    f"`{run.function}`",
                    mb(run.rss_after_import_mb),
                    mb(peak),
                    f"≤ {target.peak_rss_mb:.0f}" if target else "none",
                    f"{result} (first request: {run.requests[0].name})",
                ]
            )
            if target:
                self.summary.append(
                    (
                        "peak RSS, import + one invocation",
                        f"`{run.function}` ({target.flow})",
                        f"{mb(peak)} MB",
                        f"≤ {target.peak_rss_mb:.0f} MB",
                        result,
                    )
                )
        self.table(["function", "after import MB", "after import + first request MB", "target MB", "result"], rows)
        self.rss_causes(runs)

    def rss_causes(self, runs: list[FunctionRun]) -> None:
        """Add what each targeted function's first request loads, and its step-by-step attribution."""
        self.add(
            "What the first request loads, for the functions with a target (new modules by top-level package, "
            "and the AWS calls it made, from every boto3 session):",
            "",
        )
        for run in runs:
            if run.skipped or run.function not in TARGETS or not run.requests:
                continue
            first = run.requests[0]
            modules = sorted(first.new_modules.items(), key=lambda pair: -pair[1])[:8]
            module_text = ", ".join(f"{package} {count}" for package, count in modules) or "none"
            growth = first.peak_rss_mb - (run.rss_after_import_mb or 0)
            services = ", ".join(dict.fromkeys(first.services)) or "none"
            self.add(f"- `{run.function}` (+{growth:.1f} MB): modules {module_text}, calls {services}")
        self.add("")
        attributed = [run for run in runs if run.rss_steps]
        if attributed:
            self.add(
                "The same loading redone one step at a time in a fresh process (`bench/child.py attribute`): the "
                "handler import, then a boto3 client for each service the first request called, then the modules it "
                "loaded, one top-level package at a time. Each figure is the peak RSS after the step, with the step's "
                "increase (steps under 0.5 MB are left out). The rest of the measured peak is the request's own work.",
                "",
            )
            for run in attributed:
                self.add(f"- `{run.function}`: {steps_text(run)}")
            self.add("")

    def dynamodb_section(self) -> None:
        self.add("## DynamoDB calls per request", "")
        runs = self.results.invocations
        if not runs:
            self.add("Not measured in this run.", "")
            return
        self.add(
            "Counted in the same processes as the peak RSS, against the moto server, with botocore's `before-call` "
            "and `after-call` events on boto3's default session, which Leadline's clients come from. Each "
            "scenario's first request is a cold start (every cache empty) and the second the same kind of request "
            "on the warm function. Items read: one per GetItem that found an item, ScannedCount of each Query and "
            "Scan.",
            "",
        )
        for run in runs:
            self.add(f"### `{run.function}`: {run.description}", "")
            if run.skipped:
                self.add(f"Skipped: {run.skipped}.", "")
                continue
            rows = []
            for request in run.requests:
                status = str(request.status) if request.status is not None else "-"
                if not request.ok:
                    status += f" (**unexpected**: {request.problem})"
                rows.append(
                    [
                        request.name,
                        status,
                        str(request.reads),
                        str(request.writes),
                        str(request.items_read),
                        request.calls_text(),
                    ]
                )
            self.table(["request", "status", "reads", "writes", "items read", "calls in order"], rows)
        self.voice_check(runs)

    def voice_check(self, runs: list[FunctionRun]) -> None:
        voice = next((run for run in runs if run.function == VOICE_FUNCTION and not run.skipped), None)
        if voice is None:
            self.summary.append(
                (
                    "DynamoDB calls, warm voice webhook",
                    "`inbound_call`",
                    "not measured",
                    "1 read + 1 write",
                    "not merged yet",
                )
            )
            return
        for request in voice.requests:
            if request.tag not in ("cold", "warm"):
                continue
            passed = request.reads == 1 and request.writes == 1
            result = verdict(passed) if request.tag == "warm" else "-"
            self.summary.append(
                (
                    f"DynamoDB calls, voice webhook ({request.tag})",
                    "`inbound_call`",
                    f"{request.reads} read(s) + {request.writes} write(s)",
                    "1 read + 1 write" if request.tag == "warm" else "none (cache filling)",
                    result,
                )
            )

    def warm_section(self) -> None:
        self.add("## Warm handler CPU per voice webhook", "")
        warm = self.results.warm_cpu
        if warm is None or isinstance(warm, str):
            self.add(f"Skipped: {warm or 'not measured in this run'}.", "")
            self.summary.append(("warm CPU per voice webhook", "`inbound_call`", "not measured", "none", warm or "-"))
            return
        statuses = ", ".join(f"{count}× HTTP {status}" for status, count in warm.statuses.items())
        operations = ", ".join(f"{count}× {ops}" for ops, count in warm.operations.items())
        self.add(
            f"{warm.invocations} warm invocations of `{warm.function}` (`POST /twilio/voice`, a new CallSid each, "
            "signed as Twilio signs), in one process after a first, cold request that is left out. botocore's "
            "send step is replaced by canned responses from a snapshot of the bench's tables. So requests are "
            "still serialised, signed and parsed, but neither moto nor the network is in the figure. CPU is "
            "`time.process_time()` around each handler call.",
            "",
            "Command: `.venv/bin/python bench/child.py warm SPEC RESULT`, run by `python -m bench`.",
            "",
        )
        self.table(
            ["median CPU ms", "90th percentile ms", "reference loop ms", "median / reference"],
            [
                [
                    f"{warm.median_ms:.2f}",
                    f"{warm.p90_ms:.2f}",
                    f"{warm.reference_median_ms:.2f}",
                    f"{warm.reference_ratio:.2f}",
                ]
            ],
        )
        self.add(
            f"Responses: {statuses}, and {warm.dialled} of {warm.invocations} returned a `<Dial>`. AWS calls per "
            f"invocation: {operations}. The reference loop is a fixed pure-Python workload (`child.reference_loop`) "
            "run after each invocation, so the ratio can be compared between runs on a noisy machine. There is no "
            "target for this figure.",
            "",
        )
        self.summary.append(
            (
                "warm CPU per voice webhook",
                "`inbound_call`",
                f"{warm.median_ms:.2f} ms ({warm.reference_ratio:.2f}× reference)",
                "none",
                "-",
            )
        )

    def report_section(self) -> None:
        self.add("## Report scaling", "")
        figures = self.results.report_scaling
        if figures is None or isinstance(figures, str):
            self.add(f"Skipped: {figures or 'not measured in this run'}.", "")
            self.summary.append(
                (
                    "report reads vs older history",
                    "`nightly_report` + `report_worker`",
                    "not measured",
                    "same reads",
                    figures or "-",
                )
            )
            return
        self.add(
            f"A whole nightly run for {REPORT_DATE.isoformat()} (a {REPORT_DATE.strftime('%A')}, so the month "
            f"to date is {REPORT_DATE.day} days) through the real handlers, in moto in-process: the nightly "
            "start, then every queued message through the report worker as SQS would deliver it. Each "
            f"contractor is a copy of Lone Star Roofing with a ZIP of its own, {DAY_LEADS} unclassified leads "
            "on the report day and one lead on each earlier day of the month, already classified by earlier "
            "runs. Older history is leads from before the month: none in the contractor scaling, then 1x as "
            "many as the month to date and 10x ten times as many.",
            "",
            "Items read: ScannedCount of each Query and Scan, one per GetItem that found an item, one per "
            "BatchGetItem item, from botocore's `after-call` event. Time: wall time of each phase, split into time "
            "inside AWS calls (between `before-call` and `after-call`: moto, in this process) and outside them "
            "(Leadline's code and botocore). moto evaluates a Query on an index against every item of the table, "
            "so its share grows with the table, while DynamoDB reads only the matching index items. The time outside "
            "AWS calls is the part that stands for Lambda.",
            "",
            "Command: `python -m bench` (`bench/report_scaling.py`).",
            "",
        )
        rows = []
        for result in figures:
            reports = result.phases["contractor reports"]
            per_report = statistics.median(result.per_report_items) if result.per_report_items else 0
            outside_ms = reports.outside_aws_seconds * 1000 / max(1, result.data_set.contractors)
            rows.append(
                [
                    result.data_set.label,
                    str(result.leads_in_table),
                    str(result.day_leads),
                    str(result.month_leads),
                    str(result.history_leads),
                    str(result.items_read),
                    f"{per_report:.0f}",
                    f"{sum(p.wall_seconds for p in result.phases.values()):.1f}",
                    f"{sum(p.aws_seconds for p in result.phases.values()):.1f}",
                    f"{sum(p.outside_aws_seconds for p in result.phases.values()):.1f}",
                    f"{outside_ms:.1f}",
                ]
            )
        self.table(
            [
                "data set",
                "leads in table",
                "day's leads",
                "month-to-date leads",
                "older leads",
                "items read",
                "items read per report (median)",
                "run s",
                "in AWS calls s",
                "outside AWS calls s",
                "outside AWS calls per report ms",
            ],
            rows,
        )
        self.add("Items read by call, per data set:", "")
        for result in figures:
            parts = ", ".join(
                f"{label} {count}" for label, count in sorted(items_by_operation(result).items()) if count
            )
            handled = ", ".join(f"{name} {count}" for name, count in sorted(result.reports.items()))
            self.add(f"- {result.data_set.label}: {parts}. Messages: {handled}.")
        self.add("")
        self.history_check(figures)

    def history_check(self, figures: list[RunFigures]) -> None:
        by_contractors: dict[int, dict[int, int]] = {}
        for result in figures:
            by_contractors.setdefault(result.data_set.contractors, {})[result.data_set.history] = result.items_read
        for contractors, by_history in sorted(by_contractors.items()):
            if len(by_history) < 2:
                continue
            values = ", ".join(f"{history}x: {items}" for history, items in sorted(by_history.items()))
            passed = len(set(by_history.values())) == 1
            self.add(
                f"With {contractors} contractors, items read by older history: {values}, so reads "
                f"{'do not' if passed else '**do**'} grow with older history. They follow the month to date, "
                "whose figures need every lead of the month: one ByContractor item per month-to-date lead, one "
                "ByHomeowner item per lead that is new since the last run, and the contractor, route and agency "
                "settings items.",
                "",
            )
            self.summary.append(
                (
                    f"report items read, {contractors} contractors",
                    "`nightly_report` + `report_worker`",
                    values,
                    "the same for any older history",
                    verdict(passed),
                )
            )
        for result in figures:
            if result.data_set.history == 0:
                self.summary.append(
                    (
                        f"report items read, {result.data_set.label}",
                        "`nightly_report` + `report_worker`",
                        f"{result.items_read} (month-to-date leads {result.month_leads})",
                        "none",
                        "-",
                    )
                )

    def size_section(self) -> None:
        self.add("## Built size", "")
        sizes = self.results.sizes
        if sizes is None:
            self.add("Not measured in this run.", "")
            return
        self.add(
            f"Measured on: {sizes.method}. Command: `{sizes.command}`, then the bench sums file sizes and zips "
            "each folder with deflate, as `sam deploy` uploads it.",
            "",
        )
        if sizes.problem:
            self.add(f"The build output could not be used: {sizes.problem}", "")
        rows = [
            [
                f"`{artifact.name}`",
                artifact.kind,
                str(artifact.files),
                f"{artifact.unzipped_bytes / MIB:.2f}",
                f"{artifact.zipped_bytes / MIB:.2f}",
            ]
            for artifact in sizes.artifacts
        ]
        self.table(["artifact", "kind", "files", "unzipped MiB", "zipped MiB"], rows)
        for artifact in sizes.artifacts:
            if artifact.largest:
                parts = ", ".join(f"{name} {size / MIB:.1f}" for name, size in artifact.largest)
                self.add(f"Largest entries of `{artifact.name}` (MiB, unzipped): {parts}.", "")
        self.add(
            "Lambda's limit is 250 MB unzipped for a function and its layers together, and 50 MB zipped for a "
            "direct upload. The layer holds only layers/requirements.txt and leadline: boto3 comes with the runtime.",
            "",
        )

    def misses_section(self) -> None:
        misses = [row for row in self.summary if row[4] == verdict(False)]
        self.add("## Missed targets: what costs the time and what would fix it", "")
        if not misses:
            self.add("Every target measured in this run is met.", "")
            return
        self.add(
            "The causes below come from this run's import breakdown and from the modules each first request loads. "
            "The fixes are suggestions and were not measured.",
            "",
        )
        init = self.results.init_cost
        runs = {run.function: run for run in self.results.invocations}
        for measure, function, figure, target, _ in misses:
            name = function.split("`")[1] if "`" in function else function
            self.add(f"### {measure}: {function} is {figure} (target {target})", "")
            packages: list[str] = []
            if measure.startswith("init") and init is not None:
                ranking = init.import_breakdown.get(name, [])
                self.add("Largest import self times: " + ", ".join(f"{p} {ms:.0f} ms" for p, ms in ranking) + ".", "")
                packages = [package for package, _ in ranking]
            elif measure.startswith("peak RSS") and name in runs:
                run = runs[name]
                if run.rss_steps:
                    baseline = ""
                    if init is not None:
                        boto3_peak = init.results[WITH_PYC].peak_rss_kib[REFERENCE] / 1024
                        baseline = f" (an interpreter that imports only boto3: {boto3_peak:.1f} MB)"
                    self.add(f"After the handler import: {run.rss_steps[0][1]:.1f} MB{baseline}.", "")
                steps = sorted(
                    (step for step in rss_increases(run) if step[1] >= MIN_STEP_MB), key=lambda pair: -pair[1]
                )
                if steps:
                    self.add(
                        "Largest steps: " + ", ".join(f"{label} {mb_:+.1f} MB" for label, mb_ in steps[:6]) + ".", ""
                    )
                packages = [package_of_step(label) for label, increase in steps if increase >= 1.0]
                if init is not None:
                    packages += [package for package, _ in init.import_breakdown.get(name, [])[:3]]
            explained = [package for package in dict.fromkeys(packages) if package in KNOWN_COSTS]
            for package in explained[:4]:
                self.add(f"- {KNOWN_COSTS[package]}")
            if not explained:
                self.add("- No known cause among the leading packages. See the tables above.")
            self.add("")

    def header(self) -> None:
        results = self.results
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        sections = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in results.section_seconds.items())
        self.add(
            "# Benchmarks",
            "",
            f"Written by `{results.command}` on {now}, on {results.revision}, in {results.elapsed_seconds:.0f} s "
            f"({sections}). Rerun it to refresh every figure. Everything the bench starts listens and connects on "
            "127.0.0.1 only, but `make build`, which it runs for the built sizes, installs the layer's packages from "
            "the package index.",
            "",
            f"Machine: {cpu_model()}, {__import__('os').cpu_count()} CPUs, Linux {platform.release()}, "
            f"Python {platform.python_version()}. Packages: {package_versions()}.",
            "",
            "The machine is shared and noisy, so times are medians and are compared with a reference measured in "
            "the same run (`import boto3`, or a fixed loop). Lambda's CPUs differ from this one (the template "
            "deploys arm64), so compare the ratios, not the milliseconds.",
            "",
        )
        differences = pin_differences()
        if differences:
            self.add(
                "The measured processes import the packages of `.venv`, for this machine's architecture, because the "
                "arm64 layer that `make build` makes cannot load here. They differ from the layer's pins in "
                f"layers/requirements.txt: {', '.join(differences)}.",
                "",
            )
        if results.quick:
            self.add("**Quick run (`--quick`): too few samples for the figures to be compared with targets.**", "")
        missing = missing_target_functions(results.functions)
        if missing:
            names = ", ".join(f"`functions/{name}`" for name in missing)
            self.add(f"Not merged yet on this branch, so not measured: {names}.", "")

    def summary_table(self) -> list[str]:
        lines = [
            "## Targets",
            "",
            "| measure | function | figure | target | result |",
            "| --- | --- | --- | --- | --- |",
        ]
        lines += [f"| {' | '.join(row)} |" for row in self.summary]
        return [*lines, ""]


def write_markdown(results: BenchResults, path: Path) -> None:
    writer = Writer(results)
    writer.header()
    header_lines = writer.lines
    writer.lines = []
    writer.init_section()
    writer.rss_section()
    writer.dynamodb_section()
    writer.warm_section()
    writer.report_section()
    writer.size_section()
    body = writer.lines
    writer.lines = []
    writer.misses_section()
    document = header_lines + writer.summary_table() + writer.lines + body
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(document).rstrip() + "\n", encoding="utf-8")
