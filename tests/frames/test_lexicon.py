"""LexiconScorer: matching, negation, normalization, metadata, and the estimator protocol."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.corpus import InputError, NotFittedError
from framing.frames import LexiconScorer, lexicon_scores, load_codebook


def _score(text: str, frame: str, **params) -> tuple[float, str, str]:
    """(score, hits, negated) of one sentence on one frame of the shipped codebook."""
    params.setdefault("normalize", "count")
    row = lexicon_scores(pd.DataFrame({"text": [text]}), **params).iloc[0]
    return row[f"lex_{frame}"], row[f"lex_{frame}_hits"], row[f"lex_{frame}_negated"]


def _clone(estimator: LexiconScorer) -> LexiconScorer:
    """scikit-learn's ``clone``: a new, unfitted estimator built from deep copies of the params."""
    params = estimator.get_params(deep=False)
    new = type(estimator)(**{k: copy.deepcopy(v) for k, v in params.items()})
    new_params = new.get_params(deep=False)
    for name in params:
        assert new_params[name] is not params[name] or isinstance(params[name], str | bool | int)
    return new


@pytest.mark.parametrize(
    ("text", "frame", "score", "hits"),
    [
        ("Trump offered to broker talks between Moscow and Kyiv.", "peacemaker", 2.0, "broker"),
        ("Trump brokered a truce.", "peacemaker", 3.5, "brokered; truce"),
        ("Trump is brokering it.", "peacemaker", 2.0, "brokering"),
        # the longest term wins: "peace deal" once, not also "deal"
        ("Trump wants a peace deal.", "peacemaker", 2.0, "peace deal"),
        ("Trump wants a deal.", "peacemaker", 1.0, "deal"),
        ("Trump pushed for a cease-fire.", "peacemaker", 1.5, "cease-fire"),
        ("Trump wants to end the war.", "peacemaker", 2.0, "end the war"),
        ("Trump said he was ending the war.", "peacemaker", 2.0, "ending the war"),
        ("A pawnbroker dealt with an ideal idealist.", "peacemaker", 0.0, ""),
        ("Trump said AMERICA FIRST.", "isolationist", 2.0, "america first"),
        ("Trump said Ukraine was Europe\u2019s problem.", "isolationist", 1.5,
         "europe's problem"),
        ("Trump threatened to walk away.", "isolationist", 1.5, "walk away"),
        ("Trump walked away from the talks.", "isolationist", 1.5, "walked away"),
        ("Trump said no American troops would go.", "isolationist", 2.0,
         "no american troops"),
        # a term and a pattern on the same words count once
        ("Trump said Europe should pay.", "isolationist", 2.0, "europe should pay"),
        ("Trump said Europeans must shoulder the cost.", "isolationist", 2.0,
         "europeans must shoulder"),
        ("Trump said the plan won\u2019t work.", "skeptic", 1.5, "won't work"),
        ("Trump called Zelensky no angel.", "skeptic", 2.0, "no angel"),
        ("Trump said he doesn't trust Putin.", "skeptic", 2.0, "doesn't trust"),
    ],
)
def test_terms_phrases_prefixes_and_patterns(text: str, frame: str, score: float,
                                             hits: str) -> None:
    assert _score(text, frame)[:2] == (score, hits)


@pytest.mark.parametrize(
    ("text", "frame", "negated"),
    [
        ("Trump said he was not walking away from Ukraine.", "isolationist", "walking away"),
        ("Trump said he had no doubt a deal would come.", "skeptic", "doubt"),
        ("Trump didn't broker anything.", "peacemaker", "broker"),
        ("Trump refused to end the war on those terms.", "peacemaker", "end the war"),
        ("Trump never blamed Kyiv.", "skeptic", "blamed"),
        ("Trump denied any distrust of Zelensky.", "skeptic", "distrust"),
        ("Trump was far from skeptical.", "skeptic", "skeptical"),
    ],
)
def test_negated_cues_do_not_count_and_are_recorded(text: str, frame: str,
                                                    negated: str) -> None:
    assert _score(text, frame) == (0.0, "", negated)
    assert _score(text, frame, negation=False)[1:] == (negated, "")


@pytest.mark.parametrize(
    ("text", "frame", "hits"),
    [
        # the negator is four words back: outside the default window of 3
        ("Trump did not say he would walk away.", "isolationist", "walk away"),
        # negation stops at a clause break
        ("Trump did not hesitate, saying Europe should pay.", "isolationist",
         "europe should pay"),
        ("Trump would not comment but said a truce was near.", "peacemaker", "truce"),
        ("Not now. Trump wants a truce.", "peacemaker", "truce"),
        # "not only" does not negate
        ("Trump not only brokered the talks.", "peacemaker", "brokered"),
        # a negator inside the term itself does not negate it
        ("Trump said it was not our war.", "isolationist", "not our war"),
        # a double negative affirms, the lexicon just sees the cue
        ("Trump would not let America be dragged into it.", "isolationist", "dragged into"),
    ],
)
def test_negation_scope(text: str, frame: str, hits: str) -> None:
    score, found, negated = _score(text, frame)
    assert score > 0 and found == hits and negated == ""


def test_negation_window() -> None:
    text = "Trump did not say he would walk away."
    assert _score(text, "isolationist", negation_window=5) == (0.0, "", "walk away")


def test_the_codebook_finds_its_own_examples() -> None:
    codebook = load_codebook()
    for name in codebook.frame_names:
        frame = codebook.frames[name]
        positive = lexicon_scores(pd.DataFrame({"text": frame.positive_examples}))
        assert (positive[f"lex_{name}"] > 0).mean() >= 0.75, name
    none = lexicon_scores(pd.DataFrame({"text": codebook.frames["none"].positive_examples}))
    assert (none.filter(regex=r"^lex_[a-z]+$") == 0).all().all()


def test_normalize_modes() -> None:
    text = "Trump vowed to broker a peace deal."  # 7 words, broker 2 + peace deal 2
    assert _score(text, "peacemaker", normalize="count")[0] == 4.0
    assert _score(text, "peacemaker", normalize="per_100_words")[0] == pytest.approx(400 / 7)
    assert _score(text, "peacemaker", normalize="binary")[0] == 1.0
    assert _score(text, "skeptic", normalize="binary")[0] == 0.0
    assert _score(text, "skeptic", normalize="per_100_words")[0] == 0.0


def test_keeps_index_metadata_and_order() -> None:
    passages = pd.DataFrame({
        "passage_id": ["b:1", "a:0", "c:2"], "doc_id": ["b", "a", "c"],
        "outlet": pd.Categorical(["Y", "X", "Y"]),
        "date": pd.to_datetime(["2025-03-01", "2025-02-01", "2025-04-01"]),
        "text": ["Trump brokered a truce.", None, "Trump said Europe should pay."],
        "custom": [3, 1, 2],
    }, index=pd.Index([10, 3, 7], name="row"))
    scores = LexiconScorer().fit_transform(passages)
    names = ["peacemaker", "isolationist", "skeptic"]
    assert list(scores.columns) == (
        ["passage_id", "doc_id", "outlet", "date", "custom"] + [f"lex_{n}" for n in names]
        + [f"lex_{n}_hits" for n in names] + [f"lex_{n}_negated" for n in names])
    assert scores.index.equals(passages.index)
    pd.testing.assert_frame_equal(scores[["passage_id", "doc_id", "outlet", "date", "custom"]],
                                  passages.drop(columns="text"))
    assert scores["lex_peacemaker"].tolist() == [pytest.approx(350 / 4), 0.0, 0.0]
    assert scores.loc[3, "lex_peacemaker_hits"] == ""
    assert scores["lex_isolationist"].dtype == np.float64


def test_duplicate_index_and_empty_table() -> None:
    passages = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Trump brokered it.", "No."]},
                            index=[5, 5])
    scores = lexicon_scores(passages, normalize="count")
    assert scores.index.tolist() == [5, 5] and scores["lex_peacemaker"].tolist() == [2.0, 0.0]
    empty = lexicon_scores(passages.iloc[:0])
    assert len(empty) == 0 and "lex_skeptic_hits" in empty.columns


def test_text_column_and_custom_codebook(tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(
        "name: mini\nversion: 1\nframes:\n"
        "  hawk:\n    definition: Hawkish.\n    positive_examples: [Strike now.]\n"
        "    lexicon: [strike*, {term: no mercy, weight: 3}]\n"
        "  dove:\n    definition: Dovish.\n    positive_examples: [Talk now.]\n"
        "    lexicon: [talk*]\n"
        "  none:\n    definition: Neither.\n", encoding="utf-8")
    passages = pd.DataFrame({"doc_id": ["a"], "passage": ["They struck, talked, no mercy."]})
    scores = lexicon_scores(passages, codebook=path, text_column="passage", normalize="count")
    assert scores.filter(like="lex_").columns.tolist()[:2] == ["lex_hawk", "lex_dove"]
    assert scores.loc[0, ["lex_hawk", "lex_dove"]].tolist() == [3.0, 1.0]
    scorer = LexiconScorer(codebook=load_codebook(path)).fit()
    assert scorer.codebook_sha256_ == load_codebook(path).sha256
    assert scorer.get_feature_names_out().tolist() == ["lex_hawk", "lex_dove"]


def test_fitted_state() -> None:
    scorer = LexiconScorer()
    assert scorer.fit(None) is scorer
    assert scorer.frame_names_ == ("peacemaker", "isolationist", "skeptic")
    assert scorer.codebook_sha256_ == load_codebook().sha256 == scorer.codebook_.sha256


def test_not_fitted() -> None:
    with pytest.raises(NotFittedError, match="LexiconScorer instance is not fitted yet"):
        LexiconScorer().transform(pd.DataFrame({"text": ["x"]}))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"normalize": "words"}, "The 'normalize' parameter of LexiconScorer must be one of "
                                 "'binary', 'count', 'per_100_words'. Got 'words' instead."),
        ({"negation_window": 0}, "The 'negation_window' parameter of LexiconScorer must be an "
                                 "int in the range [1, 20]. Got 0 instead."),
        ({"negation_window": 2.5}, "The 'negation_window' parameter of LexiconScorer must be "
                                   "an int in the range [1, 20]. Got 2.5 instead."),
        ({"negation": "yes"}, "The 'negation' parameter of LexiconScorer must be an instance "
                              "of bool. Got 'yes' instead."),
        ({"codebook": 3}, "The 'codebook' parameter of LexiconScorer must be an instance of "
                          "str or PathLike or Codebook. Got 3 instead."),
    ],
)
def test_parameter_validation(params: dict, message: str) -> None:
    scorer = LexiconScorer(**params)  # __init__ validates nothing
    with pytest.raises(InputError) as info:
        scorer.fit()
    assert str(info.value) == message


def test_bad_inputs() -> None:
    scorer = LexiconScorer().fit()
    with pytest.raises(InputError, match="field 'text': the table has no 'text' column"):
        scorer.transform(pd.DataFrame({"passage": ["x"]}))
    with pytest.raises(InputError, match="row 2, field 'text': expected text, got int 5"):
        scorer.transform(pd.DataFrame({"text": ["x", 5]}))
    with pytest.raises(InputError, match="already has a 'lex_skeptic' column"):
        scorer.transform(pd.DataFrame({"text": ["x"], "lex_skeptic": [1]}))
    with pytest.raises(TypeError, match="expected a DataFrame"):
        scorer.transform(["x"])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Invalid parameter 'window' for estimator"):
        LexiconScorer().set_params(window=3)


def test_init_stores_params_only_and_clone_round_trips() -> None:
    scorer = LexiconScorer(normalize="binary", negation_window=4)
    assert vars(scorer) == scorer.get_params() == {
        "codebook": "trump_ukraine_roles", "negation": True, "negation_window": 4,
        "normalize": "binary", "text_column": "text"}
    assert repr(scorer) == "LexiconScorer(negation_window=4, normalize='binary')"
    scorer.fit()
    twin = _clone(scorer)
    assert twin.get_params() == scorer.get_params()
    assert not hasattr(twin, "codebook_")
    assert twin.set_params(negation=False) is twin and twin.negation is False
    with_codebook = LexiconScorer(codebook=load_codebook())
    assert _clone(with_codebook).get_params()["codebook"] == with_codebook.codebook


def test_deterministic_and_idempotent() -> None:
    passages = pd.DataFrame({"text": ["Trump brokered a truce but doubted Kyiv.",
                                      "Trump said Europe should pay, not taxpayers."]})
    scorer = LexiconScorer()
    first = scorer.fit(passages).transform(passages)
    again = scorer.fit(passages).fit(passages).transform(passages)
    other = LexiconScorer().fit_transform(passages)
    pd.testing.assert_frame_equal(first, again)
    pd.testing.assert_frame_equal(first, other)
    pd.testing.assert_frame_equal(first, lexicon_scores(passages))


_PIECES = [*"abc ,.'-", "not ", "broker ", "peace deal ", "Europe should pay ", "doubt "]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join),
                min_size=1, max_size=6))
def test_invariants(texts: list[str]) -> None:
    passages = pd.DataFrame({"passage_id": [f"d:{i}" for i in range(len(texts))],
                             "text": texts})
    counts = lexicon_scores(passages, normalize="count")
    binary = lexicon_scores(passages, normalize="binary")
    rate = lexicon_scores(passages)
    assert counts["passage_id"].tolist() == passages["passage_id"].tolist()
    for frame in ("peacemaker", "isolationist", "skeptic"):
        column = f"lex_{frame}"
        assert (counts[column] >= 0).all() and binary[column].isin([0.0, 1.0]).all()
        assert ((counts[column] > 0) == (binary[column] == 1)).all()
        assert ((rate[column] > 0) == (counts[column] > 0)).all()
        assert ((counts[f"{column}_hits"] != "") == (counts[column] > 0)).all()


# -- the fast path: an ASCII text is cut into words without the WORD regex, and a pattern that
# starts with \b and literal text runs only from the words that can start it -------------------

_ASCII_PIECES = [
    *"ab9 _,.;'-\n", "''", " '", "' ", "'s", "'s ", "it's ", "rock'n'roll ", "\u2014", "\u201c",
    "\u201d", "\u2013", "\u2026", "\u00a0", "Trump's ", "DON'T ", "x_y ", "U.S. ", "u.s.'s "]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_ASCII_PIECES), max_size=30).map("".join))
def test_the_fast_tokenizer_cuts_words_where_word_does(text: str) -> None:
    from framing.frames._codebook import WORD
    from framing.frames._lexicon import _flatten

    flat = _flatten(text)
    assert flat is not None and len(flat) == len(text)
    words = list(WORD.finditer(text))
    assert flat.split() == [m.group().lower() for m in words]
    assert all(flat[m.start():m.end()] == m.group().lower() for m in words)
    assert _flatten(text + "caf\u00e9") is None  # another non-ASCII character: the regex


@pytest.mark.parametrize(("pattern", "prefixes"), [
    (r"\bpull(?:s|ed)?\s+out", (("pull", False),)),
    (r"\b(?:no|not)\s+troops", (("no", True), ("not", True))),
    (r"\b(?:can't|cannot)\b", (("can", True), ("cannot", True))),
    (r"\bt\s+trust", (("t", True),)),
    (r"\bna\u00efve", (("na", False),)),  # a non-ASCII letter ends the prefix
    (r"pull\s+out", None),                # no \b: a match may start inside a word
    (r"\b\w+ing\s+now\b", None),          # no literal start
    (r"\b(?:s|x)\s+y", None),             # the s a possessive drops is never looked up
    (r"(?-i:\bTrump)\s+won", None),       # not a plain \b first
    (r"x(", None),                        # not a regex
])
def test_gate_prefixes(pattern: str, prefixes: tuple | None) -> None:
    import re

    from framing.frames._lexicon import _gate_prefixes

    assert _gate_prefixes(pattern, re.IGNORECASE) == prefixes


_FAST_PIECES = [
    *_ASCII_PIECES, "not ", "no ", "never ", "without ", "ruled out ", "American ", "US ",
    "troops ", "Europe ", "Europeans ", "must ", "needs to ", "pay ", "pulls ", "the ", "out ",
    "United States ", "cut ", "halted ", "pausing ", "froze ", "off ", "aid ", "weapons ",
    "stopped ", "sending ", "doesn't ", "did not ", "trust ", "can't ", "cannot ", "could not ",
    "be ", "trusted ", "peace deal ", "peace ", "deals ", "broker ", "walked away ", "end the war ",
    "to the table ", "no angel ", "but ", "far from ", "not only ", "refused to ", "doubt "]


def _fast_and_regex(texts: list[str], **params) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The scores of the matcher as it is and with every text cut by the WORD regex."""
    from framing.frames import _lexicon

    passages = pd.DataFrame({"text": texts})
    fast = LexiconScorer(**params).fit().transform(passages)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_lexicon, "_flatten", lambda text: None)
        regex = LexiconScorer(**params).fit().transform(passages)
    return fast, regex


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_FAST_PIECES), max_size=40).map("".join),
                min_size=1, max_size=5),
       st.sampled_from(["count", "per_100_words", "binary"]),
       st.integers(1, 6))
def test_the_fast_path_gives_what_the_word_regex_gives(texts: list[str], normalize: str,
                                                       window: int) -> None:
    fast, regex = _fast_and_regex(texts, normalize=normalize, negation_window=window)
    pd.testing.assert_frame_equal(fast, regex)


def test_a_gated_pattern_can_start_after_an_apostrophe(tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(
        "name: mini\nversion: 1\nframes:\n"
        "  hawk:\n    definition: Hawkish.\n    positive_examples: [Strike now.]\n"
        "    lexicon: [{pattern: '\\bt\\s+trust\\b', weight: 2}, {pattern: '\\bn\\b', weight: 1}]\n"
        "  dove:\n    definition: Dovish.\n    positive_examples: [Talk now.]\n"
        "    lexicon: [talk*]\n"
        "  none:\n    definition: Neither.\n", encoding="utf-8")
    texts = ["They don't trust Kyiv.", "Rock'n'roll, don't trust it; t trust."]
    fast, regex = _fast_and_regex(texts, codebook=load_codebook(path), normalize="count")
    pd.testing.assert_frame_equal(fast, regex)
    # "don't" negates the match that starts inside it; "t trust" after "it;" stands
    assert fast["lex_hawk"].tolist() == [0.0, 3.0]
    assert fast["lex_hawk_hits"].tolist() == ["", "n; t trust"]
    assert fast["lex_hawk_negated"].tolist() == ["t trust", "t trust"]


def test_a_full_word_memo_gives_the_same_scores() -> None:
    from framing.frames import _lexicon

    texts = ["Trump said Europe should pay, and no U.S. troops; he doesn't trust Kyiv.",
             "They halted aid and could not be trusted to end the war."] * 3
    passages = pd.DataFrame({"text": texts})
    expected = LexiconScorer().fit().transform(passages)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_lexicon, "_MEMO_SIZE", 0)  # every word looked up afresh
        scorer = LexiconScorer().fit()
        pd.testing.assert_frame_equal(scorer.transform(passages), expected)
        assert scorer._matcher.memo == {}
