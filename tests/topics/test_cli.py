"""``framing topics ...`` on the command line."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.cli import main
from framing.topics import TopicModel
from tests.topics.conftest import make_tokens

FAST = ["--iterations", "60", "--min-df", "1"]


@pytest.fixture(scope="module")
def token_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "tokens.parquet"
    make_tokens().to_parquet(path)
    return path


@pytest.fixture(scope="module")
def bundle(token_file: Path) -> Path:
    out = token_file.parent / "bundle"
    assert main(["topics", "fit", "--tokens", str(token_file), "--k", "3", "--covariates",
                 "outlet,period", "--seed", "2", "--labels", "0=first", "--out", str(out),
                 "--doc-topics", str(token_file.parent / "dt.parquet"), *FAST]) == 0
    return out


def test_fit_writes_a_bundle_like_the_api(bundle: Path, token_file: Path) -> None:
    model = TopicModel.load(bundle)
    assert model.fit_params_["kind"] == "dmr" and model.fit_params_["covariates"] == [
        "outlet", "period"]
    assert model.labels_[0] == "first" and model.random_state == 2
    same = TopicModel(n_topics=3, kind="dmr", n_iterations=60, min_df=1,
                      random_state=2).fit(make_tokens())
    assert same.model_id_ == model.model_id_
    streamed = pd.read_parquet(token_file.parent / "dt.parquet")
    assert streamed.attrs["topic_labels"][0] == "first" and len(streamed) == 60


def test_show_and_label(bundle: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["topics", "show", str(bundle), "--by", "frex", "--n", "3"]) == 0
    out = capsys.readouterr().out
    assert "first" in out and "top words by frex" in out and len(out.splitlines()) == 4
    assert main(["topics", "label", str(bundle), "1=second"]) == 0
    assert TopicModel.load(bundle).labels_[:2] == ["first", "second"]


def test_search_k(token_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, summary = tmp_path / "k.csv", tmp_path / "summary.csv"
    assert main(["topics", "search-k", "--tokens", str(token_file), "--ks", "2,3",
                 "--seeds", "0,1", "--out", str(out), "--summary", str(summary), "--quiet",
                 *FAST]) == 0
    runs = pd.read_csv(out)
    assert runs[["k", "seed"]].values.tolist() == [[2, 0], [2, 1], [3, 0], [3, 1]]
    assert set(pd.read_csv(summary)["n_seeds"]) == {2}
    assert "heldout_ll_per_word" in capsys.readouterr().out
    assert main(["topics", "search-k", "--tokens", str(token_file), "--ks", "2",
                 "--out", str(out), "--quiet"]) == 2  # exists: refused without --force


def test_prevalence(bundle: Path, token_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "prevalence.csv"
    assert main(["topics", "prevalence", str(bundle), "--tokens", str(token_file),
                 "--by", "outlet", "--n-bootstrap", "50", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert list(table.columns) == ["outlet", "topic", "label", "estimate", "ci_low", "ci_high",
                                   "n_passages", "n_documents", "method"]
    assert table["label"].tolist()[:3] == ["first", "second", "topic_2"]
    assert (table["ci_low"] <= table["estimate"]).all() and (
        table["estimate"] <= table["ci_high"]).all()
    sums = table.groupby("outlet")["estimate"].sum()
    assert sums.round(6).eq(1.0).all()


def test_intrusion_round_trip(bundle: Path, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "tasks"
    assert main(["topics", "intrusion", str(bundle), "--out", str(folder)]) == 0
    key = pd.read_csv(folder / "key.csv")
    sheet = pd.read_csv(folder / "tasks.csv", keep_default_na=False).assign(
        answer=key["intruder"])
    sheet.to_csv(tmp_path / "answered.csv", index=False)
    capsys.readouterr()
    assert main(["topics", "intrusion", "--score", str(tmp_path / "answered.csv"),
                 "--key", str(folder)]) == 0
    assert "model_precision" in capsys.readouterr().out


def test_errors_are_one_line(token_file: Path, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["topics", "search-k", "--tokens", str(token_file), "--ks", "a,b",
                 "--out", str(tmp_path / "x.csv")]) == 2
    assert "--ks takes comma-separated integers" in capsys.readouterr().err
    assert main(["topics", "fit", "--tokens", str(tmp_path / "none.parquet"), "--k", "3",
                 "--out", str(tmp_path / "b")]) == 2
    assert "none.parquet: cannot read the token table" in capsys.readouterr().err


def test_fit_with_term_weighting(token_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "idf"
    assert main(["topics", "fit", "--tokens", str(token_file), "--k", "3", "--term-weight",
                 "idf", "--out", str(out), *FAST]) == 0
    model = TopicModel.load(out)
    assert model.term_weight == "idf"
    plain = TopicModel(n_topics=3, n_iterations=60, min_df=1).fit(make_tokens())
    assert model.model_id_ != plain.model_id_
    assert "idf" in (out / "CARD.md").read_text(encoding="utf-8")


def test_fit_with_numeric_covariates_is_the_apis_g_dmr(token_file: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "gdmr"
    assert main(["topics", "fit", "--tokens", str(token_file), "--k", "3", "--covariates",
                 "outlet", "--numeric-covariates", "date", "--degree", "2", "--out", str(out),
                 "--quiet", *FAST]) == 0
    assert "DMR on outlet,s(date), K=3" in capsys.readouterr().out
    model = TopicModel.load(out)
    same = TopicModel(n_topics=3, kind="dmr", covariates=("outlet",),
                      numeric_covariates=("date",), degree=2, n_iterations=60,
                      min_df=1).fit(make_tokens())
    assert model.model_id_ == same.model_id_
    np.testing.assert_allclose(model.topic_word_, same.topic_word_)
    assert "a smooth of date (Legendre polynomials up to degree 2)" in (
        out / "CARD.md").read_text(encoding="utf-8")
    # numeric alone: no categorical covariate, not the default outlet,period
    alone = tmp_path / "alone"
    assert main(["topics", "fit", "--tokens", str(token_file), "--k", "3",
                 "--numeric-covariates", "date", "--out", str(alone), "--quiet", *FAST]) == 0
    params = TopicModel.load(alone).fit_params_
    assert (params["kind"], params["covariates"], params["numeric_covariates"],
            params["degree"]) == ("dmr", [], ["date"], 3)


@pytest.mark.parametrize(("options", "message"), [
    (["--numeric-covariates", "day"], r"tokens\.parquet: field 'day': the table has no 'day' "
                                      "column for the numeric covariates"),
    (["--numeric-covariates", "outlet"], r"tokens\.parquet: field 'outlet': a numeric "
                                         "covariate must hold numbers or dates"),
    (["--covariates", "outlet", "--numeric-covariates", "date,outlet"],
     "--covariates and --numeric-covariates both name 'outlet'"),
    (["--degree", "2"], "--degree is the degree of the smooth of --numeric-covariates"),
    (["--numeric-covariates", "date", "--degree", "11"], "--degree takes 0 to 10, got 11"),
    (["--numeric-covariates", "date", "--engine", "gensim"], "need --engine tomotopy"),
])
def test_numeric_covariate_errors(token_file: Path, tmp_path: Path, options: list[str],
                                  message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["topics", "fit", "--tokens", str(token_file), "--k", "3", "--out",
                 str(tmp_path / "b"), "--quiet", *options, *FAST]) == 2
    assert re.search(message, capsys.readouterr().err)
    assert not (tmp_path / "b").exists()


def test_search_k_with_numeric_covariates(token_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "k.csv"
    assert main(["topics", "search-k", "--tokens", str(token_file), "--ks", "3", "--seeds",
                 "0", "--numeric-covariates", "date", "--degree", "1", "--out", str(out),
                 "--quiet", *FAST]) == 0
    runs = pd.read_csv(out)
    assert runs[["k", "seed"]].values.tolist() == [[3, 0]]
    assert runs["heldout_ll_per_word"].notna().all()
