"""drop_repeated_sentences: repeated sentences cut, rows kept and accounted for."""

from __future__ import annotations

import pandas as pd
import pytest

from framing.corpus import InputError
from framing.text import drop_repeated_sentences

BLURB = "Sign up for our daily newsletter to get the news first."
QUOTE = "We will not back down from this fight."


def table() -> pd.DataFrame:
    texts = [f"Troops moved at dawn near the river. {BLURB}",
             f"The vote failed in the Senate.\n\n{BLURB} Aides declined to comment.",
             f"{BLURB}", f"Talks resumed in Geneva today. {QUOTE}",
             f"Markets fell on Monday morning. {QUOTE}", f"{QUOTE} Shelling went on overnight.",
             "He said no. He said no. He said no.", None]
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(8)],
                         "outlet": ["A", "A", "A", "A", "B", "C", "A", "A"], "text": texts})


def test_sentences_in_enough_documents_are_cut_and_counted() -> None:
    out = drop_repeated_sentences(table(), min_documents=3)
    assert out["text"].tolist()[:6] == [
        "Troops moved at dawn near the river.", "The vote failed in the Senate.\n\n"
        "Aides declined to comment.", "", "Talks resumed in Geneva today.",
        "Markets fell on Monday morning.", "Shelling went on overnight."]
    assert out["text"].iloc[6] == "He said no. He said no. He said no."  # short: kept
    accounting = out.attrs["repeated_sentences"]
    assert accounting["rows_read"] == accounting["rows_kept"] == 8
    assert accounting["rows_changed"] == 6
    assert accounting["sentences_cut"] == 6
    assert accounting["repeated_sentences"] == 2
    assert accounting["most_repeated"][0]["documents"] == 3


def test_by_outlet_keeps_a_quote_many_outlets_print() -> None:
    out = drop_repeated_sentences(table(), min_documents=3, by="outlet")
    assert QUOTE in out["text"].iloc[3] and BLURB not in out["text"].iloc[0]
    assert out.attrs["repeated_sentences"]["sentences_cut"] == 3
    assert drop_repeated_sentences(table(), min_documents=4)["text"].equals(
        table()["text"].fillna(""))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"text_column": "body"}, r"field 'body': the table has no 'body' column"),
    ({"by": "source"}, r"field 'source'"),
    ({"min_documents": 1}, r"min_documents must be an int >= 2"),
    ({"min_words": 0}, r"min_words must be an int >= 1"),
])
def test_bad_input(kwargs: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        drop_repeated_sentences(table(), **kwargs)
