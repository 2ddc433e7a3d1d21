"""Pronoun resolution by salience: speakers, quotations, undeclared people and their gender,
subjects, and the all-caps headline and actor-matcher details that go with them."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from framing.text import find_mentions, load_actors, split_sentences
from framing.text._patterns import trie_pattern

ACTORS = load_actors()
DAY = dt.date(2019, 10, 1)


def _pronouns(text: str, day: dt.date = DAY) -> list[tuple[str, str | None]]:
    """(surface, actor) of every he / him / his, in order."""
    return [(m.surface, m.actor)
            for m in find_mentions(text, split_sentences(text), ACTORS, day=day)
            if m.surface.lower() in ("he", "him", "his", "himself")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # '"...," he said' goes on with the last speaker, not with a man named in between.
        ("But Sen. Ben Cardin, D-Md., said he feared Trump was stocking the Cabinet. "
         '"It is disturbing," he said.', [("he", None), ("he", None)]),
        # Inside a quotation the speaker is not "he": '"I will tell him," Paul said'.
        ("Senator Rand Paul said he would urge Trump to stay. "
         '"I will tell him to stay the course," Paul said.', [("he", None), ("him", "trump")]),
        # A quotation that follows one with its own speaker keeps that speaker.
        ('"Somewhere along the line the president recognized it," said Sam Fulwood. '
         '"He is thin-skinned."', [("He", "trump")]),
        # A female given name is not "he"; the man asked is.
        ("Lesley Stahl asked Trump why he attacks the press. He said it was on purpose.",
         [("he", "trump"), ("He", "trump")]),
        # "She" teaches that an undeclared person is a woman.
        ("Senator Collins met Trump. She said she was undecided. He said he was not worried.",
         [("He", "trump"), ("he", "trump")]),
        # The subject of a main clause beats a possessive opening the sentence.
        ("Mr. Brunson's case had become a cause, and Mr. Trump eagerly embraced it. "
         "He credited the pressure.", [("He", "trump")]),
        # "Trump's veterans secretary" is a person of his own, and the subject.
        ("Meanwhile, Trump's veterans affairs secretary went even farther. "
         "His own agency disagrees.", [("His", None)]),
        # "he or she" and an indefinite "a president" are nobody in particular.
        ("Trump spoke. A feature of the cult leader: he or she creates a crisis.", []),
        ("Trump spoke. Congress may conclude that a president who uses his powers is unfit.",
         [("his", None)]),
        # A sentence-opening name seen mid-sentence elsewhere is a person ("Kim had").
        ("Trump will meet with Kim in June. Kim had revealed plans during his summit.",
         [("his", None)]),
        # A party label before a name is not part of it: Warner is the subject and speaker.
        ("Virginia Democrat Mark Warner, the ranking member on the Senate Intelligence "
         "Committee, said the reports underscore the urgency of his committee's investigation "
         "into ties between Trump and Russia. And his colleague agreed.",
         [("his", None), ("his", None)]),
        # "the things President Trump said" is a relative clause: Bolton is the subject.
        ("The book recounts things President Trump said to leaders, which Bolton declined to "
         "discuss until he left. Now he has a book to sell.", [("he", "bolton"), ("he", "bolton")]),
        # An unattributed quotation opening a sentence is the previous subject's speech.
        ("Mr. Cohen will cooperate. Trump tried to minimize the admission. "
         '"What he is trying to do is get a reduced sentence."', [("he", None)]),
        # ... but a quotation that opened in an earlier sentence does not open this one.
        ('Trump also "knew his audience hated the press. His criticisms endeared him."',
         [("his", "trump"), ("His", "trump"), ("him", "trump")]),
    ],
)
def test_salience(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert _pronouns(text) == expected


def test_vice_president_and_former_president_are_not_the_president() -> None:
    text = ("Former Vice President Joe Biden campaigned in Iowa. "
            "The president said the economy was strong.")
    found = find_mentions(text, split_sentences(text), ACTORS, day=DAY)
    assert [m.actor for m in found if m.surface == "The president"] == ["trump"]


def test_a_titled_former_president_is_the_president_only_in_his_paragraph() -> None:
    text = ("The rules were those of President Bill Clinton's trial. The president's team "
            "responded.\n\nAn official said Pat Cipollone will lead the president's defense.")
    found = [m.actor for m in find_mentions(text, split_sentences(text), ACTORS, day=DAY)
             if m.surface.lower() == "the president"]
    assert found == ["bill_clinton", "trump"]


def test_all_caps_headline_is_matched_with_its_surface_kept() -> None:
    text = "Trump spoke on Friday.\n\nNO TAPES: TRUMP SAID HE DIDN'T RECORD COMEY"
    found = find_mentions(text, split_sentences(text), ACTORS, day=DAY)
    trump = [m for m in found if m.actor == "trump" and m.resolved_by == "explicit"]
    assert [m.surface for m in trump] == ["Trump", "TRUMP"]
    assert all(text[m.start:m.end] == m.surface for m in found)


def test_trie_matcher_finds_what_a_longest_first_alternation_finds() -> None:
    ordered = sorted(ACTORS.by_surface, key=len, reverse=True)
    plain = re.compile(r"(?<![\w.])(?:" + "|".join(map(re.escape, ordered)) + r")(?![\w])")
    text = ("Donald Trump Jr. met Trump at Trump Tower; the US president and the Trump "
            "administration, Trump's team, President Trump-Zelensky talks, Putin, Putinism, "
            "the president-elect, The President, Melania Trump and Don Jr. were there.")
    assert ([m.span() for m in ACTORS.matcher.finditer(text)]
            == [m.span() for m in plain.finditer(text)])
    assert re.fullmatch(trie_pattern(["ab", "abc", "b"]), "abc")
    assert [m.group() for m in re.finditer(trie_pattern(["ab", "abc", "b"]), "ab abc b")] \
        == ["ab", "abc", "b"]
