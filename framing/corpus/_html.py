"""Small HTML blocks for the objects' Jupyter displays: a card of facts and tables.

Every stage's objects (a corpus, passages, a fitted model, an evaluation) show themselves in a
notebook as a card: a title, a few facts, then tables. The HTML is self-contained (inline
styles, escaped text), so it reads the same in JupyterLab, VS Code and an exported page.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

_CARD = ("font-family: system-ui, sans-serif; font-size: 13px; line-height: 1.4; "
         "border: 1px solid #ccc; border-radius: 4px; padding: 6px 12px; max-width: 60em")
_TABLE = "border-collapse: collapse; margin: 4px 0 8px 0"
_CELL = "padding: 1px 8px; border-bottom: 1px solid #eee"


def format_number(value: Any, *, digits: int = 3) -> str:
    """A cell as a reader wants it: thousands separated, ``digits`` decimals, blank for NA.

    Examples
    --------
    >>> [format_number(v) for v in (1234, 0.123456, float("nan"), "x", True)]
    ['1,234', '0.123', '', 'x', 'yes']
    """
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        if np.isnan(value):
            return ""
        return f"{int(value):,}" if float(value).is_integer() and abs(value) >= 1000 else (
            f"{float(value):,.{digits}f}")
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def html_table(table: pd.DataFrame, *, index: bool = False, digits: int = 3,
               max_rows: int = 40) -> str:
    """``table`` as a compact HTML table, numbers right-aligned; long tables are cut.

    Examples
    --------
    >>> html_table(pd.DataFrame({"outlet": ["A"], "n": [1200]}))[:40]
    '<table style="border-collapse: collapse;'
    """
    shown = table.reset_index() if index else table
    head = "".join(f'<th style="{_CELL}; text-align: left">{html.escape(str(c))}</th>'
                   for c in shown.columns)
    rows = []
    for values in shown.head(max_rows).itertuples(index=False):
        cells = []
        for value in values:
            numeric = isinstance(value, (int, float, np.integer, np.floating)) and not (
                isinstance(value, (bool, np.bool_)))
            align = "right" if numeric else "left"
            cells.append(f'<td style="{_CELL}; text-align: {align}">'
                         f"{html.escape(format_number(value, digits=digits))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = (f'<tr><td colspan="{len(shown.columns)}" style="{_CELL}; color: #666">'
            f"... {len(shown) - max_rows:,} more rows</td></tr>" if len(shown) > max_rows
            else "")
    return (f'<table style="{_TABLE}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}{more}</tbody></table>")


def html_card(title: str, facts: Sequence[tuple[str, Any]] = (),
              sections: Sequence[tuple[str, str]] = ()) -> str:
    """A titled card: facts as a two-column list, then each section's heading and HTML.

    ``sections`` hold HTML made by :func:`html_table` (or other trusted HTML); titles and
    facts are escaped here.

    Examples
    --------
    >>> card = html_card("Corpus", [("documents", 1955)], [("By outlet", "<p>x</p>")])
    >>> "<b>Corpus</b>" in card and "1,955" in card and "By outlet" in card
    True
    """
    parts = [f'<div style="{_CARD}"><p style="margin: 4px 0"><b>{html.escape(title)}</b></p>']
    if facts:
        rows = "".join(f'<tr><td style="{_CELL}; color: #555">{html.escape(str(name))}</td>'
                       f'<td style="{_CELL}">{html.escape(format_number(value))}</td></tr>'
                       for name, value in facts)
        parts.append(f'<table style="{_TABLE}">{rows}</table>')
    for heading, body in sections:
        parts.append(f'<p style="margin: 6px 0 2px 0; font-weight: 600">'
                     f"{html.escape(heading)}</p>{body}")
    parts.append("</div>")
    return "".join(parts)


def html_markdown(markdown: str) -> str:
    """Markdown (a model card) as HTML, with any raw HTML in it escaped.

    Examples
    --------
    >>> html_markdown("# Card\\n\\n| a |\\n|---|\\n| 1 |").count("<table>")
    1
    """
    import mistune  # nbconvert's Markdown renderer, installed with the report stage

    render = mistune.create_markdown(escape=True, plugins=["table"])
    return str(render(markdown))
