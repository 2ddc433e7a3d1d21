"""A failed report's notebook never replaces, and a later success never deletes, a user's own
``<out>.failed.ipynb``; framing's own (marked in the notebook's metadata) is replaced."""

from __future__ import annotations

import json
from pathlib import Path

from framing.report._run import (
    _failed_notebook_path,
    _is_our_failed_notebook,
    _mark_failed_notebook,
)


def _notebook(path: Path) -> Path:
    path.write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}), encoding="utf-8")
    return path


def test_a_users_failed_notebook_is_never_ours(tmp_path: Path) -> None:
    out = tmp_path / "rep1"
    users = _notebook(tmp_path / "rep1.failed.ipynb")
    assert not _is_our_failed_notebook(users, out)
    chosen = _failed_notebook_path(out)
    assert chosen == tmp_path / "rep1.failed-2.ipynb"
    _mark_failed_notebook(_notebook(chosen), out)
    assert _is_our_failed_notebook(chosen, out)
    assert not _is_our_failed_notebook(chosen, tmp_path / "rep2")  # another run's
    assert _failed_notebook_path(out) == tmp_path / "rep1.failed-2.ipynb"  # ours: reused


def test_without_a_user_file_the_plain_name_is_used(tmp_path: Path) -> None:
    assert _failed_notebook_path(tmp_path / "rep") == tmp_path / "rep.failed.ipynb"
    (tmp_path / "rep.failed.ipynb").write_text("not json")
    assert _failed_notebook_path(tmp_path / "rep") == tmp_path / "rep.failed-2.ipynb"
