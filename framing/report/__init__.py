"""Reproducible reports: parameterized notebooks executed headless into a run folder.

A template in ``notebooks/`` starts with a papermill parameters cell and calls only framing's
public API. :func:`run_report` executes it, exports HTML, and writes a manifest of every input's
hash, the parameters, seeds, library versions, git commit and wall time per step.
"""

from __future__ import annotations

from framing.report._run import ReportError, ReportRun, run_report, sha256_of, templates
from framing.report._tables import compare_reports, load_report, save_table

__all__ = [
    "ReportError", "ReportRun", "compare_reports", "load_report", "run_report", "save_table",
    "sha256_of", "templates",
]
