"""The HTML pages of a report run: one for readers (code hidden), one with the code.

The executed notebook is arranged for reading before it is converted: the cell tagged
``title`` and the one tagged ``summary`` (computed last) go to the top, followed by a table of
contents; the template's default-parameters cell and cells tagged ``notebook-only`` are left
out (the parameters papermill injected stay, in the page with code); a "Files" section links
every figure, table, the manifest and the notebook, and "About this run" lists the inputs
with their hashes, parameters, seeds and versions. The pages load no script from the network.
"""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path
from typing import Any

from framing.corpus import atomic_write

#: The page extends nbconvert's JupyterLab template: no require.js, MathJax or Mermaid from a
#: CDN (a report opens offline and a "$" in a table stays a dollar sign), and a reading layout
#: (its style sheet comes after JupyterLab's, so it wins).
_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block html_head_css %}
<style type="text/css">
body.jp-Notebook { max-width: 1040px; margin: 0 auto; padding: 24px 32px 64px; }
.jp-Cell { padding: 2px 0; }
.jp-InputPrompt, .jp-OutputPrompt { display: none; }
.jp-RenderedHTMLCommon { font-size: 15px; line-height: 1.5; }
.jp-RenderedHTMLCommon h1 { font-size: 30px; margin-top: 8px; }
.jp-RenderedHTMLCommon h2 { border-bottom: 1px solid #ddd; padding-bottom: 4px;
                            margin-top: 36px; }
.jp-RenderedHTMLCommon blockquote { border-left: 4px solid #9a9a9a; background: #f6f6f2;
                                    margin: 8px 0; padding: 6px 12px; }
.framing-table table { border-collapse: collapse; margin: 6px 0 2px; font-size: 13px; }
.framing-table th { border-bottom: 1px solid #555; padding: 3px 10px; font-weight: 600; }
.framing-table td { border-bottom: 1px solid #eee; padding: 3px 10px; }
.framing-table { overflow-x: auto; }
.framing-table th { white-space: nowrap; }
.framing-table-caption { font-weight: 600; font-size: 13px; margin: 14px 0 2px; }
.jp-RenderedHTMLCommon table { margin-left: 0; margin-right: auto; }
.framing-table-note, .framing-files { font-size: 12px; color: #555; }
figure.framing-figure { margin: 12px 0 18px; }
figure.framing-figure img { display: block; border: 1px solid #eee; }
figure.framing-figure figcaption { font-size: 13px; color: #333; margin-top: 6px;
                                   max-width: 900px; }
nav.framing-contents { background: #f7f7f7; border: 1px solid #e3e3e3; padding: 8px 20px;
                       margin: 12px 0; font-size: 14px; }
nav.framing-contents ul { margin: 2px 0; }
p.framing-code-link { font-size: 13px; color: #555; }
</style>
{% endblock html_head_css %}
"""
_TEMPLATE_NAME = "framing_report.html.j2"
_NAV = '<nav class="framing-contents"></nav>'
_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)<a class="anchor-link"', re.S)


def _tags(cell: Any) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _title(cells: list[Any]) -> str | None:
    """The text of the first level-one heading, in a markdown cell or a markdown output."""
    for cell in cells:
        texts = [cell.source] if cell.cell_type == "markdown" else [
            output.get("data", {}).get("text/markdown", "")
            for output in cell.get("outputs", [])]
        for text in texts:
            for line in str(text).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return None


def _format_order(path: str) -> tuple[int, str]:
    """PDF, SVG, PNG, then anything else by name."""
    order = ("pdf", "svg", "png")
    suffix = Path(path).suffix.lstrip(".")
    return (order.index(suffix) if suffix in order else len(order), path)


def _markdown_link(path: str) -> str:
    return f"[{path}]({path.replace(' ', '%20')})"


def _files_markdown(manifest: dict[str, Any], folder: Path, pages: dict[str, str]) -> str:
    outputs = manifest["outputs"]
    lines = ["## Files", "",
             "Everything this report shows is in its folder, beside this page."]
    stems: dict[str, list[str]] = {}
    for entry in outputs["figures"]:
        path = Path(entry["path"])
        stems.setdefault(path.with_suffix("").as_posix(), []).append(entry["path"])
    if stems:
        lines += ["", "**Figures** (PDF with embedded fonts, SVG, PNG at 300 dpi):", ""]
        for stem, paths in stems.items():
            name = Path(stem).name
            links = " · ".join(f"[{Path(p).suffix.lstrip('.').upper()}]({p})"
                               for p in sorted(paths, key=_format_order))
            lines.append(f"- [{name.replace('_', ' ')}](#figure-{name}): {links}")
    if outputs["tables"]:
        lines += ["", "**Tables** (CSV):", ""]
        lines += [f"- {_markdown_link(entry['path'])}" for entry in outputs["tables"]]
    listed = {entry["path"] for kind in ("figures", "tables") for entry in outputs[kind]}
    others = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                    if p.is_file() and not p.name.startswith(".")
                    and p.relative_to(folder).parts[0] not in ("figures", "tables")
                    and p.relative_to(folder).as_posix() not in listed
                    and p.name not in set(pages.values()) | {manifest["notebook"]})
    lines += ["", "**The run:**", "",
              f"- {_markdown_link('manifest.json')}: every input's sha256, the parameters, "
              "seeds, library versions, the git commit and the time of each step",
              f"- {_markdown_link(manifest['notebook'])}: the executed notebook (open it in "
              "Jupyter)",
              f"- {_markdown_link(pages['html'])}: this report without its code; "
              f"{_markdown_link(pages['html_with_code'])}: with its code"]
    if others:
        lines += ["", "**Other files:**", ""] + [f"- {_markdown_link(p)}" for p in others]
    return "\n".join(lines)


def _cell_text(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= 160 else text[:157] + "..."


def _about_markdown(manifest: dict[str, Any]) -> str:
    template = manifest["template"]
    versions = manifest["versions"]
    lines = ["## About this run", "",
             f"Template `{template['name']}` (sha256 {template['sha256'][:12]}), framing "
             f"{manifest['framing_version']}, git commit "
             f"`{manifest.get('git_commit') or 'unknown'}`, Python {versions.get('python')}. "
             "Library versions, the platform and the time of each step are in "
             "[manifest.json](manifest.json).", ""]
    if manifest["inputs"]:
        lines += ["| input | path | sha256 |", "|---|---|---|"]
        lines += [f"| {name} | `{_cell_text(entry['path'])}` | {entry['sha256'][:12]} |"
                  for name, entry in manifest["inputs"].items()]
        lines.append("")
    lines += ["| parameter | value |", "|---|---|"]
    lines += [f"| {name} | `{_cell_text(value)}` |"
              for name, value in sorted(manifest["parameters"].items())]
    return "\n".join(lines)


def _arrange(notebook: Any, manifest: dict[str, Any], folder: Path,
             pages: dict[str, str], other_page: str, with_code: bool) -> Any:
    """A copy of ``notebook`` in reading order, with contents, files and run sections."""
    import nbformat

    arranged = copy.deepcopy(notebook)
    cells = [cell for cell in arranged.cells
             if not {"parameters", "notebook-only"} & set(_tags(cell))]
    if not with_code:
        cells = [cell for cell in cells if "injected-parameters" not in _tags(cell)]
    top = [cell for tag in ("title", "summary") for cell in cells if tag in _tags(cell)]
    rest = [cell for cell in cells if cell not in top]
    switch = ("the same report with its code" if not with_code
              else "the same report without its code")
    nav = nbformat.v4.new_markdown_cell(
        f'{_NAV}\n\n<p class="framing-code-link">This page '
        f"{'shows' if with_code else 'hides'} the code that made each table and figure; "
        f'<a href="{html.escape(other_page, quote=True)}">{switch}</a>.</p>')
    files = nbformat.v4.new_markdown_cell(_files_markdown(manifest, folder, pages))
    about = nbformat.v4.new_markdown_cell(_about_markdown(manifest))
    for index, cell in enumerate((nav, files, about)):
        cell.id = f"framing-report-{index}"
    arranged.cells = [*top, nav, *rest, files, about]
    title = _title(top) or _title(arranged.cells)
    arranged.metadata["title"] = title or manifest["template"]["name"].replace("_", " ")
    return arranged


def _contents(body: str) -> str:
    """The page with its table of contents filled in from its level-two and -three headings."""
    items: list[str] = []
    open_sub = False
    for level, anchor, inner in _HEADING.findall(body):
        text = re.sub(r"<[^>]+>", "", inner).strip()
        link = f'<a href="#{anchor}">{text}</a>'
        if level == "2":
            if open_sub:
                items.append("</ul></li>")
                open_sub = False
            elif items:
                items.append("</li>")
            items.append(f"<li>{link}")
        else:
            if not open_sub:
                items.append("<ul>")
                open_sub = True
            items.append(f"<li>{link}</li>")
    if open_sub:
        items.append("</ul></li>")
    elif items:
        items.append("</li>")
    nav = (f'<nav class="framing-contents"><strong>Contents</strong><ul>{"".join(items)}'
           "</ul></nav>")
    return body.replace(_NAV, nav, 1)


def export_pages(notebook_path: Path, folder: Path, manifest: dict[str, Any]) -> dict[str, str]:
    """Write the report's two HTML pages into ``folder``; returns their names by role."""
    import nbformat
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    notebook = nbformat.read(notebook_path, as_version=4)
    stem = notebook_path.stem
    pages = {"html": f"{stem}.html", "html_with_code": f"{stem}_with_code.html"}
    for role, name in pages.items():
        with_code = role == "html_with_code"
        other = pages["html" if with_code else "html_with_code"]
        arranged = _arrange(notebook, manifest, folder, pages, other, with_code)
        exporter = HTMLExporter(
            template_name="lab", template_file=_TEMPLATE_NAME,
            extra_loaders=[DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
            exclude_input=not with_code, exclude_input_prompt=True,
            exclude_output_prompt=True)
        body, _ = exporter.from_notebook_node(arranged)
        with atomic_write(folder / name, force=True) as handle:
            handle.write(_contents(body))
    return pages
