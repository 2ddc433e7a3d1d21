"""Execute a report template headless with papermill into a run folder with a manifest.

The run is built in a temp folder beside ``out`` and swapped into place only when every cell
succeeded, so a failed or interrupted run leaves an earlier report intact. The executed notebook
of a failed run is kept beside the target (``<out>.failed.ipynb``) to read the error in context.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import platform
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from framing import __version__
from framing._types import PathLike
from framing.corpus import (
    FramingError,
    InputError,
    atomic_directory,
    atomic_write,
    check_output,
)
from framing.corpus._bundles import file_sha256
from framing.report._html import export_pages
from framing.report._kernel import GuardedKernelManager, execute_stoppably

#: Where the shipped templates live: ``notebooks/`` at the top of the source tree.
TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "notebooks"

#: Libraries whose versions every manifest records.
_LIBRARIES = ("numpy", "pandas", "pyarrow", "scikit-learn", "scipy", "gensim", "tomotopy", "nltk",
              "statsmodels", "QuaPy", "matplotlib", "seaborn", "papermill", "nbclient",
              "sentence-transformers", "torch")


class ReportError(FramingError):
    """A report cell failed; the message names the cell and the error."""


@dataclass
class ReportRun:
    """A finished report: its folder and manifest."""

    path: Path
    manifest: dict[str, Any] = field(repr=False)

    @property
    def html(self) -> Path:
        """The report's page for readers: code hidden, every chart embedded."""
        return self.path / self.manifest["html"]

    @property
    def html_with_code(self) -> Path:
        """The same page with the code of every cell."""
        return self.path / self.manifest["html_with_code"]

    @property
    def figures(self) -> list[Path]:
        """Every figure file the report saved."""
        return [self.path / entry["path"] for entry in self.manifest["outputs"]["figures"]]

    @property
    def tables(self) -> list[Path]:
        """Every table file the report saved."""
        return [self.path / entry["path"] for entry in self.manifest["outputs"]["tables"]]


def templates() -> dict[str, Path]:
    """The shipped report templates by name.

    Examples
    --------
    >>> "corpus_report" in templates()
    True
    """
    return {path.stem: path for path in sorted(TEMPLATE_DIR.glob("*.ipynb"))}


def _template_path(template: PathLike) -> Path:
    path = Path(template)
    if path.suffix == ".ipynb":
        if not path.is_file():
            raise InputError(f"no report template at {path}")
        return path
    known = templates()
    if str(template) not in known:
        raise InputError(f"unknown report template {str(template)!r}; the shipped ones are "
                         f"{', '.join(known) or 'none (is notebooks/ beside the package?)'}, or "
                         "give a path to an .ipynb file")
    return known[str(template)]


def sha256_of(path: Path) -> str:
    """sha256 of a file, or of a folder's files (relative names and contents, sorted)."""
    if path.is_file():
        return file_sha256(path)
    digest = hashlib.sha256()
    for child in sorted(p for p in path.rglob("*") if p.is_file() and "_cache" not in p.parts):
        digest.update(str(child.relative_to(path)).encode())
        digest.update(bytes.fromhex(sha256_of(child)))
    return digest.hexdigest()


def _defaults(template: Path) -> dict[str, Any]:
    """The values of the template's parameters cell (literals only)."""
    import papermill

    values = {}
    for name, spec in papermill.inspect_notebook(str(template)).items():
        try:
            values[name] = ast.literal_eval(spec["default"])
        except (ValueError, SyntaxError):
            values[name] = spec["default"]
    return values


def _absolute_paths(values: dict[str, Any], base: Path) -> dict[str, Any]:
    """String values naming an existing file or folder (relative to ``base``) made absolute.

    The notebook runs in the template's folder, so a relative path given by the caller must be
    resolved against the caller's folder, and a template default against the template's.
    """
    resolved = {}
    for name, value in values.items():
        if isinstance(value, str) and value and (base / value).exists():
            value = str((base / value).resolve())
        resolved[name] = value
    return resolved


def _inputs(parameters: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Every parameter naming an existing file or folder, with its sha256."""
    found = {}
    for name, value in sorted(parameters.items()):
        if name == "output_dir" or not isinstance(value, str) or not value:
            continue
        path = Path(value)
        if path.exists():
            found[name] = {"path": str(path.resolve()), "sha256": sha256_of(path)}
    return found


def _git_commit() -> str | None:
    try:
        result = subprocess.run(["git", "rev-parse", "HEAD"], cwd=TEMPLATE_DIR.parent,
                                capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                           cwd=TEMPLATE_DIR.parent, capture_output=True, text=True,
                           check=False).stdout.strip()
    return result.stdout.strip() + ("-dirty" if dirty else "")


def _versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {"python": platform.python_version(),
                                       "framing": __version__}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _steps(notebook: Any) -> list[dict[str, Any]]:
    """Wall time per step: the cells under each markdown heading, timed by papermill."""
    steps: list[dict[str, Any]] = []
    current = {"step": "setup", "seconds": 0.0, "cells": 0}
    for cell in notebook.cells:
        if "notebook-only" in cell.metadata.get("tags", []):
            continue  # a note for Jupyter users, not a step: its cells count as setup
        if cell.cell_type == "markdown":
            heading = next((line.lstrip("#").strip() for line in cell.source.splitlines()
                            if line.startswith("#")), None)
            if heading:
                if current["cells"]:
                    steps.append(current)
                current = {"step": heading, "seconds": 0.0, "cells": 0}
            continue
        duration = cell.metadata.get("papermill", {}).get("duration") or 0.0
        current["seconds"] = round(current["seconds"] + float(duration), 3)
        current["cells"] += 1
    if current["cells"]:
        steps.append(current)
    return steps


def _outputs(folder: Path) -> dict[str, list[dict[str, str]]]:
    listed: dict[str, list[dict[str, str]]] = {"figures": [], "tables": []}
    for kind in listed:
        sub = folder / kind
        if sub.is_dir():
            listed[kind] = [{"path": str(p.relative_to(folder)), "sha256": sha256_of(p)}
                            for p in sorted(sub.rglob("*")) if p.is_file()]
    return listed


def _failed_cell(notebook_path: Path) -> str:
    try:
        import nbformat

        notebook = nbformat.read(notebook_path, as_version=4)
    except Exception:  # noqa: BLE001 - the message falls back to papermill's
        return ""
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                first = cell.source.strip().splitlines()[:1]
                return (f"cell {index} ({first[0][:60] if first else 'empty'}): "
                        f"{output.get('ename')}: {output.get('evalue')}")
    return ""


#: The kernel's environment during a report run. Progress bars are for people watching a
#: terminal or a notebook; in a report they become stderr boxes ("Loading weights: 100%"), so
#: tqdm, huggingface_hub and transformers are told to draw none. tqdm's warning that Jupyter
#: widgets are missing is about those bars, and is dropped with them. Charts display
#: themselves (framing.viz); the inline backend serves a template's own pyplot charts.
_KERNEL_ENVIRONMENT = {
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    "TQDM_DISABLE": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1",
}
_QUIET_WARNINGS = "ignore:IProgress not found"


@contextmanager
def _kernel_environment() -> Iterator[None]:
    """Set the kernel's environment variables for the run, then restore the caller's."""
    settings = dict(_KERNEL_ENVIRONMENT)
    given = os.environ.get("PYTHONWARNINGS")
    settings["PYTHONWARNINGS"] = f"{given},{_QUIET_WARNINGS}" if given else _QUIET_WARNINGS
    before = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


_FAILED_KEY = "framing_failed_report"


def _is_our_failed_notebook(path: Path, out: Path) -> bool:
    """True when ``path`` is the notebook of a failed run of the report ``out``, as
    :func:`run_report` marks it; a user's own notebook of the same name is never touched."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        return notebook["metadata"][_FAILED_KEY] == str(out.resolve())
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _failed_notebook_path(out: Path) -> Path:
    """``<out>.failed.ipynb``, or ``<out>.failed-<n>.ipynb`` when a file of the user's own
    holds that name: the failed run's notebook never replaces a file framing did not write."""
    candidate, number = out.with_name(out.name + ".failed.ipynb"), 1
    while candidate.exists() and not _is_our_failed_notebook(candidate, out):
        number += 1
        candidate = out.with_name(f"{out.name}.failed-{number}.ipynb")
    return candidate


def _mark_failed_notebook(path: Path, out: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook.setdefault("metadata", {})[_FAILED_KEY] = str(out.resolve())
    with atomic_write(path, force=True) as handle:
        json.dump(notebook, handle, indent=1, ensure_ascii=False)
        handle.write("\n")


def run_report(
    corpus: PathLike,
    out: PathLike,
    *,
    template: PathLike = "corpus_report",
    parameters: dict[str, Any] | None = None,
    force: bool = False,
    kernel_name: str = "python3",
    progress: bool = True,
    timeout: int | None = None,
) -> ReportRun:
    """Run a report template on a corpus store into the folder ``out``.

    The template's first cell is a papermill parameters cell; ``corpus`` and ``parameters``
    override its defaults. Paths among them (relative ones resolved against the current
    folder, the template's defaults against the template's folder) are made absolute; the
    notebook then runs in the run folder with ``output_dir = "."``, so what it shows and
    links is relative to the report, and no temporary path appears in it. Progress bars are
    off in the kernel (they would print to stderr).

    The run folder holds the executed notebook; two HTML pages, ``<template>.html`` for
    readers (code hidden; the summary and a table of contents at the top; every chart
    embedded; links to every figure, table and the manifest) and ``<template>_with_code.html``;
    ``figures/`` and ``tables/`` (whatever the notebook saved there with :func:`save_table`,
    :func:`show_figure` and :func:`framing.viz.save_figure`) and ``manifest.json``:
    parameters, every input file's sha256, the template's hash, library versions, the git
    commit, the seeds and the wall time of each step.

    Parameters
    ----------
    corpus : path
        A corpus store written by :func:`framing.corpus.import_corpus`.
    out : path
        The run folder to write (e.g. ``reports/sample``).
    template : str or path, default="corpus_report"
        A shipped template's name (see :func:`templates`) or a path to a notebook.
    parameters : dict, optional
        Values for the template's parameters cell.
    force : bool, default=False
        Replace an existing run folder.
    kernel_name : str, default="python3"
        The Jupyter kernel to execute in.
    progress : bool, default=True
        Show papermill's progress bar.
    timeout : int, optional
        Seconds a single cell may take.

    Returns
    -------
    ReportRun

    Raises
    ------
    InputError
        No such corpus or template, a parameter the template does not have (its
        parameters listed), or ``out`` exists without ``force``.
    ReportError
        A cell failed; the executed notebook is kept at ``<out>.failed.ipynb``.
    """
    import papermill

    template_path = _template_path(template)
    corpus_path = Path(corpus)
    if not (corpus_path / "manifest.json").is_file():
        raise InputError(f"{corpus_path} is not a corpus store (no manifest.json); import one "
                         "with `framing corpus import`")
    out_path = Path(out)
    check_output(out_path, force=force, folder=True, inputs=[corpus_path, template_path])
    given = _absolute_paths({"corpus": str(corpus_path), **(parameters or {})}, Path.cwd())
    defaults = _defaults(template_path)
    unknown = sorted(set(given) - set(defaults) - {"corpus"})
    if unknown:
        raise InputError(
            f"the template {template_path.stem!r} has no parameter {unknown[0]!r}; its "
            f"parameters are {', '.join(sorted(n for n in defaults if n != 'output_dir'))}")
    values = {**_absolute_paths(defaults, template_path.parent), **given}
    failed = _failed_notebook_path(out_path)
    started = time.time()
    with atomic_directory(out_path, force=force) as folder:
        # The notebook runs in the run folder (a temp folder until it succeeds), writing to
        # "."; every input path is absolute by now.
        values["output_dir"] = "."
        executed = folder / f"{template_path.stem}.ipynb"
        try:
            with _kernel_environment():
                # in a worker thread, so that Ctrl-C stops the kernel cleanly (see _kernel)
                execute_stoppably(lambda: papermill.execute_notebook(
                    str(template_path), str(executed), parameters=values,
                    kernel_name=kernel_name, progress_bar=progress, cwd=str(folder),
                    execution_timeout=timeout,
                    # the kernel runs under a guard that takes it, and every process it
                    # started, down with this one (even when this one is SIGKILLed)
                    kernel_manager_class=GuardedKernelManager,
                    # The kernel's own log is noise on the caller's terminal: a warning that
                    # it talks TCP (to us, on this machine), and "KeyboardInterrupt caught in
                    # kernel" when jupyter_client interrupts it to shut it down. Errors in
                    # cells are in the notebook; a dead kernel raises in papermill.
                    extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
                    report_mode=False))
        except papermill.PapermillExecutionError as exc:
            _mark_failed_notebook(executed, out_path)
            os.replace(executed, failed)
            where = _failed_cell(failed) or f"{exc.ename}: {exc.evalue}"
            raise ReportError(f"report {template_path.name} failed at {where}; the executed "
                              f"notebook is kept at {failed}") from None
        import nbformat

        notebook = nbformat.read(executed, as_version=4)
        # papermill recorded where it wrote: the temp folder, which is gone after the swap
        papermill_record = notebook.metadata.get("papermill", {})
        if "output_path" in papermill_record:
            papermill_record["output_path"] = str(out_path.resolve() / executed.name)
            with atomic_write(executed, force=True) as handle:
                nbformat.write(notebook, handle)
        values["output_dir"] = str(out_path.resolve())
        manifest = {
            "framing_version": __version__,
            "template": {"name": template_path.stem, "path": str(template_path.resolve()),
                         "sha256": sha256_of(template_path)},
            "parameters": values,
            "inputs": _inputs(values),
            "seeds": {k: v for k, v in values.items() if "seed" in k or k == "random_state"},
            "git_commit": _git_commit(),
            "versions": _versions(),
            "platform": {"system": platform.system(), "machine": platform.machine(),
                         "cpus": os.cpu_count()},
            "steps": _steps(notebook),
            "wall_seconds": round(time.time() - started, 3),
            "notebook": executed.name,
            "outputs": _outputs(folder),
        }
        manifest.update(export_pages(executed, folder, manifest))
        with atomic_write(folder / "manifest.json", force=True) as handle:
            json.dump(manifest, handle, indent=2, sort_keys=True, default=str)
            handle.write("\n")
    if _is_our_failed_notebook(failed, out_path):  # an earlier failure of this run, now stale
        failed.unlink(missing_ok=True)
    return ReportRun(out_path, manifest)
