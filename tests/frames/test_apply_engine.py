"""apply_frames: batches over Parquet passages, resume after a failure, the Dask engine.

The Dask test runs a 2-worker LocalCluster (one thread each) and compares the output file
byte for byte with the local engine's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import framing.frames._apply as apply_module
from framing.corpus import InputError, StoreExistsError
from framing.corpus._engine import dask_available, done_batches, work_folder
from framing.frames import FrameClassifier, apply_frames

CUES = {"peacemaker": "Trump vowed to broker a peace deal",
        "isolationist": "Trump said Europe must pay its share",
        "skeptic": "Trump doubted the aid would work"}
BATCH = 23


@pytest.fixture(scope="module")
def model() -> FrameClassifier:
    toy = pd.DataFrame([{"passage_id": f"t{i}:0", "text": f"{CUES[f]}, day {i}.",
                         **{g: int(g == f) for g in CUES}}
                        for i, f in enumerate(list(CUES) * 12)])
    return FrameClassifier(features="tfidf", min_df=1).fit(toy)


@pytest.fixture(scope="module")
def passages(tmp_path_factory) -> Path:
    """A passages folder of two parts (161 passages) with metadata columns."""
    rng = np.random.default_rng(0)
    folder = tmp_path_factory.mktemp("apply") / "passages"
    (folder / "passages").mkdir(parents=True)
    (folder / "manifest.json").write_text("{}", encoding="utf-8")
    rows = [{"passage_id": f"d{i}:0", "doc_id": f"d{i}",
             "outlet": rng.choice(["A", "B"]), "text": " ".join(
                 rng.choice(" ".join(CUES.values()).split(), size=8))} for i in range(161)]
    table = pd.DataFrame(rows)
    table.iloc[:100].to_parquet(folder / "passages" / "part-000000.parquet", index=False)
    table.iloc[100:].to_parquet(folder / "passages" / "part-000001.parquet", index=False)
    return folder


@pytest.fixture(scope="module")
def reference(model, passages, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reference") / "frames.parquet"
    apply_frames(model, passages, out, batch_size=BATCH, progress=False)
    return out


def test_batches_give_the_whole_table_s_scores(model, passages, reference) -> None:
    whole = pd.concat([pd.read_parquet(p) for p in
                       sorted((passages / "passages").glob("*.parquet"))], ignore_index=True)
    pd.testing.assert_frame_equal(pd.read_parquet(reference), model.predict(whole))
    assert not work_folder(reference).exists()


def test_an_interrupted_apply_resumes(model, passages, reference, tmp_path,
                                      monkeypatch) -> None:
    original, calls = apply_module.write_part, []

    def failing_after_four(table, target):
        calls.append(target.name)
        if len(calls) > 4:
            raise KeyboardInterrupt
        original(table, target)

    monkeypatch.setattr(apply_module, "write_part", failing_after_four)
    out = tmp_path / "frames.parquet"
    with pytest.raises(KeyboardInterrupt):
        apply_frames(model, passages, out, batch_size=BATCH, progress=False)
    assert not out.exists() and sorted(done_batches(work_folder(out))) == [0, 1, 2, 3]
    calls.clear()
    monkeypatch.setattr(apply_module, "write_part",
                        lambda table, target: calls.append(target.name) or original(table,
                                                                                    target))
    run = apply_frames(model, passages, out, batch_size=BATCH, progress=False)
    assert run == {"rows": 161, "batches": 7, "resumed": 4}
    assert calls == [f"part-{n:06d}.parquet" for n in range(4, 7)]
    assert out.read_bytes() == reference.read_bytes()
    with pytest.raises(StoreExistsError):
        apply_frames(model, passages, out, batch_size=BATCH, progress=False)


def test_another_model_does_not_resume_a_run(model, passages, tmp_path, monkeypatch) -> None:
    def fail(table, target):
        raise RuntimeError("killed")

    monkeypatch.setattr(apply_module, "write_part", fail)
    out = tmp_path / "frames.parquet"
    with pytest.raises(RuntimeError):
        apply_frames(model, passages, out, batch_size=BATCH, progress=False)
    monkeypatch.undo()
    other = FrameClassifier(features="tfidf", min_df=1, C=1.0).fit(
        pd.read_parquet(passages / "passages").assign(
            peacemaker=lambda t: t["text"].str.contains("peace").astype(int),
            isolationist=lambda t: t["text"].str.contains("Europe").astype(int),
            skeptic=lambda t: t["text"].str.contains("aid").astype(int)))
    with pytest.raises(InputError, match="other parameters"):
        apply_frames(other, passages, out, batch_size=BATCH, progress=False)


def test_bad_inputs_are_named(model, tmp_path) -> None:
    csv = tmp_path / "p.csv"
    csv.write_text("passage_id,text\na,b\n")
    with pytest.raises(InputError, match="expected a passages folder"):
        apply_frames(model, csv, tmp_path / "o.parquet", progress=False)
    pd.DataFrame({"passage_id": ["a"], "body": ["x"]}).to_parquet(tmp_path / "p.parquet")
    with pytest.raises(InputError, match="no such column") as caught:
        apply_frames(model, tmp_path / "p.parquet", tmp_path / "o.parquet", progress=False)
    assert caught.value.field == "text"
    with pytest.raises(InputError, match="engine must be one of"):
        apply_frames(model, tmp_path / "p.parquet", tmp_path / "o.parquet", engine="ray")


@pytest.mark.skipif(not dask_available(), reason="dask.distributed is not installed")
def test_dask_gives_the_local_file_byte_for_byte(model, passages, reference,
                                                 tmp_path) -> None:
    distributed = pytest.importorskip("distributed")
    out = tmp_path / "frames.parquet"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        run = apply_frames(model, passages, out, batch_size=BATCH, progress=False,
                           engine="dask", scheduler=cluster.scheduler_address)
    assert run["rows"] == 161
    assert out.read_bytes() == reference.read_bytes()


def test_cli_apply_resumes_and_refuses_dask_on_csv(model, passages, reference, tmp_path,
                                                   capsys, monkeypatch) -> None:
    from framing.cli import main
    from framing.frames import save_frame_model

    bundle = save_frame_model(model, tmp_path / "model")
    original = apply_module.write_part

    def fail_on_third(table, target):
        if target.name == "part-000002.parquet":
            raise RuntimeError("worker killed")
        original(table, target)

    out = tmp_path / "frames.parquet"
    argv = ["frames", "apply", str(bundle), str(passages), "--out", str(out), "--batch-size",
            str(BATCH), "--quiet"]
    monkeypatch.setattr(apply_module, "write_part", fail_on_third)
    with pytest.raises(RuntimeError):
        main(argv)
    monkeypatch.undo()
    assert main(argv) == 0
    assert "2 of 7 batches were done by an earlier run" in capsys.readouterr().out
    assert out.read_bytes() == reference.read_bytes()
    csv = tmp_path / "p.csv"
    pd.read_parquet(passages / "passages").to_csv(csv, index=False)
    assert main(["frames", "apply", str(bundle), str(csv), "--out", str(tmp_path / "c.parquet"),
                 "--engine", "dask"]) == 2
    assert "--engine dask reads Parquet" in capsys.readouterr().err
