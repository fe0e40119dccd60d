"""HTML email rendering: tables and inline styles only, no scripts, no external resources.

The layout is one centred column, at most 640 px wide and fluid below that, so it reads on a
375 px phone and on a desktop without media queries (which several mail clients drop). Every
text that came from storage or config passes through ``html.escape``.
"""

from html import escape

from leadline.reporting.layout import Document, Highlight, Row, Table

FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"
INK = "#1f2933"
MUTED = "#616e7c"
RULE = "#e4e7eb"
PAGE = "#f1f3f5"
ACCENT = "#0b5cad"


def render_html(document: Document) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(document.subject)}</title></head>",
        f'<body style="margin:0;padding:0;background:{PAGE};">',
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
        f'style="background:{PAGE};">',
        '<tr><td align="center" style="padding:16px 8px;">',
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
        f'style="max-width:640px;background:#ffffff;border:1px solid {RULE};border-radius:8px;'
        f'font-family:{FONT};color:{INK};">',
        _header(document),
        _highlights(document.highlights),
    ]
    parts += [_table(table) for table in document.tables]
    parts.append(_footnotes(document.footnotes))
    parts += ["</table>", "</td></tr></table>", "</body></html>", ""]
    return "\n".join(parts)


def _header(document: Document) -> str:
    return (
        '<tr><td style="padding:20px 16px 4px;">'
        f'<div style="font-size:12px;letter-spacing:0.04em;text-transform:uppercase;color:{MUTED};">'
        f"{escape(document.eyebrow)}</div>"
        f'<h1 style="margin:6px 0 4px;font-size:22px;line-height:1.25;color:{INK};">'
        f"{escape(document.title)}</h1>"
        f'<div style="font-size:14px;line-height:1.4;color:{MUTED};">{escape(document.subtitle)}</div>'
        "</td></tr>"
    )


def _highlights(highlights: list[Highlight]) -> str:
    """Lay the highlights out two per row, which fits a phone and still reads on a desktop."""
    if not highlights:
        return ""
    rows = []
    for start in range(0, len(highlights), 2):
        pair = highlights[start : start + 2]
        cells = "\n".join(_highlight_cell(highlight) for highlight in pair)
        if len(pair) == 1:
            cells += '<td width="50%" style="padding:6px;"></td>'
        rows.append(f"<tr>{cells}</tr>\n")
    return (
        '<tr><td style="padding:8px 10px 4px;">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0">'
        + "".join(rows)
        + "</table></td></tr>"
    )


def _highlight_cell(highlight: Highlight) -> str:
    return (
        '<td width="50%" valign="top" style="padding:6px;">'
        f'<div style="border:1px solid {RULE};border-radius:6px;padding:10px 12px;">'
        f'<div style="font-size:12px;color:{MUTED};">{escape(highlight.label)}</div>'
        f'<div style="font-size:20px;font-weight:700;line-height:1.3;color:{INK};">'
        f"{escape(highlight.value)}</div>"
        f'<div style="font-size:12px;color:{MUTED};">{escape(highlight.detail)}</div>'
        "</div></td>"
    )


def _table(table: Table) -> str:
    heading = (
        f'<h2 style="margin:0 0 6px;font-size:16px;line-height:1.3;color:{ACCENT};">'
        f"{escape(table.title)}</h2>"
    )
    if not table.rows:
        body = f'<p style="margin:0;font-size:14px;color:{MUTED};">{escape(table.empty_text)}</p>'
    else:
        header_cells = "".join(
            _header_cell(column, first=index == 0, wrap=table.wrap_headers)
            for index, column in enumerate(table.columns)
        )
        rows = "\n".join(_row(row) for row in table.rows)
        body = (
            '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
            'style="border-collapse:collapse;font-size:14px;line-height:1.35;">'
            f"\n<tr>{header_cells}</tr>\n{rows}\n</table>"
        )
    notes = "\n".join(
        f'<p style="margin:6px 0 0;font-size:12px;color:{MUTED};">{escape(note)}</p>' for note in table.notes
    )
    return f'<tr><td style="padding:14px 16px 6px;">{heading}{body}{notes}</td></tr>'


def _row(row: Row) -> str:
    weight = "font-weight:700;" if row.total else ""
    indent = "padding-left:14px;" if row.indent else ""
    detail = (
        f'<div style="font-size:12px;font-weight:400;color:{MUTED};">{escape(row.detail)}</div>'
        if row.detail
        else ""
    )
    label = (
        f'<td style="padding:6px 8px 6px 0;{indent}border-top:1px solid {RULE};{weight}">'
        f"{escape(row.label)}{detail}</td>"
    )
    values = "".join(
        f'<td align="right" style="padding:6px 0 6px 10px;border-top:1px solid {RULE};white-space:nowrap;'
        f'{weight}">{escape(value)}</td>'
        for value in row.values
    )
    return f"<tr>{label}\n{values}</tr>"


def _header_cell(text: str, *, first: bool, wrap: bool) -> str:
    align = "left" if first else "right"
    padding = "padding:4px 8px 4px 0;" if first else "padding:4px 0 4px 10px;"
    nowrap = "" if wrap else "white-space:nowrap;"
    return (
        f'<th align="{align}" valign="bottom" style="{padding}{nowrap}font-size:12px;font-weight:600;'
        f'color:{MUTED};">{escape(text)}</th>'
    )


def _footnotes(footnotes: list[str]) -> str:
    if not footnotes:
        return ""
    items = "\n".join(
        f'<p style="margin:0 0 6px;font-size:12px;line-height:1.45;color:{MUTED};">{escape(note)}</p>'
        for note in footnotes
    )
    return f'<tr><td style="padding:14px 16px 18px;border-top:1px solid {RULE};">{items}</td></tr>'
