"""Boilerplate out before the tokens: sentences repeated verbatim across many documents.

Newsletter blurbs ("Sign up for our morning newsletter"), photo credits, podcast and
subscription notices are the same sentence in many articles of an outlet. A topic model gives
them topics of their own (three of fifteen on AllSides' Trump and Ukraine/Russia coverage,
``benchmarks/README.md``). The rule here: a sentence (normalised: lower case, letters and
digits only, runs of space as one) of at least ``min_words`` words that occurs in at least
``min_documents`` documents (of one group, with ``by``) is boilerplate, and is cut from every
document that holds it. Quoted statements repeated by many outlets are left alone when ``by``
names the outlet column and they are not repeated within an outlet that often.
"""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from framing.corpus import InputError
from framing.text._sentences import split_sentences

#: ``DataFrame.attrs`` key of the accounting :func:`drop_repeated_sentences` leaves.
ACCOUNTING = "repeated_sentences"
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def _normalise(sentence: str) -> str:
    return _NOT_WORD.sub(" ", sentence.lower()).strip()


def drop_repeated_sentences(table: pd.DataFrame, *, text_column: str = "text",
                            min_documents: int = 5, min_words: int = 4,
                            by: str | None = None) -> pd.DataFrame:
    """Cut the sentences repeated in ``min_documents`` or more documents, before tokenizing.

    Every row is kept (a row left without text tokenizes to no tokens, which
    :class:`~framing.topics.TopicModel` counts as empty); the text column is rewritten. The
    accounting goes to ``attrs["repeated_sentences"]``: the rows read and changed, the
    distinct repeated sentences, the sentences and characters cut, and the ten most repeated
    (text and number of documents).

    Parameters
    ----------
    table : DataFrame
        One row per document, with ``text_column``.
    text_column : str, default="text"
        The column of texts.
    min_documents : int, default=5
        A sentence found in at least this many documents (of one group) is boilerplate.
    min_words : int, default=4
        Shorter sentences ("Read more.", "He declined.") are never cut.
    by : str or None, default=None
        Count documents within each value of this column (e.g. "outlet": a sentence one outlet
        repeats), so a quote many outlets print is kept.

    Returns
    -------
    DataFrame
        A copy of ``table`` with the repeated sentences cut from ``text_column``.

    Raises
    ------
    InputError
        A missing column, a threshold below 2 (``min_documents``) or 1 (``min_words``).

    Examples
    --------
    >>> blurb = "Sign up for our daily newsletter to get the news first."
    >>> table = pd.DataFrame({"doc_id": list("abcd"), "text": [
    ...     f"Troops moved at dawn. {blurb}", f"The vote failed. {blurb}",
    ...     f"{blurb} Talks resumed in Geneva.", "Prices rose again."]})
    >>> out = drop_repeated_sentences(table, min_documents=3)
    >>> out["text"].tolist()
    ['Troops moved at dawn.', 'The vote failed.', 'Talks resumed in Geneva.', 'Prices rose again.']
    >>> out.attrs["repeated_sentences"]["sentences_cut"]
    3
    """
    if not isinstance(table, pd.DataFrame):
        raise InputError(f"expected a table of texts (DataFrame), got {type(table).__name__}")
    for column in [text_column] + ([by] if by is not None else []):
        if column not in table.columns:
            raise InputError(f"the table has no {column!r} column", field=column)
    if isinstance(min_documents, bool) or not isinstance(min_documents, int) or min_documents < 2:
        raise InputError(f"min_documents must be an int >= 2, got {min_documents!r}")
    if isinstance(min_words, bool) or not isinstance(min_words, int) or min_words < 1:
        raise InputError(f"min_words must be an int >= 1, got {min_words!r}")
    texts = table[text_column].fillna("").astype(str).tolist()
    groups = (table[by].astype(str).tolist() if by is not None else [""] * len(texts))
    split: list[list[tuple[int, int, str]]] = []
    documents: Counter[tuple[str, str]] = Counter()
    for text, group in zip(texts, groups, strict=True):
        sentences = [(s.start, s.end, _normalise(text[s.start:s.end]))
                     for s in split_sentences(text)]
        split.append(sentences)
        documents.update({(group, key) for _, _, key in sentences
                          if len(key.split()) >= min_words})
    repeated = {pair for pair, n in documents.items() if n >= min_documents}
    out_texts, cut, characters, changed = [], 0, 0, 0
    for text, group, sentences in zip(texts, groups, split, strict=True):
        spans = [(start, end) for start, end, key in sentences if (group, key) in repeated]
        if not spans:
            out_texts.append(text)
            continue
        changed += 1
        cut += len(spans)
        characters += sum(end - start for start, end in spans)
        kept, last = [], 0
        for start, end in spans:
            kept.append(text[last:start])
            last = end
            while last < len(text) and text[last] in " \t":  # the space after the sentence
                last += 1
        kept.append(text[last:])
        out_texts.append(re.sub(r"[ \t]+\n", "\n", "".join(kept)).strip())
    out = table.copy()
    out[text_column] = out_texts
    top = sorted(((documents[pair], pair[1]) for pair in repeated), reverse=True)[:10]
    out.attrs[ACCOUNTING] = {
        "rows_read": len(table), "rows_kept": len(table), "rows_changed": changed,
        "repeated_sentences": len(repeated), "sentences_cut": cut, "characters_cut": characters,
        "min_documents": min_documents, "min_words": min_words, "by": by,
        "most_repeated": [{"sentence": key, "documents": n} for n, key in top]}
    return out
