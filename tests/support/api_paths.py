"""API paths named in code: string constants, f-strings and Powertools route decorators."""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

API_PATH_PATTERN = r"(?<![\w.:/])/(?:{prefixes})(?:/[\w{{}}\-]+)*(?=$|[\s\"'?#),.;])"


def api_paths_in_code(roots: list[Path], prefixes: set[str]) -> dict[str, str]:
    """Return {path: "file:line"} for every string that names an API path under ``prefixes``.

    f-string placeholders become ``{}``. Docstrings are skipped because they describe routes in
    prose; every other string constant counts, so a URL built in code is checked too.
    """
    pattern = re.compile(API_PATH_PATTERN.format(prefixes="|".join(sorted(map(re.escape, prefixes)))))
    found: dict[str, str] = {}
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            docstrings = {id(node) for node in docstring_nodes(tree)}
            for node in ast.walk(tree):
                text = string_value(node) if id(node) not in docstrings else None
                if text is None:
                    continue
                for match in pattern.finditer(text):
                    found.setdefault(match.group(0), f"{path}:{getattr(node, 'lineno', 0)}")
    return found


def string_value(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
    return None


def docstring_nodes(tree: ast.Module) -> Iterator[ast.AST]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                yield body[0].value


def route_decorators(roots: list[Path]) -> dict[tuple[str, str], str]:
    """Return {(METHOD, path): "file:line"} for Powertools-style ``@x.post("/path")`` decorators."""
    methods = {"get", "post", "put", "patch", "delete", "options", "head"}
    found: dict[tuple[str, str], str] = {}
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for decorator in node.decorator_list:
                    if (
                        isinstance(decorator, ast.Call)
                        and isinstance(decorator.func, ast.Attribute)
                        and decorator.func.attr in methods
                        and decorator.args
                        and isinstance(decorator.args[0], ast.Constant)
                        and isinstance(decorator.args[0].value, str)
                    ):
                        key = (decorator.func.attr.upper(), decorator.args[0].value)
                        found.setdefault(key, f"{path}:{decorator.lineno}")
    return found
