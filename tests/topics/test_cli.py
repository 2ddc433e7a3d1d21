"""``framing topics ...`` on the command line."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.cli import main
from framing.measure import estimate_effects
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


def _war_topic(model: TopicModel) -> int:
    column = list(model.vocabulary_).index("tank")
    return int(np.argmax(model.topic_word_[:, column]))


def test_effects_recover_the_planted_section(bundle: Path, token_file: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "effects.csv"
    assert main(["topics", "effects", str(bundle), "--tokens", str(token_file), "--formula",
                 "section + s(day, df=4)", "--draws", "10", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "~ section + s(day, df=4) on 60 documents, 95% intervals by 10 posterior draws" in (
        printed)
    effects = pd.read_csv(out)
    model = TopicModel.load(bundle)
    assert list(effects.columns) == ["outcome", "label", "term", "kind", "estimate",
                                     "std_error", "ci_low", "ci_high", "n_documents", "method"]
    # 3 topics x (intercept, two sections, four spline columns); labels from the bundle
    assert len(effects) == 21 and set(effects["method"]) == {"composition"}
    assert effects.groupby("outcome")["label"].first().tolist() == model.labels_
    war = effects.query(f"outcome == 'topic_{_war_topic(model)}' and term == 'section[T.war]'")
    assert war["estimate"].iloc[0] > 0.5 and war["ci_low"].iloc[0] > 0.3
    # shares sum to one, so each term's effects sum to zero over the topics
    sums = effects.query("kind == 'term'").groupby("term")["estimate"].sum()
    np.testing.assert_allclose(sums, 0.0, atol=1e-9)
    # the same as the API on the fitted shares, 'day' counted from 1970 as the fit counts dates
    tokens = make_tokens()
    table = tokens.drop(columns=["tokens"]).assign(
        day=(tokens["date"] - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1))
    table = pd.concat([table, pd.DataFrame(model.doc_topic_, columns=[
        f"topic_{k}" for k in range(3)])], axis=1)
    api = estimate_effects(table, formula="section + s(day, df=4)", model=model, draws=10)
    np.testing.assert_allclose(effects["estimate"], api["estimate"])
    np.testing.assert_allclose(effects["ci_high"], api["ci_high"])


def test_effects_options(bundle: Path, token_file: Path, tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "effects.csv"
    assert main(["topics", "effects", str(bundle), "--tokens", str(token_file), "--formula",
                 "outlet", "--topics", "1", "--draws", "0", "--out", str(out)]) == 0
    effects = pd.read_csv(out)
    assert effects[["outcome", "term"]].values.tolist() == [
        ["topic_1", "Intercept"], ["topic_1", "outlet[T.B]"]]
    assert set(effects["method"]) == {"ols"}
    assert "least squares" in capsys.readouterr().out
    # the output exists: refused before any work
    assert main(["topics", "effects", str(bundle), "--tokens", str(token_file), "--formula",
                 "outlet", "--out", str(out)]) == 2
    assert "--force" in capsys.readouterr().err


@pytest.mark.parametrize(("options", "message"), [
    (["--formula", "section + s(dy)"], "--formula: the formula 'section \\+ s\\(dy\\)' names "
     "'dy', which is not a column; the columns are: doc_id, outlet, date, section, "
     "n_tokens, day$"),
    (["--formula", "outlet +"], "--formula: the formula 'outlet \\+' cannot be built"),
    (["--formula", "outlet", "--topics", "0,3"], "--topics: the model's topics are 0 to 2, "
                                                 "got '0,3'"),
    (["--formula", "outlet", "--draws", "1"], "--draws takes 0 \\(none\\) or at least 2"),
])
def test_effects_errors(bundle: Path, token_file: Path, options: list[str], message: str,
                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["topics", "effects", str(bundle), "--tokens", str(token_file),
                 *options]) == 2
    assert re.search(message, capsys.readouterr().err.strip())


def test_effects_need_the_fitted_documents(bundle: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    other = make_tokens()
    other.loc[4, "doc_id"] = "new"
    path = tmp_path / "other.parquet"
    other.to_parquet(path)
    assert main(["topics", "effects", str(bundle), "--tokens", str(path), "--formula",
                 "outlet"]) == 2
    assert re.search(r"other\.parquet: row 5, field 'doc_id': 'new' is not one of the 60 "
                     "documents the model was fitted on", capsys.readouterr().err)
    # a subset of them is fine
    subset = tmp_path / "subset.parquet"
    make_tokens().iloc[:40].to_parquet(subset)
    assert main(["topics", "effects", str(bundle), "--tokens", str(subset), "--formula",
                 "outlet", "--draws", "5"]) == 0
    assert "on 40 documents" in capsys.readouterr().out


@pytest.fixture(scope="module")
def blurb_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic documents as texts; outlet A's all end with the same newsletter blurb."""
    folder = tmp_path_factory.mktemp("blurbs")
    tokens = make_tokens()
    blurb = "Sign up for our daily newsletter and manage your subscriptions today."
    texts = [" ".join(words).capitalize() + "." + (f" {blurb}" if outlet == "A" else "")
             for words, outlet in zip(tokens["tokens"], tokens["outlet"], strict=True)]
    tokens.assign(text=texts, date=tokens["date"].dt.strftime("%Y-%m-%d")).drop(
        columns=["tokens", "n_tokens"]).to_csv(folder / "news.csv", index=False)
    assert main(["corpus", "import", str(folder / "news.csv"), "--out", str(folder / "store"),
                 "--quiet"]) == 0
    return folder / "store"


def test_drop_repeated_sentences_before_fitting(blurb_store: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    def newsletter_words(bundle: Path) -> list[str]:
        return [w for w in TopicModel.load(bundle).vocabulary_ if "newsletter" in w]

    kept, cut = tmp_path / "kept", tmp_path / "cut"
    assert main(["topics", "fit", "--corpus", str(blurb_store), "--k", "3", "--out", str(kept),
                 "--quiet", *FAST]) == 0
    assert newsletter_words(kept)
    capsys.readouterr()
    assert main(["topics", "fit", "--corpus", str(blurb_store), "--k", "3", "--out", str(cut),
                 "--drop-repeated-sentences", "--quiet", *FAST]) == 0
    printed = capsys.readouterr().out
    assert "repeated sentences: 30 cut" in printed and "from 30 of 60 documents" in printed
    assert newsletter_words(cut) == []
    assert "tank" in TopicModel.load(cut).vocabulary_
    # the same cut gives the same shares to prevalence
    out = tmp_path / "prevalence.csv"
    assert main(["topics", "prevalence", str(cut), "--corpus", str(blurb_store), "--by",
                 "outlet", "--n-bootstrap", "20", "--drop-repeated-sentences", "--out",
                 str(out)]) == 0
    assert len(pd.read_csv(out)) == 6


def test_drop_repeated_sentences_needs_texts(token_file: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["topics", "fit", "--tokens", str(token_file), "--k", "3", "--out",
                 str(tmp_path / "b"), "--drop-repeated-sentences"]) == 2
    assert "--drop-repeated-sentences cuts sentences from the texts of a --corpus store" in (
        capsys.readouterr().err)
