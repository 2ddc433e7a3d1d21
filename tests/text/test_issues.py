"""The issue matcher reads words only where a term can begin; it must find what reading every
word finds."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from framing.text import load_issue
from framing.text._issues import Issue
from tests.conftest import SAMPLE, shared_path

_WORD = re.compile(r"\w[\w'’-]*")


def _word_by_word(issue: Issue, text: str) -> list[tuple[int, int, float]]:
    """The plain algorithm: every word of the text, a dict lookup for each."""
    words = []
    for m in _WORD.finditer(text):
        word, end = m.group().lower(), m.end()
        if word.endswith(("'s", "’s")):
            word, end = word[:-2], end - 2
        words.append((m.start(), end, word))
    found = []
    prefixes = tuple(issue.prefixes)
    for i, (start, end, word) in enumerate(words):
        for phrase, open_end, weight in issue.phrases.get(word, ()):
            following = words[i:i + len(phrase)]
            if len(following) == len(phrase) and all(
                w == e or (k == len(phrase) - 1 and open_end and w.startswith(e))
                for k, ((_, _, w), e) in enumerate(zip(following, phrase, strict=True))
            ):
                found.append((start, following[-1][1], weight))
                break
        else:
            if prefixes and word.startswith(prefixes):
                found.append((start, end, max(w for p, w in issue.prefixes.items()
                                              if word.startswith(p))))
    for pattern, weight in issue.patterns:
        found += [(m.start(), m.end(), weight) for m in pattern.finditer(text)]
    return sorted(found)


@pytest.mark.parametrize("text", [
    "Kyiv's allies, x-Kyiv and -Kyiv: peace talks' end; peace-talks; security guarantees.",
    "Peace\ntalks at the Alaska summit's close; the 28-point plan; Ukrainians' Ukraine'.",
    "A peace deal’s terms — peace plan, peace process. ceasefire? Cease-fire! truce...",
    "İstanbul talks in Istanbul; KYIV; Zelenskyy; coalition of the willing; coalition of",
    "", "no terms here at all", "peace", "security guarantee",
])
def test_matches_what_reading_every_word_finds(text: str) -> None:
    issue = load_issue()
    assert issue.matches(text) == _word_by_word(issue, text)


def test_matches_every_word_reading_on_the_sample() -> None:
    issue = load_issue()
    with open(SAMPLE / "articles.jsonl", encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle][:500]
    found = [issue.matches(text) for text in texts]
    assert found == [_word_by_word(issue, text) for text in texts]
    assert sum(map(len, found)) > 1000


def test_matches_every_word_reading_on_real_news() -> None:
    articles = pd.read_parquet(shared_path("allsides_article_bias", "articles.parquet"),
                               columns=["text"])
    texts = articles["text"].dropna().sample(2000, random_state=1).tolist()
    issue = load_issue()
    found = [issue.matches(text) for text in texts]
    assert found == [_word_by_word(issue, text) for text in texts]
    assert sum(map(len, found)) > 1000
