"""Reproducible reports: parameterized notebooks executed headless into a run folder.

A template in ``notebooks/`` starts with a papermill parameters cell and calls only framing's
public API. :func:`run_report` executes it, writes two HTML pages (code hidden, and with the
code) and a manifest of every input's hash, the parameters, seeds, library versions, git
commit and wall time per step.

What a template shows goes through the display helpers here: :func:`format_table` (no index,
rounded, intervals as "0.42 [0.35, 0.49]"), :func:`show_figure` (saved as PDF, SVG and PNG,
embedded with links), :class:`ReportNotes` (warnings become sentences), and the summary
sentences of :func:`describe_prevalence`, :func:`describe_changes` and
:func:`describe_classifier`, joined by :func:`summarize`.
"""

from __future__ import annotations

from framing.report._display import (
    ReportFigure,
    ReportNotes,
    ReportTable,
    ReportText,
    format_interval,
    format_table,
    show_figure,
)
from framing.report._run import ReportError, ReportRun, run_report, sha256_of, templates
from framing.report._summary import (
    describe_changes,
    describe_classifier,
    describe_prevalence,
    summarize,
)
from framing.report._tables import compare_reports, load_report, save_table

__all__ = [
    "ReportError", "ReportFigure", "ReportNotes", "ReportRun", "ReportTable", "ReportText",
    "compare_reports", "describe_changes", "describe_classifier", "describe_prevalence",
    "format_interval", "format_table", "load_report", "run_report", "save_table", "sha256_of",
    "show_figure", "summarize", "templates",
]
