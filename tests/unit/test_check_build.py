"""tools/check_build.py on small hand-made build folders."""

import importlib.util
import py_compile
import sys
from pathlib import Path
from types import ModuleType

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python{major}.{minor}
    Architectures: [arm64]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: Fn
      Handler: app.lambda_handler
"""


def load_check_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_build", PROJECT_ROOT / "tools" / "check_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_build = load_check_build()


def make_build(tmp_path: Path, *, invalidation: py_compile.PycInvalidationMode | None) -> Path:
    version = sys.version_info
    (tmp_path / "template.yaml").write_text(TEMPLATE.format(major=version.major, minor=version.minor))
    source = tmp_path / "Fn" / "app.py"
    source.parent.mkdir()
    source.write_text("def lambda_handler(event, context):\n    return event\n")
    if invalidation is not None:
        py_compile.compile(str(source), invalidation_mode=invalidation, doraise=True)
    return tmp_path


def elf_header(machine: int) -> bytes:
    return b"\x7fELF\x02\x01" + bytes(12) + machine.to_bytes(2, "little") + bytes(44)


def test_valid_build_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build = make_build(tmp_path, invalidation=py_compile.PycInvalidationMode.UNCHECKED_HASH)

    code = check_build.main(["check_build.py", str(build)])

    assert code == 0, capsys.readouterr().err


def test_missing_pyc_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build = make_build(tmp_path, invalidation=None)

    assert check_build.main(["check_build.py", str(build)]) == 1
    assert f"no {sys.implementation.cache_tag} .pyc" in capsys.readouterr().err


def test_timestamp_pyc_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build = make_build(tmp_path, invalidation=py_compile.PycInvalidationMode.TIMESTAMP)

    assert check_build.main(["check_build.py", str(build)]) == 1
    assert "timestamp-based" in capsys.readouterr().err


def test_edited_source_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build = make_build(tmp_path, invalidation=py_compile.PycInvalidationMode.CHECKED_HASH)
    (build / "Fn" / "app.py").write_text("def lambda_handler(event, context):\n    return None\n")

    assert check_build.main(["check_build.py", str(build)]) == 1
    assert "hash does not match" in capsys.readouterr().err


def test_wrong_magic_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build = make_build(tmp_path, invalidation=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    pyc = next((build / "Fn" / "__pycache__").glob("*.pyc"))
    pyc.write_bytes(b"\x00\x00\r\n" + pyc.read_bytes()[4:])

    assert check_build.main(["check_build.py", str(build)]) == 1
    assert "magic number" in capsys.readouterr().err


def test_missing_handler_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build = make_build(tmp_path, invalidation=None)
    (build / "Fn" / "app.py").unlink()

    assert check_build.main(["check_build.py", str(build)]) == 1
    assert "handler module" in capsys.readouterr().err


def test_x86_extension_fails_arm64(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build = make_build(tmp_path, invalidation=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    (build / "Fn" / "fast.so").write_bytes(elf_header(62))

    assert check_build.main(["check_build.py", str(build)]) == 1
    assert "ELF machine 62, not arm64" in capsys.readouterr().err


def test_arm64_extension_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build = make_build(tmp_path, invalidation=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    (build / "Fn" / "fast.so").write_bytes(elf_header(183))

    assert check_build.main(["check_build.py", str(build)]) == 0, capsys.readouterr().err
