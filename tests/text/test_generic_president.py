"""Rules that keep a mention of Trump from being found where the text means someone else:
"the president" as the office in general or as another (past, undeclared) president, Trump's
namesakes, and pronouns that mean another man (brackets, pronoun chains, quotations
attributed by a pronoun, surnames such as McConnell). Each rule has a case it must catch and,
where a rule could over-reach, a case it must leave alone."""

from __future__ import annotations

import datetime as dt

import pytest

from framing.text import find_mentions, load_actors, split_sentences

ACTORS = load_actors()
DAY = dt.date(2019, 10, 1)


def _mentions(text: str, day: dt.date | None = DAY) -> list[tuple[str, str | None, str]]:
    """(surface, actor, resolved_by) of every mention, in order."""
    return [(m.surface, m.actor, m.resolved_by)
            for m in find_mentions(text, split_sentences(text), ACTORS, day=day)]


def _trump(text: str, day: dt.date | None = DAY) -> list[str]:
    """The surfaces counted as Trump (explicit, title or pronoun)."""
    return [s for s, actor, how in _mentions(text, day)
            if actor == "trump" and how in ("explicit", "title", "pronoun")]


@pytest.mark.parametrize("text", [
    # Namesakes: the honorific of a woman, and family names with the surname.
    "That affected both Mr. Kushner and Ms. Trump, who told friends they were targeted.",
    "Mrs. Trump visited a hospital in Ohio.",
    "Ivana Trump wrote a memoir. Maryanne Trump Barry was a judge.",
])
def test_trump_namesakes_are_not_him(text: str) -> None:
    assert _trump(text) == []


def test_mr_trump_is_still_him() -> None:
    assert _trump("Mr. Trump met Ms. Trump in the Oval Office.") == ["Trump"]


@pytest.mark.parametrize("text", [
    # The definite takes up an indefinite: the office, not the holder.
    "Trump spoke on Monday. Department policy says a president cannot be indicted. "
    "So the president cannot be charged while in office.",
    # An apposition to a role noun.
    "Trump spoke on Monday. Its attribution of executive authority to one individual, "
    "the president, gives that individual extraordinary control.",
    # A norm about the office: a modal and a constitutional cue.
    "Trump spoke on Monday.\n\nThe president must have the ability to speak candidly with "
    "foreign leaders, and his conversations should not leave the Executive branch.",
])
def test_the_president_as_the_office(text: str) -> None:
    assert _trump(text) == ["Trump"]
    office = [(s, actor) for s, actor, how in _mentions(text) if s.lower() == "the president"]
    assert office == [(office[0][0], None)]


@pytest.mark.parametrize(("text", "expected"), [
    # A modal without a constitutional or legal cue is about the man.
    ("Trump spoke on Monday. The president must resign, Democrats said.",
     ["Trump", "The president"]),
    # "Other presidents" contrasts with him; it does not make "the President" generic.
    ("Trump's ratings are low (other presidents have had low ratings). The courts have "
     "checked the President.", ["Trump", "the President"]),
    # "The presidency" is the office, and no mention at all.
    ("Trump spoke on Monday. The presidency has grown in power.", ["Trump"]),
])
def test_the_president_rules_do_not_over_reach(text: str, expected: list[str]) -> None:
    assert _trump(text) == expected


def test_an_undeclared_titled_president_is_the_president_of_his_paragraph() -> None:
    text = ("The society drew a response from President John F. Kennedy. He said the danger "
            "came from within. The President was referring to the John Birch Society.")
    found = _mentions(text, dt.date(2017, 6, 19))
    assert ("President John F. Kennedy", None, "not_actor") in found
    assert ("The President", None, "title") in found
    assert _trump(text, dt.date(2017, 6, 19)) == []


def test_a_former_president_is_not_the_president() -> None:
    text = "Former President George W. Bush spoke on Monday. The president did not attend."
    assert _trump(text) == ["The president"]


def test_president_obama_is_the_president_of_his_paragraph() -> None:
    text = "In 2016 President Obama met Putin. The president warned him about hacking."
    assert [a for s, a, _ in _mentions(text, dt.date(2018, 5, 1))
            if s == "The president"] == ["obama"]


def test_a_former_president_who_is_the_topic_of_the_passage() -> None:
    passage = ("The IRS was weaponized against Obama's opponents. Obama's allies cheered. "
               "Suggestions that the president was unfit became near treasonous.")
    day = dt.date(2018, 4, 24)
    assert _trump(passage, day) == []
    assert [a for s, a, _ in _mentions(passage, day) if s == "the president"] == ["obama"]
    # With the holder named just before, "the president" is the holder.
    assert _trump("Trump spoke on Monday.\n\n" + passage, day)[-1] == "the president"


@pytest.mark.parametrize(("text", "expected"), [
    ('Trump needs a chief of staff who can tell him no. "I am not sure he (Ayers) has the '
     'gravitas," Whipple said.', ["Trump", "him"]),
    ("Trump praised Johnson. I am just saying that he [Johnson] would be a great Prime "
     "Minister.", ["Trump"]),
    ("Johnson praised Trump. Johnson said that he (Trump) would win.", ["Trump", "he", "Trump"]),
])
def test_a_name_in_brackets_resolves_the_pronoun(text: str, expected: list[str]) -> None:
    assert _trump(text) == expected


def test_a_pronoun_chain_through_an_undeclared_man() -> None:
    text = ("Kasich will say Trump is crazy.\n\nThat leaves Senator Ted Cruz, the man of the "
            "hour. He enters this debate with the wind at his back having passed Trump in "
            "Iowa. He's benefitted mostly by scooping up the Carson supporters.")
    assert _trump(text) == ["Trump", "Trump"]


def test_a_quotation_attributed_by_a_pronoun_is_not_about_its_speaker() -> None:
    text = ('"I think it is a process," Rep. Amash told reporters.\n\nThe president '
            'dismisses his rogue colleague.\n\n"He\'s been a loser for a long time. Rarely '
            'votes for Republicans," he said.')
    # The "He" inside is not Trump (and the only other man is two paragraphs back, out of
    # reach, so it stays unresolved); the attribution "he said" is Trump.
    assert [(s, a) for s, a, _ in _mentions(text) if s.lower() == "he"] == [("he", "trump")]
    assert _trump(text) == ["The president", "his", "he"]


def test_a_long_quotation_attributed_by_a_pronoun() -> None:
    text = ("Trump said he had not spoken to Attorney General Bill Barr about the issue.\n\n"
            '"I have not spoken to him about it. Would I speak to him about it? I haven\'t '
            'thought of that. I mean, you are asking me a question," he said.')
    found = [(s, a) for s, a, _ in _mentions(text) if s in ("him", "he")]
    assert found == [("he", "trump"), ("him", None), ("him", None), ("he", "trump")]


def test_a_surname_with_an_inner_capital_is_a_person() -> None:
    text = ("Mitch McConnell wants to be judged for the seat. And yet McConnell's utter "
            "failure to accept any responsibility for Trump or the Trumpism that came with it "
            "isn't even his greatest sin.")
    assert _trump(text) == ["Trump"]


def test_a_pronoun_before_an_apostrophe_is_not_a_surname() -> None:
    """"He's benefitted" once made a person "He", who then carried pronoun chains."""
    text = "Trump spoke on Monday. He's benefitted from the debate."
    assert [(s, how) for s, _, how in _mentions(text)] == [("Trump", "explicit"),
                                                           ("He", "pronoun")]


def test_the_twitter_handle_is_trump_and_carries_a_pronoun() -> None:
    text = ('The post came from @realDonaldTrump on Friday morning. He said the deal was close. '
            'Another account, @realDonaldTrumpFan, reposted it.')
    assert _mentions(text)[:2] == [("@realDonaldTrump", "trump", "explicit"),
                                   ("He", "trump", "pronoun")]
    assert _trump(text) == ["@realDonaldTrump", "He"]


def test_the_presidents_council_is_an_institution() -> None:
    text = ("Trump met Google executives. Some served on the President's Council of Advisers "
            "on Science and Technology.")
    found = [(m.surface, m.actor) for m in find_mentions(text, split_sentences(text), ACTORS,
                                                         day=dt.date(2018, 8, 1))]
    assert ("the President's", None) in found or ("the President", None) in found, found
    assert [a for _, a in found].count("trump") == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An organisation's president is not a head of state.
        ("Trump spoke. Lott is the president of the Crime Prevention Research Center.", None),
        ("Trump spoke. The center, of which I am the president, released a report.", None),
        # "the president of <country>" is that country's office, when declared.
        ("Trump spoke. Then the president of Ukraine replied.", "zelensky"),
        ("Zelensky spoke. Then the president of the United States replied.", "trump"),
        # A declared name in apposition says who is meant.
        ("Trump met Lavrov and Tillerson. What did the president, Putin, say?", "putin"),
        # "of the country" is no named owner: the usual resolution applies.
        ("Trump spoke. He is the president of the country.", "trump"),
    ],
)
def test_whose_president(text: str, expected: str | None) -> None:
    day = dt.date(2025, 8, 20)
    titles = [m for m in find_mentions(text, split_sentences(text), ACTORS, day=day)
              if m.surface.lower() == "the president"]
    assert len(titles) == 1, titles
    assert titles[0].actor == expected, titles[0]
