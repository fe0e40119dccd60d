"""The user-facing local commands, run as a user runs them: `leadline serve` and `leadline demo`."""

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_CONFIG, PROJECT_ROOT

pytestmark = pytest.mark.slow


def leadline_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "leadline.cli", *args]


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and not k.endswith("_TABLE")}
    env.pop("TWILIO_AUTH_TOKEN", None)
    return env


def test_serve_applies_config_and_serves_routes(tmp_path: Path) -> None:
    process = subprocess.Popen(
        leadline_command("serve", "--config", str(EXAMPLE_CONFIG), "--port", "0", "--out", str(tmp_path)),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=clean_env(), cwd=PROJECT_ROOT,
    )
    try:
        assert process.stdout is not None
        seen = []
        api_url = None
        for line in process.stdout:
            seen.append(line)
            match = re.match(r"Local API:\s+(http://127\.0\.0\.1:\d+)", line)
            if match:
                api_url = match.group(1)
                break
        assert api_url, "serve never printed its URL:\n" + "".join(seen)
        assert any("routes: 320 added" in line for line in seen)
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(f"{api_url}/no-such-route", timeout=10)
        assert caught.value.code == 403

        exports = {}
        for line in process.stdout:
            if line.startswith("Press Ctrl+C"):
                break
            match = re.match(r"\s+export (\w+)=(\S+)$", line)
            if match:
                exports[match.group(1)] = match.group(2)
        second_shell = subprocess.run(
            leadline_command("config", "apply", str(EXAMPLE_CONFIG), "--dry-run"),
            capture_output=True, text=True, env={**clean_env(), **exports}, cwd=PROJECT_ROOT,
            timeout=120, check=False,
        )
        assert second_shell.returncode == 0, second_shell.stderr
        assert "No changes: the tables already match" in second_shell.stdout
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_demo_fills_out_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run(
        leadline_command("demo", "--config", str(EXAMPLE_CONFIG), "--out", str(out)),
        capture_output=True, text=True, env=clean_env(), cwd=PROJECT_ROOT, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "320 added" in (out / "summary.txt").read_text()
    assert (out / "leads.csv").read_text().startswith("received_at,lead_id,channel")
    assert (out / "config-apply.txt").exists()


def test_table_command_without_tables_says_what_to_set(tmp_path: Path) -> None:
    env = clean_env()
    env["AWS_DEFAULT_REGION"] = "us-east-1"
    result = subprocess.run(
        leadline_command("config", "apply", str(EXAMPLE_CONFIG), "--dry-run"),
        capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=120, check=False,
    )
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert "NUMBERS_TABLE" in result.stderr
    assert "run the export lines that `leadline serve` prints" in result.stderr
