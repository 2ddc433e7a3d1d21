"""Killed and interrupted commands: SIGKILL at the swap itself and at seeded random points,
Ctrl-C (SIGINT). The earlier output stays intact and loadable, the next run recovers, and
Ctrl-C exits 130 with one line. The many-kills sweep is benchmarks/kill_sweep.py."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.cli import main
from framing.corpus import import_corpus, read_corpus, recover_interrupted_write
from framing.frames import load_frame_model, read_annotations
from tests.conftest import SAMPLE
from tests.kill_harness import finish, kill_group, spawn, wait_until_ready

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs POSIX signals")


def _articles(folder: Path, n: int) -> Path:
    lines = (SAMPLE / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:n]
    path = folder / f"articles{n}.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def old_store(tmp_path: Path) -> Path:
    import_corpus(_articles(tmp_path, 60), tmp_path / "store", progress=False)
    return tmp_path / "store"


@pytest.fixture
def rows(tmp_path: Path) -> dict[int, int]:
    """Documents kept from the first 60 and 90 sample articles (a few are duplicates)."""
    found = {n: len(import_corpus(_articles(tmp_path, n), tmp_path / f".ref{n}",
                                  progress=False)) for n in (60, 90)}
    for n in found:
        import shutil

        shutil.rmtree(tmp_path / f".ref{n}")
    return found


def _import_argv(tmp_path: Path, n: int = 90, *extra: str) -> list[str]:
    return ["corpus", "import", str(_articles(tmp_path, n)), "--out", "store", "--quiet",
            *extra]


def _ours(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith((".ready", ".ref")))


def test_sigkill_at_the_swap_leaves_the_old_store_and_the_next_run_cleans_up(
    tmp_path: Path, old_store: Path, rows: dict[int, int]
) -> None:
    process, ready = spawn(_import_argv(tmp_path, 90, "--force"), tmp_path,
                           pause_at="before_swap")
    wait_until_ready(process, ready)
    kill_group(process)
    assert len(read_corpus(old_store)) == rows[60]  # the earlier store, whole and loadable
    assert any(name.startswith(".store.framing-") for name in _ours(tmp_path))
    process, _ = spawn(_import_argv(tmp_path, 90, "--force"), tmp_path)
    assert finish(process) == 0
    assert len(read_corpus(old_store)) == rows[90]
    assert [n for n in _ours(tmp_path) if n.startswith(".")] == []


@pytest.mark.parametrize("next_run", ["recover", "cli"])
def test_sigkill_between_the_two_renames_is_completed_by_the_next_write(
    tmp_path: Path, old_store: Path, rows: dict[int, int], next_run: str
) -> None:
    # where the system cannot exchange two paths, the swap is two renames with a journal
    process, ready = spawn(_import_argv(tmp_path, 90, "--force"), tmp_path,
                           pause_at="between_renames", no_exchange=True)
    wait_until_ready(process, ready)
    kill_group(process)
    assert not old_store.exists()  # the window the journal covers
    assert (tmp_path / ".store.framing-swap.json").is_file()
    if next_run == "recover":
        recover_interrupted_write(old_store)
        # the killed run's complete store, swapped in
        assert len(read_corpus(old_store)) == rows[90]
    else:
        process, _ = spawn(_import_argv(tmp_path, 30), tmp_path)  # no --force
        out, err = process.communicate(timeout=120)
        assert process.returncode == 2 and "store exists; pass --force" in err
        assert len(read_corpus(old_store)) == rows[90]
    assert [n for n in _ours(tmp_path) if n.startswith(".")] == []


def test_ctrl_c_exits_130_with_one_line_and_keeps_the_old_store(
    tmp_path: Path, old_store: Path, rows: dict[int, int]
) -> None:
    process, ready = spawn(_import_argv(tmp_path, 90, "--force"), tmp_path,
                           pause_at="before_swap")
    wait_until_ready(process, ready)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.strip().splitlines() == ["framing: interrupted; nothing was written"]
    assert len(read_corpus(old_store)) == rows[60]
    assert [n for n in _ours(tmp_path) if n.startswith(".")] == []


@pytest.fixture
def training(tmp_path: Path) -> tuple[Path, Path]:
    """The sample's coded sheet: its passages, and its codes as an annotations table."""
    sheet = pd.read_csv(SAMPLE / "annotations.csv", dtype=str, keep_default_na=False)
    sheet[["passage_id", "doc_id", "outlet", "date", "text"]].to_csv(
        tmp_path / "passages.csv", index=False)
    assert main(["frames", "import", str(SAMPLE / "annotations.csv"), "--out",
                 str(tmp_path / "annotations.csv")]) == 0
    return tmp_path / "passages.csv", tmp_path / "annotations.csv"


def test_sigkill_at_a_model_save_keeps_the_old_bundle(tmp_path: Path, training) -> None:
    passages, annotations = training
    argv = ["frames", "train", str(passages), str(annotations), "--out", "model",
            "--features", "tfidf", "--no-char-ngrams", "--calibration", "none"]
    process, _ = spawn(argv, tmp_path)
    assert finish(process, 300) == 0
    before = json.loads((tmp_path / "model" / "manifest.json").read_text())["model_id"]
    process, ready = spawn([*argv, "--force", "--seed", "1"], tmp_path, pause_at="before_swap")
    wait_until_ready(process, ready, timeout_s=300)
    kill_group(process)
    assert load_frame_model(tmp_path / "model").model_id_ == before


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1])
def test_sigkill_at_random_points_of_an_annotation_import(tmp_path: Path, seed: int) -> None:
    # a merge into an earlier annotations file, killed at a seeded random moment: the file is
    # the earlier one or the merged one, whole, never anything else
    earlier = pd.read_csv(SAMPLE / "annotations.csv", dtype=str)
    passages = sorted(set(earlier["passage_id"]))
    first = earlier[earlier["passage_id"].isin(passages[: len(passages) // 2])]
    first.to_csv(tmp_path / "first.csv", index=False)
    (tmp_path / "all.csv").write_bytes((SAMPLE / "annotations.csv").read_bytes())
    argv = ["frames", "import", "first.csv", "--out", "annotations.csv"]
    process, _ = spawn(argv, tmp_path)
    assert finish(process) == 0
    before = (tmp_path / "annotations.csv").read_bytes()
    # what a merge that is not killed writes (the sample is a coded sheet: a row per passage,
    # an annotation per passage and frame)
    process, _ = spawn(["frames", "import", "all.csv", "--out", "merged.csv"], tmp_path)
    assert finish(process) == 0
    merged = len(read_annotations(tmp_path / "merged.csv"))
    assert merged > len(read_annotations(tmp_path / "annotations.csv"))
    delays = np.random.default_rng(seed).uniform(0.2, 3.0, size=3)
    for delay in delays:
        process, _ = spawn(["frames", "import", "all.csv", "--out", "annotations.csv",
                            "--merge"], tmp_path)
        time.sleep(delay)
        kill_group(process)
        now = (tmp_path / "annotations.csv").read_bytes()
        if now != before:  # the merge finished before the kill: all of it is there
            assert len(read_annotations(tmp_path / "annotations.csv")) == merged
            (tmp_path / "annotations.csv").write_bytes(before)
    recover_interrupted_write(tmp_path / "annotations.csv")  # what the next write does first
    assert [n for n in _ours(tmp_path) if n.startswith(".annotations")] == []
