"""Sentences and paragraphs: offsets, abbreviations of news prose, unpunctuated text."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from nltk.tokenize.punkt import PunktSentenceTokenizer

from framing.text import split_sentences
from framing.text._sentences import sentence_tokenizer
from tests.conftest import SAMPLE, shared_path


def _texts(text: str) -> list[str]:
    return [text[s.start:s.end] for s in split_sentences(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Trump met Sen. Graham on Friday. They talked.",
        "The U.S. president spoke. They talked.",
        "Officials in Washington, D.C. said so. They talked.",
        "Gen. Kellogg and Lt. Col. Vindman testified. They talked.",
        "The talks began at 9 a.m. Eastern time. They talked.",
        "Gov. Smith of Calif. spoke to Rep. Jones. They talked.",
    ],
)
def test_abbreviations_do_not_end_sentences(text: str) -> None:
    sentences = _texts(text)
    assert len(sentences) == 2
    assert sentences[1] == "They talked."


def test_offsets_and_paragraphs() -> None:
    text = "First one. Second one.\n\nThird, new paragraph."
    sentences = split_sentences(text)
    assert [(s.sentence_id, s.paragraph_id) for s in sentences] == [(0, 0), (1, 0), (2, 1)]
    assert [text[s.start:s.end] for s in sentences] == [
        "First one.", "Second one.", "Third, new paragraph."]


def test_single_newlines_are_paragraphs_when_there_are_no_blank_lines() -> None:
    sentences = split_sentences("Line one.\nLine two.\nLine three")
    assert [s.paragraph_id for s in sentences] == [0, 1, 2]


@pytest.mark.parametrize("text", ["", "   \n\n  ", "no punctuation at all here",
                                  "word " * 500])
def test_unpunctuated_and_empty_texts(text: str) -> None:
    sentences = split_sentences(text)
    assert len(sentences) == (0 if not text.strip() else 1)
    if sentences:
        assert text[sentences[0].start:sentences[0].end].strip() == text.strip()


def test_agrees_with_the_sample_truth() -> None:
    truth = pd.read_csv(SAMPLE / "truth" / "sentences.csv")
    texts = {}
    with open(SAMPLE / "articles.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            texts[row["doc_id"]] = row["text"]
    agree = 0
    for doc_id, group in truth.groupby("doc_id"):
        ours = {(s.start, s.end) for s in split_sentences(texts[doc_id])}
        agree += len(ours & set(zip(group["start"], group["end"], strict=True)))
    assert agree / len(truth) >= 0.999  # 4 of 42,922 differ: leading blanks of quirk rows


def _nltk_spans(texts: list[str]) -> list[list[tuple[int, int]]]:
    """The same Punkt parameters in nltk's stock tokenizer (its ReDoS-guarded patterns)."""
    stock = PunktSentenceTokenizer(sentence_tokenizer()._params)
    return [list(stock.span_tokenize(text)) for text in texts]


def test_sentences_are_nltks_own_on_the_sample() -> None:
    with open(SAMPLE / "articles.jsonl", encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle][:400]
    paragraphs = [p for text in texts for p in text.split("\n\n") if p.strip()]
    ours = [list(sentence_tokenizer().span_tokenize(p)) for p in paragraphs]
    assert ours == _nltk_spans(paragraphs)
    assert sum(map(len, ours)) > 2 * len(paragraphs)  # real splitting happened


def test_sentences_are_nltks_own_on_real_news() -> None:
    articles = pd.read_parquet(shared_path("allsides_article_bias", "articles.parquet"),
                               columns=["text"])
    texts = articles["text"].dropna().sample(600, random_state=0).tolist()
    paragraphs = [p for text in texts for p in text.split("\n") if p.strip()]
    ours = [list(sentence_tokenizer().span_tokenize(p)) for p in paragraphs]
    assert ours == _nltk_spans(paragraphs)
    assert sum(map(len, ours)) > len(paragraphs)
