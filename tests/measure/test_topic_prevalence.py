"""topic_prevalence: shares per outlet × period with intervals, in the prevalence schema."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.optimize import linear_sum_assignment

from framing.corpus import InputError, import_corpus
from framing.measure import estimate_effects, topic_prevalence
from framing.text import tokenize_corpus
from framing.topics import TopicModel
from tests.conftest import SAMPLE

SCHEMA = ["topic", "estimate", "ci_low", "ci_high", "n_passages", "n_documents", "method"]


def doc_topics(n: int = 400, n_tokens: int = 100, seed: int = 0) -> pd.DataFrame:
    """Three topics; outlet B leans to topic 1; outlet X only publishes in January."""
    rng = np.random.default_rng(seed)
    outlet = rng.choice(["A", "B", "X"], size=n, p=[0.45, 0.45, 0.10])
    day = np.where(outlet == "X", rng.integers(0, 31, n), rng.integers(0, 59, n))
    prior = np.where((outlet == "B")[:, None], [2.0, 6.0, 2.0], [5.0, 2.0, 3.0])
    theta = np.vstack([rng.dirichlet(a) for a in prior])
    table = pd.DataFrame({"doc_id": [f"d{i:04d}" for i in range(n)], "outlet": outlet,
                          "date": pd.Timestamp("2025-01-01") + pd.to_timedelta(day, "D"),
                          "n_tokens": n_tokens})
    for k in range(3):
        table[f"topic_{k}"] = theta[:, k]
    return table


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return doc_topics()


def test_estimates_are_group_means_and_every_group_is_listed(table: pd.DataFrame) -> None:
    out = topic_prevalence(table, n_bootstrap=200)
    assert list(out.columns) == ["outlet", "period", *SCHEMA]
    # 3 outlets × 2 months × 3 topics, X in February included with n = 0 and no estimate
    assert len(out) == 18
    empty = out[(out["outlet"] == "X") & (out["period"] == "2025-02")]
    assert (empty["n_documents"] == 0).all() and empty["estimate"].isna().all()
    full = out.dropna(subset=["estimate"])
    month = table["date"].dt.strftime("%Y-%m")
    means = table.groupby([table["outlet"], month])[["topic_0", "topic_1", "topic_2"]].mean()
    for r in full.itertuples():
        assert r.estimate == pytest.approx(means.loc[(r.outlet, r.period), r.topic], abs=1e-12)
        assert r.ci_low <= r.estimate <= r.ci_high
    # shares of all topics in a group sum to 1
    sums = full.groupby(["outlet", "period"])["estimate"].sum()
    np.testing.assert_allclose(sums, 1.0)
    assert out["n_passages"].isna().all() and (out["method"] == "bootstrap").all()


def test_planted_outlet_difference_is_found(table: pd.DataFrame) -> None:
    out = topic_prevalence(table, by=["outlet"]).set_index(["outlet", "topic"])
    b, a = out.loc[("B", "topic_1")], out.loc[("A", "topic_1")]
    assert b["ci_low"] > a["ci_high"]  # planted means 0.6 and 0.2
    assert b["ci_low"] < 0.6 < b["ci_high"] and a["ci_low"] < 0.2 < a["ci_high"]


def test_bootstrap_interval_matches_the_normal_interval_of_a_mean(table: pd.DataFrame) -> None:
    out = topic_prevalence(table, by=["outlet"], n_bootstrap=2000).set_index(["outlet", "topic"])
    values = table.loc[table["outlet"] == "A", "topic_0"]
    half = stats.norm.ppf(0.975) * values.std() / np.sqrt(len(values))
    found = out.loc[("A", "topic_0")]
    assert (found["ci_high"] - found["ci_low"]) / 2 == pytest.approx(half, rel=0.1)


def test_passages_are_resampled_by_document(table: pd.DataFrame) -> None:
    passages = pd.concat([table.assign(passage_id=table["doc_id"] + f":{n}") for n in (0, 1, 2)],
                         ignore_index=True)
    out = topic_prevalence(passages, by=["outlet"]).set_index(["outlet", "topic"])
    docs = topic_prevalence(table, by=["outlet"]).set_index(["outlet", "topic"])
    assert out.loc[("A", "topic_0"), "n_passages"] == 3 * docs.loc[("A", "topic_0"),
                                                                    "n_documents"]
    assert out.loc[("A", "topic_0"), "n_documents"] == docs.loc[("A", "topic_0"),
                                                                "n_documents"]
    # three copies of each document carry no more information: same interval as documents
    pd.testing.assert_series_equal(out["ci_low"], docs["ci_low"], rtol=1e-12)


def test_composition_is_wider_than_bootstrap_for_short_documents() -> None:
    short = doc_topics(n_tokens=10)
    boot = topic_prevalence(short, by=["outlet"], method="bootstrap")
    composed = topic_prevalence(short, by=["outlet"], method="composition")
    assert ((composed["ci_high"] - composed["ci_low"])
            > 1.1 * (boot["ci_high"] - boot["ci_low"])).all()
    pd.testing.assert_series_equal(composed["estimate"], boot["estimate"])


def test_same_seed_same_table_and_another_seed_differs(table: pd.DataFrame) -> None:
    first = topic_prevalence(table, method="composition", n_bootstrap=50, random_state=1)
    again = topic_prevalence(table, method="composition", n_bootstrap=50, random_state=1)
    pd.testing.assert_frame_equal(first, again, check_exact=True)
    other = topic_prevalence(table, method="composition", n_bootstrap=50, random_state=2)
    assert not first["ci_low"].equals(other["ci_low"])


def test_breakpoint_periods(table: pd.DataFrame) -> None:
    out = topic_prevalence(table, by=["period"], period={"before": None, "after": "2025-01-20"},
                           topics=["topic_1"])
    assert out["period"].tolist() == ["before", "after"]
    assert out["n_documents"].sum() == len(table)


@pytest.mark.parametrize(("change", "params", "message"), [
    (lambda t: t.drop(columns=["topic_0", "topic_1", "topic_2"]), {}, r"no topic_<k> column"),
    (lambda t: t.assign(topic_1=t["topic_1"].where(t.index != 6)), {},
     r"row 7, field 'topic_1'"),
    (lambda t: t.assign(topic_2=t["topic_2"] + 1.5), {}, r"field 'topic_2': expected a number"),
    (lambda t: t, {"topics": ["topic_7"]}, r"field 'topic_7'"),
    (lambda t: t.drop(columns="n_tokens"), {"method": "composition"}, r"field 'n_tokens'"),
    (lambda t: t.drop(columns="date"), {}, r"field 'date'"),
    (lambda t: t, {"by": ["section"]}, r"field 'section'"),
    (lambda t: t.assign(outlet=t["outlet"].where(t.index != 0)), {}, r"row 1, field 'outlet'"),
    (lambda t: t, {"method": "exact"}, r"'method' parameter"),
    (lambda t: t, {"alpha": [0.1, 0.1], "method": "composition"}, r"'alpha' parameter"),
])
def test_bad_input_raises_input_error(table: pd.DataFrame, change, params: dict,
                                      message: str) -> None:
    with pytest.raises(InputError, match=message):
        topic_prevalence(change(table.copy()), **params)


# -- the bundled sample corpus: topic prevalence by outlet follows the planted topics -----------

K = 13  # planted main topics: 6 Ukraine sub-topics and 7 background topics


@pytest.fixture(scope="module")
def sample_doc_topics(tmp_path_factory: pytest.TempPathFactory,
                      ) -> tuple[pd.DataFrame, dict, pd.Series]:
    if not (SAMPLE / "articles.jsonl").exists():
        pytest.skip(f"sample corpus not available: {SAMPLE}")
    out: Path = tmp_path_factory.mktemp("sample") / "store"
    store = import_corpus(SAMPLE / "articles.jsonl", out, progress=False,
                          outlet_aliases=SAMPLE / "outlet_aliases.csv")
    tokens = tokenize_corpus(store)
    model = TopicModel(n_topics=K, n_iterations=100, burn_in=20, n_infer_iterations=50)
    table = model.fit(tokens).transform(tokens)
    truth = pd.read_csv(SAMPLE / "truth" / "documents.csv", usecols=[
        "doc_id", "main_topic", "minor_topic", "main_weight", "minor_weight"])
    table = table.merge(truth, on="doc_id", how="left", validate="one_to_one")
    # model topic -> planted topic, by Hungarian matching of main topics (as the topics tests)
    main = table[[f"topic_{k}" for k in range(K)]].to_numpy().argmax(axis=1)
    counts = pd.crosstab(pd.Series(main, name="topic"), table["main_topic"].to_numpy())
    rows, cols = linear_sum_assignment(-counts.to_numpy())
    mapping = {counts.columns[c]: f"topic_{counts.index[r]}" for r, c in
               zip(rows, cols, strict=True)}
    # a planted topic is recovered by its match when both ways hold: the share of its articles
    # whose main model topic is the match, and the share of the match's articles that are its
    recovered = pd.Series({topic: min(counts.loc[int(name[6:]), topic] / counts[topic].sum(),
                                       counts.loc[int(name[6:]), topic]
                                       / counts.loc[int(name[6:])].sum())
                           for topic, name in mapping.items()})
    return table, mapping, recovered


def planted_word_shares(table: pd.DataFrame) -> pd.DataFrame:
    """Per outlet, the mean share of the articles' words planted in each topic."""
    shares = pd.crosstab(table.index, table["main_topic"], values=table["main_weight"],
                         aggfunc="sum").fillna(0.0)
    minor = table.dropna(subset=["minor_topic"])
    minor = pd.crosstab(minor.index, minor["minor_topic"], values=minor["minor_weight"],
                        aggfunc="sum")
    shares = shares.add(minor, fill_value=0.0).fillna(0.0)
    return shares.groupby(table["outlet"].to_numpy()).mean()


@pytest.mark.slow
def test_sample_topic_prevalence_differs_by_outlet_as_planted(sample_doc_topics) -> None:
    table, mapping, recovered = sample_doc_topics
    prevalence = topic_prevalence(table, by=["outlet"]).set_index(["outlet", "topic"])
    planted = planted_word_shares(table)
    # topics the model found (>= 90% matched both ways; measured with tomotopy 0.14.0, seed 0:
    # climate, culture, domestic politics, health, technology; the model merges sports into
    # economy and battlefield into ceasefire): across the six outlets, their estimated shares
    # follow the planted shares of words
    found = [topic for topic in recovered.index if recovered[topic] >= 0.9]
    assert len(found) >= 5
    for topic in found:
        estimated = [prevalence.loc[(outlet, mapping[topic]), "estimate"]
                     for outlet in planted.index]
        assert stats.spearmanr(estimated, planted[topic]).statistic >= 0.9, topic
        assert np.abs(np.array(estimated) - planted[topic].to_numpy()).max() < 0.05, topic
    # a random assignment of topics to planted ones would not pass: check the check
    shuffled = [prevalence.loc[(outlet, mapping["culture"]), "estimate"]
                for outlet in planted.index]
    assert stats.spearmanr(shuffled, planted["domestic_politics"]).statistic < 0.9
    # the planted contrast: domestic politics is 21% of Capitol Signal's articles and 2% of
    # the Continental Review's; the intervals must separate them, the right way round
    politics = mapping["domestic_politics"]
    capitol = prevalence.loc[("Capitol Signal", politics)]
    review = prevalence.loc[("The Continental Review", politics)]
    assert capitol["ci_low"] > review["ci_high"]
    # and the regression says the same: the Review's effect (vs Capitol Signal) is negative
    effects = estimate_effects(table, [politics], smooth_df=4, n_bootstrap=100)
    review_effect = effects[effects["term"] == "outlet[The Continental Review]"].iloc[0]
    assert review_effect["ci_high"] < 0
    truth = planted.loc["The Continental Review", "domestic_politics"] - planted.loc[
        "Capitol Signal", "domestic_politics"]
    assert review_effect["estimate"] == pytest.approx(truth, abs=0.03)


def test_labels_travel_from_the_table_attrs(table: pd.DataFrame) -> None:
    labelled = table.copy()
    labelled.attrs["topic_labels"] = ["summits", "aid", "sanctions"]
    out = topic_prevalence(labelled, by=["outlet"], period="month", n_bootstrap=20)
    assert list(out.columns[:3]) == ["outlet", "topic", "label"]
    assert dict(zip(out["topic"], out["label"], strict=True)) == {
        "topic_0": "summits", "topic_1": "aid", "topic_2": "sanctions"}
    # an explicit mapping wins; a topic it leaves out keeps its column name
    out = topic_prevalence(labelled, by=["outlet"], n_bootstrap=20, labels={"topic_1": "money"})
    assert dict(zip(out["topic"], out["label"], strict=True)) == {
        "topic_0": "topic_0", "topic_1": "money", "topic_2": "topic_2"}
    assert "label" not in topic_prevalence(table, by=["outlet"], n_bootstrap=20).columns
    with pytest.raises(InputError, match="labels"):
        topic_prevalence(table, by=["outlet"], n_bootstrap=20, labels="summits")


def test_labels_from_a_fitted_model_reach_the_summary() -> None:
    tokens = pd.DataFrame({"doc_id": [f"d{i}" for i in range(40)], "outlet": ["A", "B"] * 20,
                           "date": "2025-01-01",
                           "tokens": [["peace", "talks", "summit"] if i % 2 else
                                      ["aid", "weapons", "money"] for i in range(40)]})
    model = TopicModel(n_topics=2, n_iterations=20, random_state=0).fit(tokens)
    model.set_labels(["first", "second"])
    out = topic_prevalence(model.transform(tokens), by=["outlet"], n_bootstrap=20)
    assert sorted(out["label"].unique()) == ["first", "second"]
