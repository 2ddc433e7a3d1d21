"""Tests of the seeded sample-corpus generator and of the committed sample corpus."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from pathlib import Path

import ftfy
import pandas as pd
import pytest

import framing.synthetic
from framing.corpus._errors import InputError, StoreExistsError
from framing.synthetic import _compose as compose
from framing.synthetic import _lexicon_background as bg
from framing.synthetic import _lexicon_roles as lr
from framing.synthetic import _lexicon_ukraine as uk
from framing.synthetic import generate_sample_corpus
from framing.synthetic.__main__ import main
from framing.synthetic._actors import ACTORS, GROUPS
from framing.synthetic._generate import FILES
from framing.synthetic._outlets import OUTLETS, ROLES
from framing.synthetic._render import _STYLE_SLOTS, compile_template, slot_names

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample"
SMALL = 150


def _read(folder: Path) -> dict[str, pd.DataFrame | dict[str, dict]]:
    articles = {}
    with open(folder / "articles.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            articles[row["doc_id"]] = row
    tables: dict[str, pd.DataFrame | dict[str, dict]] = {"articles": articles}
    for name in ("documents", "sentences", "mentions", "passages", "prevalence"):
        tables[name] = pd.read_csv(folder / "truth" / f"{name}.csv", keep_default_na=False)
    tables["aliases"] = pd.read_csv(folder / "outlet_aliases.csv", keep_default_na=False)
    return tables


@pytest.fixture(scope="module")
def small_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small")
    generate_sample_corpus(out, n_articles=SMALL, random_state=7)
    return out


@pytest.fixture(scope="module")
def small(small_dir: Path) -> dict:
    return _read(small_dir)


@pytest.fixture(scope="module")
def sample() -> dict:
    assert (SAMPLE / "articles.jsonl").exists(), "corpora/sample is missing; regenerate it"
    return _read(SAMPLE)


@pytest.fixture(params=["small", "sample"])
def corpus(request: pytest.FixtureRequest) -> dict:
    return request.getfixturevalue(request.param)


def test_public_api() -> None:
    assert framing.synthetic.__all__ == ["generate_sample_corpus"]


# -- reproducibility ----------------------------------------------------------------------------
@pytest.mark.parametrize("name", FILES)
def test_same_seed_gives_identical_files(small_dir: Path, tmp_path: Path, name: str) -> None:
    generate_sample_corpus(tmp_path, n_articles=SMALL, random_state=7)
    assert (tmp_path / name).read_bytes() == (small_dir / name).read_bytes()


@pytest.mark.parametrize(
    "name", [n for n in FILES if n != "outlet_aliases.csv"]
)
def test_different_seed_gives_different_files(small_dir: Path, tmp_path: Path, name: str) -> None:
    generate_sample_corpus(tmp_path, n_articles=SMALL, random_state=8)
    assert (tmp_path / name).read_bytes() != (small_dir / name).read_bytes()


@pytest.mark.slow
def test_committed_sample_equals_fresh_regeneration(tmp_path: Path) -> None:
    counts = generate_sample_corpus(tmp_path)
    assert counts["n_articles"] == 2000
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name


def test_returned_counts_match_files(small_dir: Path, tmp_path: Path, small: dict) -> None:
    counts = generate_sample_corpus(tmp_path, n_articles=SMALL, random_state=7)
    assert counts["n_articles"] == len(small["articles"]) == SMALL
    assert counts["n_sentences"] == len(small["sentences"])
    assert counts["n_mentions"] == len(small["mentions"])
    assert counts["n_passages"] == len(small["passages"])
    assert counts["n_ukraine"] == small["documents"].is_ukraine.sum()


# -- offsets --------------------------------------------------------------------------------------
def test_sentence_offsets_are_exact(corpus: dict) -> None:
    articles = corpus["articles"]
    bad = []
    for row in corpus["sentences"].itertuples():
        piece = articles[row.doc_id]["text"][row.start : row.end]
        if not piece or piece != piece.strip() or "\n\n" in piece:
            bad.append(row.Index)
    assert bad == []


def test_sentences_cover_the_text_in_order(corpus: dict) -> None:
    articles = corpus["articles"]
    for doc_id, group in corpus["sentences"].groupby("doc_id", sort=False):
        text = articles[doc_id]["text"]
        assert group.sentence_id.tolist() == list(range(len(group)))
        assert (group.start.to_numpy()[1:] >= group.end.to_numpy()[:-1]).all()
        assert text[: group.start.iloc[0]].strip() == ""
        assert text[group.end.iloc[-1] :].strip() == ""
        gaps = [text[e:s] for e, s in zip(group.end.iloc[:-1], group.start.iloc[1:], strict=True)]
        assert all(gap.strip() == "" and gap for gap in gaps)


def test_mention_offsets_are_exact_and_inside_their_sentence(corpus: dict) -> None:
    articles = corpus["articles"]
    sentences = corpus["sentences"].set_index(["doc_id", "sentence_id"])
    bad = []
    for row in corpus["mentions"].itertuples():
        sentence = sentences.loc[(row.doc_id, row.sentence_id)]
        ok = articles[row.doc_id]["text"][row.start : row.end] == row.surface
        if not ok or not sentence.start <= row.start < row.end <= sentence.end:
            bad.append(row.Index)
    assert bad == []


def test_passage_offsets_span_their_paragraph(corpus: dict) -> None:
    articles = corpus["articles"]
    sentences = corpus["sentences"]
    spans = sentences.groupby(["doc_id", "paragraph_id"]).agg(start=("start", "min"),
                                                              end=("end", "max"))
    for row in corpus["passages"].itertuples():
        text = articles[row.doc_id]["text"]
        assert (row.start, row.end) == tuple(spans.loc[(row.doc_id, row.paragraph_id)])
        assert "\n" not in text[row.start : row.end]
        assert re.search(r"\bTrump\b|\b[Hh]e\b|president|leader", text[row.start : row.end])


def test_sentence_flags_agree_with_mentions(corpus: dict) -> None:
    mentions = corpus["mentions"]
    trump = mentions[mentions.actor == "trump"]
    rank = {"pronoun": 1, "title": 2, "explicit": 3}
    best = trump.assign(r=trump.resolved_by.map(rank)).groupby(["doc_id", "sentence_id"]).r.max()
    sentences = corpus["sentences"].set_index(["doc_id", "sentence_id"])
    expected = best.reindex(sentences.index).fillna(0).astype(int)
    kinds = expected.map({0: "none", 1: "pronoun", 2: "title", 3: "explicit"})
    assert (sentences.is_about_trump == (expected > 0).astype(int)).all()
    assert (sentences.trump_ref == kinds).all()


def test_every_in_issue_trump_paragraph_is_a_passage(corpus: dict) -> None:
    sentences = corpus["sentences"]
    flagged = sentences[(sentences.in_issue == 1) & (sentences.is_about_trump == 1)]
    expected = set(zip(flagged.doc_id, flagged.paragraph_id, strict=True))
    passages = corpus["passages"]
    assert set(zip(passages.doc_id, passages.paragraph_id, strict=True)) == expected


@pytest.mark.parametrize(
    "surface", ["Trump Tower", "Melania Trump", "Donald Trump Jr.", "Trump administration",
                "Trump-era"]
)
def test_decoys_are_marked_not_actor(sample: dict, surface: str) -> None:
    mentions = sample["mentions"]
    rows = mentions[mentions.surface == surface]
    assert len(rows) > 20
    assert set(rows.actor) == {"none"} and set(rows.resolved_by) == {"not_actor"}


def test_the_president_sometimes_means_zelensky(sample: dict) -> None:
    mentions = sample["mentions"]
    bare = mentions[mentions.surface.str.lower() == "the president"]
    assert set(bare.actor) == {"trump", "zelensky"}
    assert (bare.actor == "zelensky").sum() > 50


# -- roles and prevalence ------------------------------------------------------------------------
def test_prevalence_agrees_with_passages(corpus: dict) -> None:
    passages = corpus["passages"]
    originals = passages[passages.is_duplicate == 0]
    prevalence = corpus["prevalence"]
    assert len(prevalence) == len(OUTLETS) * 12 * len(ROLES)
    for row in prevalence.itertuples():
        cell = originals[(originals.outlet == row.outlet) & (originals.month == row.month)]
        assert row.n_passages == len(cell)
        if len(cell):
            assert float(row.share) == pytest.approx(cell[row.frame].mean(), abs=5e-5)
        else:
            assert row.share == ""
        assert 0 < row.p_generating < 1


@pytest.mark.parametrize("by", ["outlet", "month"])
def test_role_prevalence_differs(sample: dict, by: str) -> None:
    passages = sample["passages"]
    shares = passages[passages.is_duplicate == 0].groupby(by)[list(ROLES)].mean()
    spread = shares.max() - shares.min()
    assert spread.max() > 0.15
    assert (spread > 0.1).all()


def test_shares_track_generating_probabilities(sample: dict) -> None:
    cells = sample["prevalence"]
    cells = cells[cells.n_passages > 0]
    share, p, n = cells.share.astype(float), cells.p_generating, cells.n_passages
    z = (share - p).abs() / (p * (1 - p) / n) ** 0.5
    assert z.mean() < 1.0  # |N(0, 1)| averages 0.8
    assert (z > 3.5).sum() <= 2
    for frame, group in cells.groupby("frame"):
        expected = (group.p_generating * group.n_passages).sum()
        observed = (group.share.astype(float) * group.n_passages).sum()
        assert observed == pytest.approx(expected, rel=0.06), frame


def test_roles_are_expressed_many_ways(sample: dict) -> None:
    modes = sample["passages"].expression.str.split(";").explode().str.split(":").str[1]
    modes = set(modes.dropna().str.split("+").explode())
    assert {"cue", "paraphrase", "quote", "outlet", "weak", "weak_absent", "negated"} <= modes


def test_ambiguous_share_is_about_one_in_eight(sample: dict) -> None:
    share = sample["passages"].is_ambiguous.mean()
    assert 0.08 <= share <= 0.17


def test_outlet_wording_stays_with_its_outlet(sample: dict) -> None:
    articles = sample["articles"]
    docs = sample["documents"].set_index("doc_id")
    phrase = "dealmaker-in-chief"  # Harbor Daily only
    users = {docs.loc[d, "outlet"] for d, row in articles.items() if phrase in row["text"]}
    originals = {
        docs.loc[d, "outlet"]
        for d, row in articles.items()
        if phrase in row["text"] and not docs.loc[d, "is_wire_copy"]
    }
    assert originals == {"Harbor Daily"}
    assert "Harbor Daily" in users


# -- documents ------------------------------------------------------------------------------------
def test_corpus_shape(sample: dict) -> None:
    docs = sample["documents"]
    assert len(docs) == 2000
    assert docs.doc_id.is_unique
    assert docs.outlet.nunique() == 6
    assert 0.5 <= docs.is_ukraine.mean() <= 0.7
    assert (SAMPLE / "articles.jsonl").stat().st_size < 5_000_000
    words = docs[docs.quirk == ""].n_words
    assert 250 <= words.mean() <= 450


def test_wire_and_exact_copies_point_to_earlier_documents(sample: dict) -> None:
    docs = sample["documents"].set_index("doc_id")
    articles = sample["articles"]
    wire = docs[docs.is_wire_copy == 1]
    exact = docs[docs.is_exact_copy == 1]
    assert 30 <= len(wire) <= 50 and 3 <= len(exact) <= 8
    for doc_id, row in pd.concat([wire, exact]).iterrows():
        source = docs.loc[row.duplicate_of]
        assert row.duplicate_of < doc_id
        assert source.duplicate_of == ""
        days = (dt.date.fromisoformat(row.date) - dt.date.fromisoformat(source.date)).days
        assert 0 <= days <= 2
    for doc_id, row in wire.iterrows():
        text, original = articles[doc_id]["text"], articles[row.duplicate_of]["text"]
        assert row.outlet != docs.loc[row.duplicate_of, "outlet"]
        assert "(Wire) —" in text and text != original
        assert difflib.SequenceMatcher(None, text, original, autojunk=False).ratio() > 0.85
    for doc_id, row in exact.iterrows():
        copy, original = dict(articles[doc_id]), dict(articles[row.duplicate_of])
        assert copy.pop("doc_id") != original.pop("doc_id")
        assert copy == original


def test_only_marked_copies_repeat_a_text(corpus: dict) -> None:
    docs = corpus["documents"].set_index("doc_id")
    texts = pd.Series({d: row["text"] for d, row in corpus["articles"].items()})
    repeated = texts[texts.duplicated(keep="first")]
    assert set(repeated.index) == set(docs.index[docs.is_exact_copy == 1])


def test_dates_are_iso_and_truth_is_the_utc_day(corpus: dict) -> None:
    docs = corpus["documents"].set_index("doc_id")
    kinds = set()
    for doc_id, row in corpus["articles"].items():
        stamp = dt.datetime.fromisoformat(row["date"])
        if stamp.tzinfo is None:
            kinds.add("day")
            day = stamp.date()
        else:
            kinds.add(row["date"][19:])
            day = stamp.astimezone(dt.UTC).date()
        assert day.isoformat() == docs.loc[doc_id, "date"]
        assert day.year == 2025
    if len(docs) >= 2000:
        assert {"day", "Z", "+01:00", "+02:00", "-04:00", "-05:00"} <= kinds


def test_aliases_resolve_every_outlet(corpus: dict) -> None:
    aliases = dict(zip(corpus["aliases"].alias, corpus["aliases"].outlet, strict=True))
    docs = corpus["documents"].set_index("doc_id")
    for doc_id, row in corpus["articles"].items():
        assert aliases[row["outlet"]] == docs.loc[doc_id, "outlet"]
        assert row["outlet"] == docs.loc[doc_id, "outlet_as_written"]


def test_some_rows_use_aliases(sample: dict) -> None:
    docs = sample["documents"]
    aliased = docs[docs.outlet != docs.outlet_as_written]
    assert aliased.outlet.nunique() == 3
    assert 50 <= len(aliased) <= 300


@pytest.mark.parametrize(
    ("quirk", "count"),
    [("short_text", 3), ("mojibake_text", 2), ("mojibake_title", 1), ("extra_whitespace", 4)],
)
def test_quirks(sample: dict, quirk: str, count: int) -> None:
    docs = sample["documents"]
    rows = docs[docs.quirk == quirk]
    assert len(rows) == count
    for doc_id in rows.doc_id:
        article = sample["articles"][doc_id]
        text, title = article["text"], article["title"]
        if quirk == "short_text":
            assert len(text.split()) < 20
        elif quirk == "mojibake_text":
            assert "Ã" in text and "Ã" not in ftfy.fix_text(text) and "é" in ftfy.fix_text(text)
        elif quirk == "mojibake_title":
            assert "Ã" in title and "Élysée" in ftfy.fix_text(title)
        else:
            assert text != text.strip() and title != title.strip()
            assert "\n\n\n" in text or "  " in text


def test_clean_rows_have_no_quirks(sample: dict) -> None:
    docs = sample["documents"].set_index("doc_id")
    for doc_id, row in sample["articles"].items():
        if docs.loc[doc_id, "quirk"]:
            continue
        assert "Ã" not in row["text"] and row["text"] == row["text"].strip()
        assert "\n\n\n" not in row["text"] and len(row["text"].split()) >= 20


@pytest.mark.parametrize("abbreviation", ["U.S.", "Mr.", "Sen.", "Gen.", "D.C.", "a.m.", "Jr."])
def test_abbreviations_occur_inside_sentences(sample: dict, abbreviation: str) -> None:
    articles = sample["articles"]
    found = 0
    for row in sample["sentences"].itertuples():
        sentence = articles[row.doc_id]["text"][row.start : row.end]
        if abbreviation in sentence:
            found += 1
            assert not sentence.endswith(abbreviation)
    assert found > 10


# -- templates --------------------------------------------------------------------------------
def _all_templates() -> list[tuple]:
    found = []
    for pools in lr.ROLE_TEMPLATES.values():
        for pool in pools.values():
            found.extend(pool)
    for pools in lr.OUTLET_WORDING.values():
        for pool in pools.values():
            found.extend(pool)
    found.extend(lr.NEUTRAL)
    found.extend(t for _, t in lr.DISTRACTORS)
    for _, pool in uk.ACTOR_PARAGRAPHS.values():
        found.extend(pool)
    for pool in (*uk.CONTEXT.values(), *bg.SENTENCES.values(), *bg.TRUMP_SENTENCES.values()):
        found.extend(pool)
    found.extend(uk.ANALYSIS)
    found.extend(uk.CLOSINGS)
    for pools in compose._EVENT_TEMPLATES.values():
        for pool in pools:
            found.extend(pool)
    for filler in compose.FILLERS.values():
        if isinstance(filler, tuple):
            found.extend(filler)
    for titles in (*uk.TITLES.values(), *bg.TITLES.values()):
        found.extend(compile_template(t) for t in titles)
    return found


def test_every_template_slot_is_known() -> None:
    known = {"S", "O", *ACTORS, *GROUPS, *_STYLE_SLOTS, *compose.FILLERS}
    known |= {"event", "meeting", "venue", "eday"}
    unknown = set()
    for template in _all_templates():
        unknown |= {s for s in slot_names(template) if s.rstrip("0123456789") not in known}
    assert unknown == set()


def test_outlets_have_distinct_wording_for_every_role() -> None:
    for outlet in OUTLETS:
        assert set(lr.OUTLET_WORDING[outlet.key]) == set(ROLES)


# -- arguments, overwriting, CLI -----------------------------------------------------------------
def test_refuses_to_overwrite_without_force(small_dir: Path, tmp_path: Path) -> None:
    generate_sample_corpus(tmp_path, n_articles=10, random_state=3)
    before = (tmp_path / "articles.jsonl").read_bytes()
    with pytest.raises(StoreExistsError, match=r"articles\.jsonl.*force=True"):
        generate_sample_corpus(tmp_path, n_articles=12, random_state=4)
    assert (tmp_path / "articles.jsonl").read_bytes() == before
    counts = generate_sample_corpus(tmp_path, n_articles=12, random_state=4, force=True)
    assert counts["n_articles"] == 12
    assert (tmp_path / "articles.jsonl").read_bytes() != before


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_articles": 0}, r"'n_articles' parameter of generate_sample_corpus must be an int"),
        ({"n_articles": -5}, r"'n_articles' parameter .* Got -5 instead"),
        ({"n_articles": 2.5}, r"'n_articles' parameter"),
        ({"n_articles": True}, r"'n_articles' parameter"),
        ({"random_state": -1}, r"'random_state' parameter"),
        ({"random_state": "7"}, r"'random_state' parameter"),
        ({"force": "yes"}, r"'force' parameter"),
    ],
)
def test_bad_arguments_raise_input_error(tmp_path: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        generate_sample_corpus(tmp_path, **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_one_article_is_enough(tmp_path: Path) -> None:
    counts = generate_sample_corpus(tmp_path, n_articles=1, random_state=0)
    assert counts["n_articles"] == 1 and counts["n_wire_copies"] == 0
    assert len((tmp_path / "articles.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def test_cli_writes_and_reports_counts(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main([str(tmp_path), "--n-articles", "20", "--seed", "5"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["n_articles"] == 20
    assert (tmp_path / "truth" / "passages.csv").exists()
    with pytest.raises(SystemExit) as exit_info:
        main([str(tmp_path), "--n-articles", "20"])
    assert exit_info.value.code == 2
    assert "force" in capsys.readouterr().err
    assert main([str(tmp_path), "--n-articles", "20", "--seed", "5", "--force"]) == 0
