"""Passage finding over a store: planned batches, resume after a failure, and the Dask engine.

The Dask tests run a 2-worker LocalCluster (one thread each) and compare the part files byte
for byte with the local engine's.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import framing.text._passages as passages_module
from framing.corpus import Corpus, InputError, StoreExistsError, import_corpus
from framing.corpus._engine import dask_available, done_batches, work_folder
from framing.text import extract_passages

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample" / "articles.jsonl"
N_ARTICLES = 240
BATCH = 37  # batches that straddle the store's month files


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("engine")
    with open(SAMPLE, encoding="utf-8") as handle:
        lines = [next(handle) for _ in range(N_ARTICLES)]
    (folder / "articles.jsonl").write_text("".join(lines), encoding="utf-8")
    import_corpus([folder / "articles.jsonl"], folder / "store", progress=False)
    return folder / "store"


@pytest.fixture(scope="module")
def reference(store, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reference") / "passages"
    extract_passages(store, batch_size=BATCH, out=out, progress=False)
    return out


def _tables(folder: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.concat([pd.read_parquet(p) for p in
                             sorted((folder / name).glob("part-*.parquet"))],
                            ignore_index=True)
            for name in ("passages", "mentions", "documents")}


def _part_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.glob("*/part-*.parquet"))}


def test_the_plan_reads_the_batches_iter_batches_yields(store) -> None:
    corpus = Corpus(store)
    plan = corpus.batch_plan(BATCH)
    streamed = list(corpus.iter_batches(batch_size=BATCH))
    assert len(plan) == len(streamed) == -(-len(corpus) // BATCH)
    assert any(len(batch) > 1 for batch in plan)  # some batch spans two month files
    for slices, batch in zip(plan, streamed, strict=True):
        pd.testing.assert_frame_equal(corpus.read_batch(slices), batch)


def test_a_planned_run_equals_the_in_memory_one(store, reference) -> None:
    in_memory = extract_passages(store, batch_size=500, progress=False)
    for name, table in _tables(reference).items():
        pd.testing.assert_frame_equal(table, getattr(in_memory, name).reset_index(drop=True),
                                      check_dtype=False)
    manifest = json.loads((reference / "manifest.json").read_text())
    assert manifest["documents"]["read"] == N_ARTICLES - sum(
        1 for _ in Corpus(store).dropped().itertuples())
    assert manifest["documents"] == in_memory.manifest["documents"]
    assert manifest["passages"] == len(in_memory.passages) > 0
    assert not work_folder(reference).exists()


def test_an_interrupted_run_resumes_from_its_completed_batches(store, reference, tmp_path,
                                                               monkeypatch) -> None:
    original, calls = passages_module._batch, []

    def failing_after_three(*args, **kwargs):
        calls.append(1)
        if len(calls) > 3:
            raise KeyboardInterrupt  # as Ctrl-C would
        return original(*args, **kwargs)

    monkeypatch.setattr(passages_module, "_batch", failing_after_three)
    out = tmp_path / "passages"
    with pytest.raises(KeyboardInterrupt):
        extract_passages(store, batch_size=BATCH, out=out, progress=False)
    assert not out.exists()
    assert sorted(done_batches(work_folder(out))) == [0, 1, 2]

    calls.clear()
    monkeypatch.setattr(passages_module, "_batch",
                        lambda *a, **k: calls.append(1) or original(*a, **k))
    extract_passages(store, batch_size=BATCH, out=out, progress=False)
    n_batches = len(Corpus(store).batch_plan(BATCH))
    assert len(calls) == n_batches - 3  # only the batches not done
    assert _part_bytes(out) == _part_bytes(reference)
    assert (json.loads((out / "manifest.json").read_text())
            == json.loads((reference / "manifest.json").read_text()))
    assert not work_folder(out).exists()


def test_a_work_folder_of_another_plan_is_refused(store, tmp_path, monkeypatch) -> None:
    out = tmp_path / "passages"

    def fail(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(passages_module, "_batch", fail)
    with pytest.raises(RuntimeError, match="worker killed"):
        extract_passages(store, batch_size=BATCH, out=out, progress=False)
    monkeypatch.undo()
    with pytest.raises(InputError, match="other parameters") as caught:
        extract_passages(store, batch_size=BATCH + 1, out=out, progress=False)
    assert caught.value.path is not None and str(work_folder(out)) in str(caught.value)
    extract_passages(store, batch_size=BATCH + 1, out=out, progress=False, force=True)
    assert out.is_dir() and not work_folder(out).exists()
    with pytest.raises(StoreExistsError):
        extract_passages(store, batch_size=BATCH, out=out, progress=False)


def test_dask_needs_a_store_and_an_out_folder(store) -> None:
    docs = Corpus(store).to_pandas()
    with pytest.raises(InputError, match="engine='dask'"):
        extract_passages(docs, engine="dask", progress=False)
    with pytest.raises(InputError, match="engine='dask'"):
        extract_passages(store, engine="dask", progress=False)
    with pytest.raises(InputError, match="engine must be one of"):
        extract_passages(store, engine="spark", progress=False)


needs_dask = pytest.mark.skipif(not dask_available(),
                                reason="dask.distributed (framing[dask]) is not installed")


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as local:
        yield local


@needs_dask
def test_dask_gives_the_local_engine_s_tables_byte_for_byte(store, reference, cluster,
                                                            tmp_path) -> None:
    out = tmp_path / "passages"
    extract_passages(store, batch_size=BATCH, out=out, progress=False, engine="dask",
                     scheduler=cluster.scheduler_address)
    assert _part_bytes(out) == _part_bytes(reference)
    assert (json.loads((out / "manifest.json").read_text())
            == json.loads((reference / "manifest.json").read_text()))


@needs_dask
def test_dask_resumes_a_run_the_local_engine_left(store, reference, cluster, tmp_path,
                                                  monkeypatch) -> None:
    original, calls = passages_module._batch, []

    def failing_after_two(*args, **kwargs):
        calls.append(1)
        if len(calls) > 2:
            raise RuntimeError("killed")
        return original(*args, **kwargs)

    monkeypatch.setattr(passages_module, "_batch", failing_after_two)
    out = tmp_path / "passages"
    with pytest.raises(RuntimeError):
        extract_passages(store, batch_size=BATCH, out=out, progress=False)
    monkeypatch.undo()
    extract_passages(store, batch_size=BATCH, out=out, progress=False, engine="dask",
                     scheduler=cluster.scheduler_address)
    assert _part_bytes(out) == _part_bytes(reference)


@needs_dask
def test_cli_engine_dask_on_its_own_local_cluster(store, reference, tmp_path, capsys) -> None:
    from framing.cli import main

    out = tmp_path / "passages"
    assert main(["passages", "extract", "--corpus", str(store), "--out", str(out),
                 "--batch-size", str(BATCH), "--engine", "dask", "--quiet"]) == 0
    assert "passages about" in capsys.readouterr().out
    assert _part_bytes(out) == _part_bytes(reference)
    with pytest.raises(SystemExit, match="--scheduler needs --engine dask"):
        main(["passages", "extract", "--corpus", str(store), "--out", str(tmp_path / "x"),
              "--scheduler", "tcp://127.0.0.1:1"])
