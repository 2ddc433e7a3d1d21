"""``framing topics tokens|infer`` and ``topics prevalence --doc-topics``: the large-corpus
chain on the command line (tokens on disk, fit on a sample, infer on all, prevalence from the
table on disk), checked against the Python API it calls.

The Dask engine is tested at the API level (tests/text/test_tokens_stream.py,
tests/topics/test_infer.py); here the options reach it, and ``--scheduler`` without
``--engine dask`` is refused.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import framing.topics._infer as infer_module
from framing.cli import main
from framing.corpus import import_corpus
from framing.measure import topic_prevalence
from framing.text import tokenize_corpus
from framing.topics import TopicModel, read_tokens
from tests.topics.conftest import make_tokens

FAST = ["--iterations", "40", "--min-df", "1"]


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A store of 60 articles, its token folder, a model fitted on 40 of them, inferred on all."""
    folder = tmp_path_factory.mktemp("large")
    words = make_tokens(n_documents=60, seed=5)
    pd.DataFrame({"outlet": words["outlet"].astype(str), "date": words["date"],
                  "text": [" ".join(t) + "." for t in words["tokens"]]}).to_csv(
        folder / "news.csv", index=False)
    import_corpus(folder / "news.csv", folder / "store", dedup="none", progress=False)
    paths = {name: folder / name for name in ("store", "tokens", "bundle", "inferred")}
    assert main(["topics", "tokens", "--corpus", str(paths["store"]), "--out",
                 str(paths["tokens"]), "--batch-size", "25", "--quiet"]) == 0
    assert main(["topics", "fit", "--tokens", str(paths["tokens"]), "--sample", "40",
                 "--seed", "3", "--k", "3", "--out", str(paths["bundle"]), "--quiet",
                 *FAST]) == 0
    assert main(["topics", "infer", str(paths["bundle"]), "--tokens", str(paths["tokens"]),
                 "--out", str(paths["inferred"]), "--batch-size", "16", "--quiet"]) == 0
    return paths


def test_tokens_writes_the_store_s_token_table(chain: dict[str, Path],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    written = pd.read_parquet(chain["tokens"] / "tokens")
    whole = tokenize_corpus(chain["store"], cache=False)
    assert written["tokens"].map(list).tolist() == whole["tokens"].tolist()
    assert written["doc_id"].tolist() == whole["doc_id"].tolist()
    manifest = json.loads((chain["tokens"] / "manifest.json").read_text())
    assert manifest["rows"] == {"read": 60, "written": 60}
    assert manifest["batches"] == {"batch_size": 25, "n_batches": 3}


def test_fit_on_a_sample_is_the_api_s_fit_on_that_sample(chain: dict[str, Path]) -> None:
    sample = read_tokens(chain["tokens"], n_sample=40, random_state=3)
    position = pd.Index(read_tokens(chain["tokens"])["doc_id"]).get_indexer(sample["doc_id"])
    assert len(sample) == 40 and (np.diff(position) > 0).all()     # input order, no repeat
    model = TopicModel.load(chain["bundle"])
    same = TopicModel(n_topics=3, n_iterations=40, min_df=1, random_state=3).fit(sample)
    assert model.model_id_ == same.model_id_
    assert sorted(model.doc_ids_) == sorted(sample["doc_id"])


def test_infer_writes_every_document_s_shares(chain: dict[str, Path]) -> None:
    model = TopicModel.load(chain["bundle"])
    shares = pd.read_parquet(chain["inferred"] / "doc_topics")
    expected = model.transform(read_tokens(chain["tokens"]))
    assert len(shares) == 60
    pd.testing.assert_frame_equal(shares, expected, check_categorical=False)
    manifest = json.loads((chain["inferred"] / "manifest.json").read_text())
    assert manifest["rows"] == {"read": 60, "written": 60}
    assert manifest["model_id"] == model.model_id_ and manifest["batches"]["n_batches"] == 4


def test_prevalence_from_the_table_on_disk_equals_the_one_in_memory(
        chain: dict[str, Path], tmp_path: Path) -> None:
    on_disk, in_memory = tmp_path / "disk.csv", tmp_path / "memory.csv"
    common = ["--by", "outlet", "--n-bootstrap", "60", "--seed", "4"]
    assert main(["topics", "prevalence", str(chain["bundle"]), "--doc-topics",
                 str(chain["inferred"]), "--batch-size", "7", "--max-documents", "5",
                 "--out", str(on_disk), *common]) == 0
    assert main(["topics", "prevalence", str(chain["bundle"]), "--tokens",
                 str(chain["tokens"]), "--out", str(in_memory), *common]) == 0
    disk, memory = pd.read_csv(on_disk), pd.read_csv(in_memory)
    assert len(disk) == 2 * 3 and disk["n_documents"].sum() == 3 * 60
    pd.testing.assert_frame_equal(disk, memory, rtol=1e-12)
    # the folder's doc_topics/ or a single .parquet file: the same table
    single = tmp_path / "single.parquet"
    pd.read_parquet(chain["inferred"] / "doc_topics").to_parquet(single)
    assert main(["topics", "prevalence", str(chain["bundle"]), "--doc-topics", str(single),
                 "--out", str(tmp_path / "single.csv"), *common]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "single.csv"), disk, rtol=1e-12)


def test_a_stopped_infer_resumes_when_run_again(chain: dict[str, Path], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "inferred"
    real = infer_module._shares_of_batch

    def fail_on_third(number, slices, settings):
        if number == 2:
            raise KeyboardInterrupt
        return real(number, slices, settings)

    monkeypatch.setattr(infer_module, "_shares_of_batch", fail_on_third)
    args = ["topics", "infer", str(chain["bundle"]), "--tokens", str(chain["tokens"]),
            "--out", str(out), "--batch-size", "16", "--quiet"]
    assert main(args) == 130
    assert not out.exists()
    monkeypatch.setattr(infer_module, "_shares_of_batch", real)
    assert main(args) == 0
    assert "2 found done by a stopped run" in capsys.readouterr().out
    pd.testing.assert_frame_equal(pd.read_parquet(out / "doc_topics"),
                                  pd.read_parquet(chain["inferred"] / "doc_topics"))


@pytest.mark.parametrize(("command", "message"), [
    (["topics", "prevalence", "{bundle}", "--doc-topics", "{inferred}", "--method",
      "composition"], "--method composition redraws each document's shares from its tokens"),
    (["topics", "prevalence", "{other}", "--doc-topics", "{inferred}"],
     "inferred by model tm-"),
    (["topics", "prevalence", "{bundle}", "--doc-topics", "{tmp}/none"],
     "none: no such file or folder (given to --doc-topics)"),
    (["topics", "fit", "--corpus", "{store}", "--sample", "10", "--k", "2", "--out",
      "{tmp}/b"], "--sample draws rows from a --tokens table on disk"),
    (["topics", "infer", "{bundle}", "--tokens", "{tmp}", "--out", "{tmp}/o"],
     "not a token folder"),
    (["topics", "infer", "{bundle}", "--tokens", "{tokens}", "--out", "{tmp}/o",
      "--batch-size", "0"], "--batch-size takes a number of rows >= 1, got 0"),
    (["topics", "prevalence", "{bundle}", "--doc-topics", "{inferred}", "--max-documents",
      "0"], "--max-documents takes a number of documents >= 1, got 0"),
    (["topics", "tokens", "--corpus", "{store}", "--out", "{tokens}"],
     "exists; pass --force to replace it"),
])
def test_errors_name_the_option_and_the_way_out(chain: dict[str, Path], tmp_path: Path,
                                                command: list[str], message: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other"
    if "{other}" in command:
        assert main(["topics", "fit", "--tokens", str(chain["tokens"]), "--k", "2",
                     "--out", str(other), "--quiet", *FAST]) == 0
        capsys.readouterr()
    argv = [part.format(tmp=tmp_path, other=other, **chain) for part in command]
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == before   # nothing written


def test_scheduler_needs_the_dask_engine(chain: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="--scheduler needs --engine dask"):
        main(["topics", "infer", str(chain["bundle"]), "--tokens", str(chain["tokens"]),
              "--out", str(tmp_path / "o"), "--scheduler", "tcp://127.0.0.1:1"])


def test_the_sample_changes_with_the_seed(chain: dict[str, Path]) -> None:
    first = read_tokens(chain["tokens"], n_sample=20, random_state=0)["doc_id"]
    assert first.tolist() == read_tokens(chain["tokens"], n_sample=20,
                                         random_state=0)["doc_id"].tolist()
    assert first.tolist() != read_tokens(chain["tokens"], n_sample=20,
                                         random_state=1)["doc_id"].tolist()
    assert np.array_equal(read_tokens(chain["tokens"], n_sample=1000)["doc_id"],
                          read_tokens(chain["tokens"])["doc_id"])


def test_topic_prevalence_of_the_inferred_folder_is_the_api_s(chain: dict[str, Path]) -> None:
    model = TopicModel.load(chain["bundle"])
    table = topic_prevalence(chain["inferred"] / "doc_topics", by=["outlet"], n_bootstrap=20,
                             labels=list(model.labels_))
    assert set(table["topic"]) == {"topic_0", "topic_1", "topic_2"}
