"""``framing report`` killed (SIGKILL of the command alone) or interrupted (Ctrl-C) while its
kernel runs joblib workers: no process it started survives, the earlier report at ``--out`` is
intact, and Ctrl-C exits 130 with one line.

The template is a tiny one (a joblib ``Parallel`` on two loky workers, then it waits at a
ready file), so the kill lands at a known moment without running the whole corpus report.
"""

from __future__ import annotations

import os
import signal
import uuid
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from framing.corpus import import_corpus, recover_interrupted_write
from framing.report import run_report, sha256_of
from tests.conftest import SAMPLE
from tests.kill_harness import spawn, wait_for_none, wait_until_ready

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")]

_WORK = """\
import json, os, pathlib, time
from joblib import Parallel, delayed
squares = Parallel(n_jobs=2)(delayed(pow)(i, 2) for i in range(4))
pathlib.Path("tables").mkdir(exist_ok=True)
pathlib.Path("tables/squares.csv").write_text(",".join(map(str, squares)))
if hold:  # the joblib workers and resource trackers are running: the test kills us here
    pathlib.Path(os.environ["FRAMING_READY"]).write_text(json.dumps({"pid": os.getpid()}))
    time.sleep(600)
"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """A small store, the tiny template, and an earlier report ``rep`` made with them."""
    root = tmp_path_factory.mktemp("report_kill")
    lines = (SAMPLE / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:20]
    (root / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_corpus(root / "articles.jsonl", root / "store", progress=False)
    parameters = new_code_cell("corpus = ''\noutput_dir = '.'\nhold = False")
    parameters.metadata["tags"] = ["parameters"]
    notebook = new_notebook(cells=[parameters, new_code_cell(_WORK)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, root / "hold.ipynb")
    run_report(root / "store", root / "rep", template=root / "hold.ipynb", progress=False)
    return root


@pytest.mark.parametrize("how", ["sigkill", "ctrl-c"])
def test_a_killed_report_leaves_no_process_and_the_earlier_report(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    before = sha256_of(workspace / "rep")
    token = uuid.uuid4().hex
    monkeypatch.setenv("FRAMING_TEST_TOKEN", token)  # inherited by everything the run starts
    argv = ["report", "--corpus", "store", "--out", "rep", "--template", "hold.ipynb",
            "-p", "hold=true", "--force", "--quiet"]
    process, ready = spawn(argv, workspace)
    wait_until_ready(process, ready, timeout_s=180)
    if how == "sigkill":
        os.kill(process.pid, signal.SIGKILL)  # the command alone, as `kill -9 PID` does
    else:
        os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C sends
    status = process.wait(60)
    # the kernel, its guard, the loky workers and the resource trackers, at any depth
    survivors = wait_for_none(token, timeout_s=8)
    assert survivors == []
    assert sha256_of(workspace / "rep") == before  # the earlier report, unchanged
    stderr = process.stderr.read()
    process.stdout.close()
    process.stderr.close()
    if how == "ctrl-c":
        assert status == 130
        assert stderr.strip().splitlines() == ["framing: interrupted; nothing was written"]
    else:
        assert status == -signal.SIGKILL
        recover_interrupted_write(workspace / "rep")  # what the next write does first
    assert [p.name for p in workspace.iterdir() if p.name.startswith(".rep.")] == []
