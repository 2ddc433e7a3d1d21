"""write_tokens: the token table of a store written batch by batch, resumed, on Dask.

The Dask test runs a 2-worker LocalCluster (one thread each) and compares the parts byte for
byte with the local engine's.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import framing.text._token_table as token_module
from framing.corpus import Corpus, InputError, StoreExistsError, import_corpus
from framing.corpus._engine import dask_available, done_batches, work_folder
from framing.text import Tokenizer, tokenize_corpus, write_tokens
from tests.text.test_tokens import news

BATCH = 7
PARAMS = {"phrase_min_count": 3}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Corpus:
    folder = tmp_path_factory.mktemp("tokens")
    frame = news(40)
    frame["date"] = [f"2025-0{1 + i % 3}-1{i % 9}" for i in range(len(frame))]
    frame.drop(columns=["doc_id"]).to_csv(folder / "news.csv", index=False)
    return import_corpus(folder / "news.csv", folder / "store", progress=False)


@pytest.fixture(scope="module")
def reference(store, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reference") / "tokens"
    write_tokens(store, out, batch_size=BATCH, progress=False, **PARAMS)
    return out


def _parts(folder: Path) -> list[bytes]:
    return [p.read_bytes() for p in sorted((folder / "tokens").glob("part-*.parquet"))]


def test_the_parts_hold_the_in_memory_token_table(store, reference) -> None:
    streamed = pd.read_parquet(reference / "tokens")
    whole = tokenize_corpus(store, cache=False, **PARAMS)
    assert streamed["tokens"].map(list).tolist() == whole["tokens"].tolist()
    assert any("_" in token for tokens in whole["tokens"] for token in tokens)  # phrases
    pd.testing.assert_frame_equal(streamed.drop(columns="tokens"),
                                  whole.drop(columns="tokens"), check_dtype=False,
                                  check_categorical=False)
    manifest = json.loads((reference / "manifest.json").read_text())
    assert manifest["rows"] == {"read": len(store), "written": len(store)}
    assert manifest["tokens"] == int(whole["n_tokens"].sum())
    assert manifest["n_phrases"] > 0 and manifest["batches"]["n_batches"] == 6
    assert not work_folder(reference).exists()


def test_an_interrupted_run_resumes(store, reference, tmp_path, monkeypatch) -> None:
    original, calls = token_module.write_part, []

    def failing_after_two(table, target):
        calls.append(target.name)
        if len(calls) > 2:
            raise KeyboardInterrupt
        original(table, target)

    monkeypatch.setattr(token_module, "write_part", failing_after_two)
    out = tmp_path / "tokens"
    with pytest.raises(KeyboardInterrupt):
        write_tokens(store, out, batch_size=BATCH, progress=False, **PARAMS)
    assert not out.exists() and sorted(done_batches(work_folder(out))) == [0, 1]
    calls.clear()
    monkeypatch.setattr(token_module, "write_part",
                        lambda table, target: calls.append(target.name) or original(table,
                                                                                    target))
    run = write_tokens(store, out, batch_size=BATCH, progress=False, **PARAMS)
    assert run["resumed"] == 2 and run["rows"] == len(store)
    assert calls == [f"part-{n:06d}.parquet" for n in range(2, 6)]
    assert _parts(out) == _parts(reference)
    with pytest.raises(StoreExistsError):
        write_tokens(store, out, batch_size=BATCH, progress=False, **PARAMS)


def test_a_work_folder_of_another_plan_is_refused(store, tmp_path, monkeypatch) -> None:
    def fail(table, target):
        raise RuntimeError("killed")

    monkeypatch.setattr(token_module, "write_part", fail)
    out = tmp_path / "tokens"
    with pytest.raises(RuntimeError):
        write_tokens(store, out, batch_size=BATCH, progress=False, **PARAMS)
    monkeypatch.undo()
    with pytest.raises(InputError, match="other parameters"):
        write_tokens(store, out, batch_size=BATCH, progress=False, phrase_min_count=4)
    run = write_tokens(store, out, batch_size=BATCH, progress=False, force=True,
                       phrase_min_count=4)
    assert run["resumed"] == 0 and run["rows"] == len(store)


def test_bad_parameters_are_named(store, tmp_path) -> None:
    with pytest.raises(InputError, match="batch_size"):
        write_tokens(store, tmp_path / "t", batch_size=0)
    with pytest.raises(InputError, match="engine must be one of"):
        write_tokens(store, tmp_path / "t", engine="ray")
    with pytest.raises(InputError, match="min_token_length"):
        write_tokens(store, tmp_path / "t", min_token_length=0)


@pytest.mark.skipif(not dask_available(), reason="dask.distributed is not installed")
def test_dask_gives_the_local_parts_byte_for_byte(store, reference, tmp_path,
                                                  monkeypatch) -> None:
    distributed = pytest.importorskip("distributed")
    out = tmp_path / "tokens"

    def counted_here(self, *args, **kwargs):
        raise AssertionError("on Dask the workers count the phrases, not this process")

    monkeypatch.setattr(Tokenizer, "fit_corpus", counted_here)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        run = write_tokens(store, out, batch_size=BATCH, progress=False, engine="dask",
                           scheduler=cluster.scheduler_address, **PARAMS)
    assert run["rows"] == len(store)
    assert _parts(out) == _parts(reference)
    assert (json.loads((out / "manifest.json").read_text())["n_phrases"]
            == json.loads((reference / "manifest.json").read_text())["n_phrases"] > 0)
