"""Mention finding: names, titles by office and date, "the president", pronouns, decoys."""

from __future__ import annotations

import datetime as dt
from importlib import resources

import pytest

from framing.text import find_mentions, load_actors, split_sentences

ACTORS = load_actors()
AUG_2025 = dt.date(2025, 8, 18)


def _resolve(text: str, day: dt.date = AUG_2025, actors=ACTORS) -> list[tuple[str, str, str]]:
    return [(m.surface, m.actor, m.resolved_by)
            for m in find_mentions(text, split_sentences(text), actors, day=day)]


def test_the_russian_president_is_putin() -> None:
    assert _resolve("The Russian president said little.") == [
        ("The Russian president", "putin", "title")]


def test_the_president_after_a_zelensky_sentence_is_zelensky() -> None:
    found = _resolve("Trump spoke on Monday. Zelensky flew to Berlin. The president said no.")
    assert found[-1] == ("The president", "zelensky", "title")


def test_the_president_prefers_the_subject_of_the_nearest_sentence() -> None:
    text = ("Donald Trump welcomed Volodymyr Zelensky, Emmanuel Macron and Alexander Stubb. "
            "The president said the Europeans talked a great deal.")
    assert _resolve(text)[-1] == ("The president", "trump", "title")


def test_the_president_with_nobody_named_is_the_office_holder_on_that_date() -> None:
    assert _resolve("The president spoke.", day=dt.date(2015, 3, 1))[0][1] == "obama"
    assert _resolve("The president spoke.", day=dt.date(2019, 3, 1))[0][1] == "trump"
    assert _resolve("The US president spoke.", day=dt.date(2022, 3, 1))[0][1] == "biden"
    assert _resolve("The president-elect spoke.", day=dt.date(2016, 12, 1))[0][1] == "trump"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Trump said he would meet Putin.", ("he", "trump")),
        ("Putin called Trump. He said the talks went well.", ("He", "putin")),
        ("Mr. Trump told reporters Putin had assured him of a ceasefire.", ("him", "trump")),
        ("In his nightly address, Zelensky said Russia was stalling.", ("his", "zelensky")),
        ("Sen. John Smith spoke after Trump left. He doubted the plan.", ("He", None)),
        ("Trump met Dmitry Peskov. Dmitry Peskov accused Europe. He said it lied.",
         ("He", None)),
    ],
)
def test_pronouns(text: str, expected: tuple[str, str | None]) -> None:
    pronoun = [(s, a) for s, a, how in _resolve(text) if s == expected[0]]
    assert pronoun[-1] == expected


def test_she_is_never_trump_and_he_skips_women() -> None:
    found = _resolve("Trump met Giorgia Meloni. She praised him. Meloni said he was right.")
    assert ("She", "trump") not in [(s, a) for s, a, _ in found]
    assert [(s, a) for s, a, _ in found if s in ("him", "he")] == [("him", "trump"),
                                                                    ("he", "trump")]


@pytest.mark.parametrize(
    "decoy",
    ["Trump Tower", "Melania Trump", "Donald Trump Jr.", "Ivanka Trump", "Trump Organization"],
)
def test_decoys_are_not_trump(decoy: str) -> None:
    found = _resolve(f"Reporters gathered outside {decoy} on Friday.")
    assert found == [(decoy, None, "not_actor")]


def test_namesakes_take_pronouns() -> None:
    found = _resolve("Trump spoke. Donald Trump Jr. said on his podcast that he was tired.")
    assert [(s, a) for s, a, _ in found if s in ("his", "he")] == [("his", None), ("he", None)]


def test_institution_is_counted_only_when_asked(tmp_path) -> None:
    text = "The Trump administration announced sanctions."
    assert _resolve(text) == [("Trump administration", None, "institution")]
    raw = (resources.files("framing") / "data" / "actors" / "ukraine_peace.yaml").read_text(
        encoding="utf-8")
    path = tmp_path / "counting.yaml"
    path.write_text(raw.replace("count_institution: false", "count_institution: true"),
                    encoding="utf-8")
    counting = load_actors(path)
    assert _resolve(text, actors=counting) == [("Trump administration", "trump", "institution")]


def test_every_mention_has_a_reason_and_confidence() -> None:
    text = "Trump met Putin. The president said he wanted peace. His aides agreed."
    for mention in find_mentions(text, split_sentences(text), ACTORS, day=AUG_2025):
        assert mention.reason
        assert 0.0 < mention.confidence <= 1.0
        assert text[mention.start:mention.end] == mention.surface
