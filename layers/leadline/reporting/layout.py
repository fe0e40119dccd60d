"""The structure of a report email, shared by the HTML and plain-text renderers.

A document is a few highlighted figures followed by tables whose cells are already formatted
strings, so both renderers show exactly the same words and numbers.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Row:
    """A table row: a label (with an optional smaller detail line) and one value per column."""

    label: str
    values: tuple[str, ...]
    detail: str | None = None
    total: bool = False
    indent: bool = False


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: list[Row]
    empty_text: str = "Nothing to show."
    notes: list[str] = field(default_factory=list)
    wrap_headers: bool = False

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row.values) != len(self.columns) - 1:
                raise ValueError(
                    f"row {row.label!r} of table {self.title!r} has {len(row.values)} values "
                    f"for {len(self.columns) - 1} value columns"
                )


@dataclass(frozen=True)
class Highlight:
    label: str
    value: str
    detail: str = ""


@dataclass(frozen=True)
class Document:
    """One email: its subject, headings, highlighted figures, tables and closing notes."""

    subject: str
    eyebrow: str
    title: str
    subtitle: str
    highlights: list[Highlight]
    tables: list[Table]
    footnotes: list[str] = field(default_factory=list)
