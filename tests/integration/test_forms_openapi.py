"""The checked-in OpenAPI document of POST /leads matches what the handler generates."""

import json
import os
from pathlib import Path

from tests.support.forms import PROJECT_ROOT, load_function

DOCUMENT = PROJECT_ROOT / "docs" / "openapi" / "form_submit.json"
UPDATE_VARIABLE = "UPDATE_OPENAPI"


def generated() -> str:
    return str(load_function("form_submit").openapi_document()) + "\n"


def test_checked_in_openapi_is_current() -> None:
    if os.environ.get(UPDATE_VARIABLE) == "1":
        DOCUMENT.write_text(generated(), encoding="utf-8")
    assert DOCUMENT.exists(), f"{DOCUMENT} is missing; run {UPDATE_VARIABLE}=1 pytest {Path(__file__).name}"
    assert DOCUMENT.read_text(encoding="utf-8") == generated(), (
        f"{DOCUMENT.relative_to(PROJECT_ROOT)} is stale; regenerate it with "
        f"{UPDATE_VARIABLE}=1 .venv/bin/pytest tests/integration/{Path(__file__).name}"
    )


def test_openapi_documents_both_media_types() -> None:
    document = json.loads(generated())
    operation = document["paths"]["/leads"]["post"]
    content = operation["requestBody"]["content"]
    assert set(content) == {"application/json", "application/x-www-form-urlencoded"}
    assert "zip" in content["application/json"]["schema"]["required"]
    assert {"201", "303", "400", "413", "415", "422"} <= set(operation["responses"])
