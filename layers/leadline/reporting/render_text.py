"""Plain-text email rendering: the same document as the HTML part, in aligned columns.

Lines stay within about 72 characters where labels allow, so the text reads in a terminal and
in mail clients that show only the plain part.
"""

import textwrap

from leadline.reporting.layout import Document, Row, Table

WIDTH = 72
MAX_LABEL_WIDTH = 40


def render_text(document: Document) -> str:
    lines = [document.eyebrow, document.title, *textwrap.wrap(document.subtitle, WIDTH), ""]
    for highlight in document.highlights:
        detail = f" ({highlight.detail})" if highlight.detail else ""
        lines.append(f"{highlight.label}: {highlight.value}{detail}")
    for table in document.tables:
        lines += ["", *_table(table)]
    if document.footnotes:
        lines.append("")
        for note in document.footnotes:
            lines += textwrap.wrap(note, WIDTH, initial_indent="- ", subsequent_indent="  ")
    return "\n".join(lines) + "\n"


def _table(table: Table) -> list[str]:
    lines = [table.title, "=" * len(table.title)]
    if not table.rows:
        return [*lines, table.empty_text]

    labels = [_indent(row) + row.label for row in table.rows]
    label_width = min(MAX_LABEL_WIDTH, max(len(table.columns[0]), *(len(label) for label in labels)))
    value_widths = [
        max(len(table.columns[index + 1]), *(len(row.values[index]) for row in table.rows))
        for index in range(len(table.columns) - 1)
    ]

    def line(label: str, values: tuple[str, ...]) -> str:
        cells = "  ".join(value.rjust(width) for value, width in zip(values, value_widths, strict=True))
        return f"{label:<{label_width}}  {cells}".rstrip()

    lines.append(line(table.columns[0], table.columns[1:]))
    for row in table.rows:
        prefix = _indent(row)
        wrapped = [prefix + part for part in textwrap.wrap(row.label, label_width - len(prefix)) or [""]]
        lines += wrapped[:-1]
        lines.append(line(wrapped[-1], row.values))
        if row.detail:
            indent = "    " if row.indent else "  "
            lines += textwrap.wrap(row.detail, WIDTH, initial_indent=indent, subsequent_indent=indent)
    lines += table.notes
    return lines


def _indent(row: Row) -> str:
    return "  " if row.indent else ""
