"""`make validate` on template.yaml and on copies with a planted error.

The tools run from .venv-tools exactly as the Makefile runs them: cfn-lint 1.53.3 (with the
rules in tools/cfnlint_rules, through .cfnlintrc) and `sam validate --lint`, offline.
"""

import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TOOLS_BIN = PROJECT_ROOT / ".venv-tools" / "bin"
PLANTED_ERRORS = PROJECT_ROOT / "tests" / "fixtures" / "planted_template_errors.yaml"
CFN_LINT_VERSION = "1.53.3"

pytestmark = pytest.mark.skipif(
    not (TOOLS_BIN / "cfn-lint").exists() or not (TOOLS_BIN / "sam").exists(),
    reason=".venv-tools is missing; `make tools` (or `make test`) creates it",
)


def offline_env() -> dict[str, str]:
    """Return the environment the Makefile gives the tools: no telemetry, placeholder credentials."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env.update(
        {
            "SAM_CLI_TELEMETRY": "0",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "offline",
            "AWS_SECRET_ACCESS_KEY": "offline",
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        }
    )
    return env


def run_tool(arguments: list[str], prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*(prefix or []), *arguments],
        cwd=PROJECT_ROOT,
        env=offline_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def cfn_lint(template: Path, prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_tool([str(TOOLS_BIN / "cfn-lint"), "--", str(template)], prefix)


def sam_validate(template: Path, prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    arguments = [
        str(TOOLS_BIN / "sam"),
        "validate",
        "--lint",
        "--template-file",
        str(template),
        "--region",
        "us-east-1",
    ]
    return run_tool(arguments, prefix)


def planted_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = yaml.safe_load(PLANTED_ERRORS.read_text(encoding="utf-8"))
    return cases


def plant(case: dict[str, Any], directory: Path) -> Path:
    text = (PROJECT_ROOT / "template.yaml").read_text(encoding="utf-8")
    assert case["find"] in text, (
        f"{case['name']}: {case['find']!r} is no longer in template.yaml; update {PLANTED_ERRORS.name}"
    )
    planted = directory / f"{case['name']}.yaml"
    planted.write_text(text.replace(case["find"], case["replace"], 1), encoding="utf-8")
    return planted


@pytest.fixture(scope="module")
def planted_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("planted")
    return {case["name"]: plant(case, directory) for case in planted_cases()}


@pytest.fixture(scope="module")
def cfn_lint_findings(planted_templates: dict[str, Path]) -> dict[str, list[str]]:
    """Run cfn-lint once over every planted copy; return {case name: its parseable findings}."""
    arguments = [
        str(TOOLS_BIN / "cfn-lint"),
        "--format",
        "parseable",
        "--",
        *map(str, planted_templates.values()),
    ]
    output = run_tool(arguments).stdout.splitlines()
    return {
        name: [line for line in output if line.startswith(f"{path}:")]
        for name, path in planted_templates.items()
    }


@pytest.fixture(scope="module")
def sam_validate_results(planted_templates: dict[str, Path]) -> dict[str, subprocess.CompletedProcess[str]]:
    """Run `sam validate --lint` on every planted copy, several at a time."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = pool.map(sam_validate, planted_templates.values())
        return dict(zip(planted_templates, results, strict=True))


def test_cfn_lint_is_pinned_version() -> None:
    completed = run_tool([str(TOOLS_BIN / "cfn-lint"), "--version"])

    assert completed.stdout.strip() == f"cfn-lint {CFN_LINT_VERSION}"


def test_cfn_lint_passes_template() -> None:
    completed = cfn_lint(PROJECT_ROOT / "template.yaml")

    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_sam_validate_passes_template() -> None:
    completed = sam_validate(PROJECT_ROOT / "template.yaml")

    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.parametrize("case", planted_cases(), ids=lambda case: case["name"])
def test_cfn_lint_fails_planted_error(case: dict[str, Any], cfn_lint_findings: dict[str, list[str]]) -> None:
    findings = cfn_lint_findings[case["name"]]
    rules = {line.split(":")[5] for line in findings}

    assert case["rule"] in rules, findings


@pytest.mark.parametrize("case", planted_cases(), ids=lambda case: case["name"])
def test_sam_validate_fails_planted_error(
    case: dict[str, Any], sam_validate_results: dict[str, subprocess.CompletedProcess[str]]
) -> None:
    completed = sam_validate_results[case["name"]]

    assert completed.returncode != 0
    assert case["rule"] in completed.stdout, completed.stdout + completed.stderr


def network_namespace_prefix() -> list[str]:
    """Return `unshare -n` when this machine lets the tests drop the network, else skip."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare is not installed, so the tests cannot cut the network")
    probe = subprocess.run([unshare, "-n", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("unshare -n is not permitted here, so the tests cannot cut the network")
    return [unshare, "-n"]


def test_validate_works_without_network() -> None:
    prefix = network_namespace_prefix()

    with ThreadPoolExecutor(max_workers=2) as pool:
        lint_run = pool.submit(cfn_lint, PROJECT_ROOT / "template.yaml", prefix)
        validate_run = pool.submit(sam_validate, PROJECT_ROOT / "template.yaml", prefix)
        lint, validate = lint_run.result(), validate_run.result()

    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert validate.returncode == 0, validate.stdout + validate.stderr
