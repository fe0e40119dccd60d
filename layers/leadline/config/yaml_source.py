"""YAML reading that keeps what plain YAML loses: exact decimals, unquoted ZIPs, line numbers.

PyYAML follows YAML 1.1, where an unquoted ``02134`` is the octal number 1116 and ``45.10`` is a
float. This loader reads every float as a ``Decimal`` from its text, and every integer as an
``UnquotedInt`` that remembers its text, so validators can reject an unquoted ZIP with a message
that shows what was written.
"""

from decimal import Decimal
from typing import Any

import yaml


class UnquotedInt(int):
    """An integer scalar, with the text it was written as."""

    text: str

    def __new__(cls, value: int, text: str) -> "UnquotedInt":
        number = super().__new__(cls, value)
        number.text = text
        return number


class _Loader(yaml.SafeLoader):
    pass


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> UnquotedInt:
    value = yaml.SafeLoader.construct_yaml_int(loader, node)
    return UnquotedInt(value, node.value)


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = str(node.value).replace("_", "")
    lowered = text.lower()
    if lowered in {".inf", "+.inf", "-.inf", ".nan"}:
        return Decimal("NaN")
    return Decimal(text)


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def _record_lines(node: yaml.Node, path: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            _record_lines(value_node, (*path, key_node.value), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), lines)


def load_yaml(text: str) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """Parse one YAML document. Returns the data and a map from each value's path to its line."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[tuple[Any, ...], int] = {}
        _record_lines(node, (), lines)
        return loader.construct_document(node), lines
    finally:
        loader.dispose()
