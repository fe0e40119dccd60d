"""The functions to measure, discovered from template.yaml, and the targets they are held to."""

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
LAYERS_DIR = PROJECT_ROOT / "layers"
TEMPLATE_PATH = PROJECT_ROOT / "template.yaml"
PYTHON = sys.executable
# A handler module containing this line is a placeholder, not the flow's real handler.
PLACEHOLDER_MARK = "IS_PLACEHOLDER = True"


@dataclass(frozen=True)
class Target:
    """A function's budget: import CPU as a multiple of ``import boto3``, and peak RSS in MB."""

    flow: str
    init_ratio: float
    peak_rss_mb: float


# Keyed by the function's folder under functions/. The report targets apply to both halves of
# the fanned-out run: the scheduled start and the worker that builds and sends each report.
TARGETS = {
    "inbound_call": Target("voice", 1.65, 55),
    "form_submit": Target("form", 2.2, 65),
    "nightly_report": Target("report", 1.8, 55),
    "report_worker": Target("report", 1.8, 55),
}


@dataclass(frozen=True)
class ApiEvent:
    method: str
    path: str


@dataclass(frozen=True)
class FunctionSpec:
    """One ``AWS::Serverless::Function`` of the template."""

    logical_id: str
    code_dir: Path
    handler: str
    api_events: list[ApiEvent] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.code_dir.name

    @property
    def module(self) -> str:
        return self.handler.rpartition(".")[0]

    @property
    def function_name(self) -> str:
        return self.handler.rpartition(".")[2]

    @property
    def handler_file(self) -> Path:
        return self.code_dir / (self.module.replace(".", "/") + ".py")

    @property
    def is_placeholder(self) -> bool:
        """True for the stand-in handlers that let `sam build` package a flow not merged yet."""
        return self.handler_file.is_file() and PLACEHOLDER_MARK in self.handler_file.read_text(encoding="utf-8")

    @property
    def exists(self) -> bool:
        """True when the real handler is here: its module exists and is not a placeholder."""
        return self.handler_file.is_file() and not self.is_placeholder

    @property
    def target(self) -> Target | None:
        return TARGETS.get(self.name)


def load_template() -> dict[str, Any]:
    # Imported here so that the child processes, which import this module, stay lean.
    from leadline.local.template import load_template as load

    template: dict[str, Any] = load(TEMPLATE_PATH)
    return template


def discover_functions() -> list[FunctionSpec]:
    """Return every function in template.yaml with its CodeUri, Handler and API events."""
    template = load_template()
    globals_function = template.get("Globals", {}).get("Function", {})
    functions = []
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        properties = resource["Properties"]
        events = [
            ApiEvent(event["Properties"]["Method"].upper(), event["Properties"]["Path"])
            for event in (properties.get("Events") or {}).values()
            if event["Type"] == "Api"
        ]
        functions.append(
            FunctionSpec(
                logical_id=logical_id,
                code_dir=(PROJECT_ROOT / str(properties["CodeUri"])).resolve(),
                handler=str(properties.get("Handler", globals_function.get("Handler"))),
                api_events=events,
            )
        )
    return functions


def missing_target_functions(functions: list[FunctionSpec]) -> list[str]:
    """Return the folders that have a target but no function in the template or on disk."""
    present = {function.name for function in functions if function.exists}
    return [name for name in TARGETS if name not in present]
