"""infer_topics: batches over a token table on disk, resume after a failure, the Dask engine.

The Dask test runs a 2-worker LocalCluster (one thread each) and compares the parts byte for
byte with the local engine's.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import framing.topics._infer as infer_module
from framing.corpus import InputError, StoreExistsError
from framing.corpus._engine import dask_available, done_batches, work_folder
from framing.topics import TopicModel, infer_topics
from tests.topics.conftest import FAST, make_tokens

BATCH = 17


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return make_tokens(n_documents=90, seed=3)


@pytest.fixture(scope="module", params=["lda", "dmr"])
def model(request, table) -> TopicModel:
    kind = request.param
    return TopicModel(**FAST, kind=kind, covariates=("outlet",), random_state=1).fit(
        table.iloc[:60])  # fit on a sample, infer on all


@pytest.fixture(scope="module")
def tokens(table, tmp_path_factory) -> Path:
    """A token folder of two parts (90 rows)."""
    folder = tmp_path_factory.mktemp("infer") / "tokens"
    (folder / "tokens").mkdir(parents=True)
    (folder / "manifest.json").write_text("{}", encoding="utf-8")
    table.iloc[:50].to_parquet(folder / "tokens" / "part-000000.parquet", index=False)
    table.iloc[50:].to_parquet(folder / "tokens" / "part-000001.parquet", index=False)
    return folder


@pytest.fixture(scope="module")
def reference(model, tokens, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reference") / "topics"
    infer_topics(model, tokens, out, batch_size=BATCH, progress=False)
    return out


def _parts(folder: Path) -> list[bytes]:
    return [p.read_bytes() for p in sorted((folder / "doc_topics").glob("part-*.parquet"))]


def test_batches_give_the_whole_table_s_shares(model, table, reference) -> None:
    streamed = pd.read_parquet(reference / "doc_topics")
    whole = model.transform(table)
    pd.testing.assert_frame_equal(streamed, whole.reset_index(drop=True))
    assert streamed.attrs["model_id"] == model.model_id_
    manifest = json.loads((reference / "manifest.json").read_text())
    assert manifest["rows"] == {"read": 90, "written": 90}
    assert manifest["batches"] == {"batch_size": BATCH, "n_batches": 6}
    assert not work_folder(reference).exists()


def test_an_interrupted_inference_resumes(model, tokens, reference, tmp_path,
                                          monkeypatch) -> None:
    original, calls = infer_module.write_part, []

    def failing_after_three(table, target):
        calls.append(target.name)
        if len(calls) > 3:
            raise KeyboardInterrupt
        original(table, target)

    monkeypatch.setattr(infer_module, "write_part", failing_after_three)
    out = tmp_path / "topics"
    with pytest.raises(KeyboardInterrupt):
        infer_topics(model, tokens, out, batch_size=BATCH, progress=False)
    assert not out.exists() and sorted(done_batches(work_folder(out))) == [0, 1, 2]
    calls.clear()
    monkeypatch.setattr(infer_module, "write_part",
                        lambda table, target: calls.append(target.name) or original(table,
                                                                                    target))
    run = infer_topics(model, tokens, out, batch_size=BATCH, progress=False)
    assert run == {"rows": 90, "batches": 6, "resumed": 3, "model_id": model.model_id_}
    assert calls == [f"part-{n:06d}.parquet" for n in range(3, 6)]
    assert _parts(out) == _parts(reference)
    with pytest.raises(StoreExistsError):
        infer_topics(model, tokens, out, batch_size=BATCH, progress=False)


def test_bad_inputs_are_named(model, table, tmp_path) -> None:
    with pytest.raises(InputError, match="expected a token folder"):
        infer_topics(model, tmp_path / "t.csv", tmp_path / "o", progress=False)
    with pytest.raises(InputError, match="not a token folder"):
        infer_topics(model, tmp_path, tmp_path / "o", progress=False)
    table.drop(columns=["tokens"]).to_parquet(tmp_path / "t.parquet")
    with pytest.raises(InputError, match="no 'tokens' column"):
        infer_topics(model, tmp_path / "t.parquet", tmp_path / "o", progress=False)
    with pytest.raises(InputError, match="engine must be one of"):
        infer_topics(model, tmp_path / "t.parquet", tmp_path / "o", engine="ray")
    with pytest.raises(InputError, match="batch_size"):
        infer_topics(model, tmp_path / "t.parquet", tmp_path / "o", batch_size=0)
    with pytest.raises(InputError, match="fitted TopicModel"):
        infer_topics(TopicModel(), tmp_path / "t.parquet", tmp_path / "o")


@pytest.mark.skipif(not dask_available(), reason="dask.distributed is not installed")
def test_dask_gives_the_local_parts_byte_for_byte(model, tokens, reference, tmp_path) -> None:
    distributed = pytest.importorskip("distributed")
    out = tmp_path / "topics"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        run = infer_topics(model, tokens, out, batch_size=BATCH, progress=False,
                           engine="dask", scheduler=cluster.scheduler_address)
    assert run["rows"] == 90
    assert _parts(out) == _parts(reference)
