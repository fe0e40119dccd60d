"""Check the artifact of `sam build` before it is deployed.

Usage: python tools/check_build.py [BUILD_DIR] (default .aws-sam/build), run by the Python
version of the functions' runtime, because .pyc files are only valid for the version that wrote
them. Checks that:

- every function's folder exists and contains its handler module;
- every layer contains the leadline package and each requirement pinned in its source folder;
- every .py file has a hash-based .pyc for this Python next to it, and every .pyc is valid:
  this Python's magic number and a hash that matches its source;
- every native extension is built for the template's architecture and Python version.

Prints one line per function and layer and exits 1 listing every problem found.
"""

import importlib.util
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT / "layers"))

from leadline.local.template import load_template  # noqa: E402 - needs the path above

ELF_MACHINES = {"arm64": 183, "x86_64": 62}  # e_machine values: EM_AARCH64, EM_X86_64
EXTENSION_ARCH_TAGS = {"arm64": "aarch64", "x86_64": "x86_64"}
PYC_FLAG_HASH_BASED = 0b01
PYC_HEADER_BYTES = 16


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def function_settings(template: dict[str, Any], properties: dict[str, Any]) -> tuple[str, str]:
    """Return the runtime and architecture of a function, Globals applied."""
    globals_function = template.get("Globals", {}).get("Function", {})
    runtime = properties.get("Runtime", globals_function.get("Runtime", ""))
    architectures = properties.get("Architectures", globals_function.get("Architectures", ["x86_64"]))
    return str(runtime), str(architectures[0])


def expected_runtime() -> str:
    return f"python{sys.version_info.major}.{sys.version_info.minor}"


def check_functions(template: dict[str, Any], build_dir: Path, report: Report) -> set[str]:
    """Check each function's folder and handler, and return the architectures in use."""
    architectures = set()
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        properties = resource["Properties"]
        runtime, architecture = function_settings(template, properties)
        architectures.add(architecture)
        if runtime != expected_runtime():
            report.problems.append(
                f"{logical_id}: runtime {runtime}, but this check runs {expected_runtime()}; "
                f"run it with the runtime's Python"
            )
        code_dir = build_dir / str(properties["CodeUri"])
        module_name = str(properties["Handler"]).rpartition(".")[0]
        handler_file = code_dir / (module_name.replace(".", "/") + ".py")
        if not code_dir.is_dir():
            report.problems.append(f"{logical_id}: built folder {code_dir} is missing")
        elif not handler_file.is_file():
            report.problems.append(f"{logical_id}: handler module {handler_file} is missing")
        else:
            report.lines.append(f"{logical_id}: {describe_folder(code_dir)}")
    return architectures


def pinned_requirements(requirements_file: Path) -> dict[str, str]:
    """Return {normalised name: version} for each `name==version` line of a requirements file."""
    pins = {}
    for line in requirements_file.read_text(encoding="utf-8").splitlines():
        requirement = line.split("#", 1)[0].strip()
        name, separator, version = requirement.partition("==")
        if separator:
            pins[normalise(name)] = version.strip()
    return pins


def normalise(distribution_name: str) -> str:
    return re.sub(r"[-_.]+", "_", distribution_name.strip()).lower()


def check_layers(
    template: dict[str, Any], source_template: dict[str, Any], build_dir: Path, report: Report
) -> None:
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::LayerVersion":
            continue
        site_packages = build_dir / str(resource["Properties"]["ContentUri"]) / "python"
        if not (site_packages / "leadline" / "__init__.py").is_file():
            report.problems.append(f"{logical_id}: {site_packages}/leadline/__init__.py is missing")
            continue
        source_dir = PROJECT_ROOT / str(source_template["Resources"][logical_id]["Properties"]["ContentUri"])
        installed = dict(installed_distribution(path) for path in site_packages.glob("*.dist-info"))
        for name, version in pinned_requirements(source_dir / "requirements.txt").items():
            if installed.get(name) != version:
                report.problems.append(
                    f"{logical_id}: requirement {name}=={version} is missing (found {installed.get(name)})"
                )
        report.lines.append(f"{logical_id}: {describe_folder(site_packages.parent)}")


def installed_distribution(dist_info: Path) -> tuple[str, str]:
    """Return (normalised name, version) of a `name-version.dist-info` folder."""
    name, _, version = dist_info.name.removesuffix(".dist-info").rpartition("-")
    return normalise(name), version


def describe_folder(folder: Path) -> str:
    files = [path for path in folder.rglob("*") if path.is_file()]
    size = sum(path.stat().st_size for path in files)
    modules = sum(1 for path in files if path.suffix == ".py")
    return f"{len(files)} files, {modules} modules, {size / 1_000_000:.1f} MB unzipped"


def pyc_problem(pyc_path: Path, source_path: Path) -> str | None:
    """Return why a .pyc is not valid for this Python and its source, or None when it is."""
    header = pyc_path.read_bytes()[:PYC_HEADER_BYTES]
    if header[:4] != importlib.util.MAGIC_NUMBER:
        return f"{pyc_path}: magic number {header[:4].hex()} is not {expected_runtime()}'s"
    flags = int.from_bytes(header[4:8], "little")
    if not flags & PYC_FLAG_HASH_BASED:
        return f"{pyc_path}: timestamp-based; it goes stale when the zip changes the source's mtime"
    if not source_path.is_file():
        return f"{pyc_path}: its source {source_path.name} is missing"
    if header[8:16] != importlib.util.source_hash(source_path.read_bytes()):
        return f"{pyc_path}: its hash does not match {source_path}"
    return None


def check_bytecode(build_dir: Path, report: Report) -> int:
    """Check that every .py has a valid .pyc for this Python, and return the number of .pyc files."""
    cache_tag = sys.implementation.cache_tag
    checked = 0
    for path in sorted(build_dir.rglob("*.py")):
        pyc_path = path.parent / "__pycache__" / f"{path.stem}.{cache_tag}.pyc"
        if not pyc_path.is_file():
            report.problems.append(f"{path}: no {cache_tag} .pyc next to it")
    for pyc_path in sorted(build_dir.rglob("*.pyc")):
        stem = pyc_path.name.split(".", 1)[0]
        source_path = pyc_path.parent.parent / f"{stem}.py"
        problem = pyc_problem(pyc_path, source_path)
        if problem:
            report.problems.append(problem)
        checked += 1
    return checked


def elf_machine(path: Path) -> int | None:
    """Return the e_machine field of an ELF file, or None when the file is not ELF."""
    with open(path, "rb") as handle:
        header = handle.read(20)
    if header[:4] != b"\x7fELF":
        return None
    byte_order = "little" if header[5] == 1 else "big"
    return int.from_bytes(header[18:20], byte_order)


def check_extensions(build_dir: Path, architectures: set[str], report: Report) -> int:
    """Check that native extensions fit the functions' architecture and Python, and return their number."""
    if len(architectures) != 1:
        report.problems.append(
            f"functions use several architectures {sorted(architectures)}; one layer cannot serve all"
        )
        return 0
    architecture = architectures.pop()
    version_tag = f"cpython-{sys.version_info.major}{sys.version_info.minor}"
    checked = 0
    for path in sorted(build_dir.rglob("*.so*")):
        machine = elf_machine(path)
        if machine is None:
            continue
        checked += 1
        if machine != ELF_MACHINES[architecture]:
            report.problems.append(f"{path}: ELF machine {machine}, not {architecture}")
        tag = re.search(r"\.(cpython-\d+)-([a-z0-9_]+)-linux-gnu\.so$", path.name)
        if tag and (tag.group(1) != version_tag or tag.group(2) != EXTENSION_ARCH_TAGS[architecture]):
            report.problems.append(f"{path}: built for {tag.group(1)}-{tag.group(2)}")
    return checked


def main(argv: list[str]) -> int:
    build_dir = Path(argv[1] if len(argv) > 1 else ".aws-sam/build")
    built_template_path = build_dir / "template.yaml"
    if not built_template_path.is_file():
        print(f"error: {built_template_path} not found; run `sam build` first", file=sys.stderr)
        return 1
    template = load_template(built_template_path)
    report = Report()
    architectures = check_functions(template, build_dir, report)
    check_layers(template, load_template(PROJECT_ROOT / "template.yaml"), build_dir, report)
    pyc_count = check_bytecode(build_dir, report)
    extension_count = check_extensions(build_dir, architectures, report)

    for line in report.lines:
        print(line)
    print(
        f"checked {pyc_count} .pyc files ({sys.implementation.cache_tag}) "
        f"and {extension_count} native extensions"
    )
    if report.problems:
        print(f"error: {len(report.problems)} problem(s) in {build_dir}:", file=sys.stderr)
        for problem in report.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(f"{build_dir} is ready to deploy")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
