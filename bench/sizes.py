"""Built size: unzipped and zipped size of each function and of the layer.

Measured on the output of ``make build`` (``sam build`` then .pyc compilation) when the
Makefile has that target. Otherwise, and when the build fails, the layer is approximated by
``pip install --target`` of layers/requirements.txt plus the leadline package, and each
function by its folder. The report names the method used.
"""

import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from bench.project import LAYERS_DIR, PROJECT_ROOT, PYTHON, load_template

BUILD_DIR = PROJECT_ROOT / ".aws-sam" / "build"
BUILD_TIMEOUT_SECONDS = 480
MIB = 1024 * 1024


@dataclass
class ArtifactSize:
    name: str
    kind: str
    files: int
    unzipped_bytes: int
    zipped_bytes: int
    largest: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class SizeReport:
    method: str
    command: str
    artifacts: list[ArtifactSize]
    problem: str | None = None


def folder_size(folder: Path) -> tuple[int, int]:
    files = [path for path in folder.rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files)


def zipped_size(folder: Path) -> int:
    """Return the size of a deflate zip of the folder, as ``sam deploy`` uploads it."""
    with tempfile.TemporaryDirectory(prefix="leadline-zip-") as work_dir:
        archive = Path(work_dir) / "artifact.zip"
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    zipped.write(path, path.relative_to(folder))
        return archive.stat().st_size


def largest_entries(folder: Path, top: int = 8) -> list[tuple[str, int]]:
    """Return the biggest top-level packages of a layer's python/ folder (or of the folder)."""
    root = folder / "python" if (folder / "python").is_dir() else folder
    sizes = []
    for entry in root.iterdir():
        if entry.name.endswith((".dist-info", ".egg-info")):
            continue
        size = entry.stat().st_size if entry.is_file() else folder_size(entry)[1]
        sizes.append((entry.name, size))
    return sorted(sizes, key=lambda pair: -pair[1])[:top]


def measure(folder: Path, name: str, kind: str) -> ArtifactSize:
    files, unzipped = folder_size(folder)
    largest = largest_entries(folder) if kind == "layer" else []
    return ArtifactSize(name, kind, files, unzipped, zipped_size(folder), largest)


def has_make_target(target: str) -> bool:
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    return re.search(rf"^{re.escape(target)}:", makefile, flags=re.MULTILINE) is not None


def built_artifacts() -> list[ArtifactSize]:
    """Measure each function and layer folder of .aws-sam/build, named by logical id."""
    template = load_template()
    artifacts = []
    for logical_id, resource in template["Resources"].items():
        kind = {"AWS::Serverless::Function": "function", "AWS::Serverless::LayerVersion": "layer"}.get(resource["Type"])
        folder = BUILD_DIR / logical_id
        if kind and folder.is_dir():
            artifacts.append(measure(folder, logical_id, kind))
    return artifacts


def approximate_artifacts(work_dir: Path) -> list[ArtifactSize]:
    """Install the layer's requirements and the package into a folder, and measure it."""
    layer = work_dir / "layer" / "python"
    subprocess.run(
        [PYTHON, "-m", "pip", "install", "--quiet", "--target", str(layer), "-r", str(LAYERS_DIR / "requirements.txt")],
        check=True,
        timeout=BUILD_TIMEOUT_SECONDS,
    )
    shutil.copytree(LAYERS_DIR / "leadline", layer / "leadline", ignore=shutil.ignore_patterns("__pycache__"))
    artifacts = [measure(layer.parent, "LeadlineLayer", "layer")]
    template = load_template()
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] == "AWS::Serverless::Function":
            folder = PROJECT_ROOT / str(resource["Properties"]["CodeUri"])
            copy = work_dir / logical_id
            shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("__pycache__"))
            artifacts.append(measure(copy, logical_id, "function"))
    return artifacts


def measure_sizes(*, reuse_build: bool) -> SizeReport:
    if has_make_target("build"):
        problem = None
        if not (reuse_build and BUILD_DIR.is_dir()):
            completed = subprocess.run(
                ["make", "build"],
                cwd=PROJECT_ROOT,
                capture_output=True,
                text=True,
                timeout=BUILD_TIMEOUT_SECONDS,
                check=False,
                env={**os.environ},
            )
            if completed.returncode != 0:
                problem = f"`make build` failed (exit code {completed.returncode}): {completed.stderr[-600:]}"
        if problem is None:
            return SizeReport("sam build output (.aws-sam/build)", "make build", built_artifacts())
    else:
        problem = "the Makefile has no `build` target on this branch"
    with tempfile.TemporaryDirectory(prefix="leadline-size-") as work_dir:
        artifacts = approximate_artifacts(Path(work_dir))
    command = f"{Path(PYTHON).name} -m pip install --target DIR -r layers/requirements.txt, plus layers/leadline"
    return SizeReport("pip install --target (an approximation of the build)", command, artifacts, problem)
