"""The benchmark harness's own logic: discovery, counting and skipping. No figure is asserted."""

import json
from pathlib import Path
from typing import Any

import pytest

from bench.child import CannedAws, item_key, items_read
from bench.invocations import run_all
from bench.markdown import BenchResults, write_markdown
from bench.project import PLACEHOLDER_MARK, TARGETS, FunctionSpec, discover_functions
from bench.scenarios import SCENARIOS


class FakeRequest:
    def __init__(self, target: str, body: dict[str, Any]) -> None:
        self.headers = {"X-Amz-Target": target.encode()}
        self.body = json.dumps(body).encode()
        self.url = "http://127.0.0.1:9/"


def test_discovery_finds_template_functions() -> None:
    functions = {function.name: function for function in discover_functions()}

    assert "form_submit" in functions
    assert functions["form_submit"].module == "app"
    assert functions["form_submit"].function_name == "lambda_handler"
    assert ("POST", "/leads") in {(event.method, event.path) for event in functions["form_submit"].api_events}


def test_discovery_targets_name_real_folders() -> None:
    folders = {function.name for function in discover_functions()}

    assert set(TARGETS) <= folders


def test_placeholder_handler_counts_as_missing(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(f'"""Stand-in."""\n\n{PLACEHOLDER_MARK}\n', encoding="utf-8")
    function = FunctionSpec("PlaceholderFunction", tmp_path, "app.lambda_handler")

    assert function.is_placeholder
    assert not function.exists


def test_missing_functions_are_skipped_as_not_merged() -> None:
    runs = run_all([], stack=None)  # type: ignore[arg-type]

    assert [run.function for run in runs] == [scenario.function for scenario in SCENARIOS]
    assert all(run.skipped and run.skipped.startswith("not merged yet") for run in runs)


@pytest.mark.parametrize(
    ("operation", "parsed", "expected"),
    [
        ("GetItem", {"Item": {"lead_id": {"S": "CA1"}}}, 1),
        ("GetItem", {}, 0),
        ("Query", {"Count": 2, "ScannedCount": 5}, 5),
        ("Scan", {"Count": 3}, 3),
        ("BatchGetItem", {"Responses": {"A": [{}, {}], "B": [{}]}}, 3),
        ("PutItem", {}, 0),
    ],
)
def test_items_read_by_operation(operation: str, parsed: dict[str, Any], expected: int) -> None:
    assert items_read(operation, parsed) == expected


def test_canned_get_item_returns_snapshot_item() -> None:
    key = {"trade": {"S": "roofing"}, "zip": {"S": "75201"}}
    item = {**key, "contractor_id": {"S": "lone-star-roofing"}}
    canned = CannedAws({item_key("RoutesTable", key): item}, {})

    found = canned.dynamodb("GetItem", {"TableName": "RoutesTable", "Key": dict(reversed(key.items()))})
    missing = canned.dynamodb("GetItem", {"TableName": "RoutesTable", "Key": {"trade": {"S": "hvac"}}})

    assert found == {"Item": item}
    assert missing == {}


def test_canned_aws_rejects_unknown_requests() -> None:
    canned = CannedAws({}, {})

    with pytest.raises(RuntimeError, match="no canned response"):
        canned.send(FakeRequest("AmazonSQS.DeleteQueue", {}))


def test_markdown_lists_unmeasured_sections(tmp_path: Path) -> None:
    output = tmp_path / "benchmarks.md"
    results = BenchResults(command="python -m bench", revision="test", functions=[])

    write_markdown(results, output)

    text = output.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n")
    assert "## Targets" in text
    assert "Skipped: not measured in this run." in text
