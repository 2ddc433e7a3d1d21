"""From a token table to what a topic engine reads: keys, pruned tokens, covariates, a hash.

Both engines see the same documents: the vocabulary is pruned here (``min_df``,
``max_df_share``), not by the engine, so ``vocabulary_`` does not depend on the engine. A
document may lose every token to pruning; the engines are never shown such a document (tomotopy
aborts the process on one) and it gets the prior's topic shares instead.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from itertools import chain

import numpy as np
import pandas as pd

from framing.corpus import InputError

#: Covariate name derived from the ``date`` column rather than read from a column.
PERIOD = "period"
_PERIOD_FREQ = {"month": "M", "quarter": "Q", "year": "Y"}
#: A numeric covariate travels with the categorical labels as ``"name#=value"`` (one list of
#: str per document keeps the engines' signatures and the data hash as they are); the tomotopy
#: engine splits them apart (:func:`split_covariates`).
NUMERIC = "#="


def numeric_covariates(frame: pd.DataFrame, names: Sequence[str]) -> list[list[str]]:
    """Per row, one ``"name#=value"`` string per numeric covariate.

    A column of dates (datetime, or text that parses as dates in every row) becomes days since
    1970-01-01; any other column must be numbers. Missing or non-numeric values raise
    InputError naming the first such row (1-based) and the column.
    """
    columns = []
    for name in names:
        if name not in frame.columns:
            raise InputError(f"the table has no {name!r} column for the numeric covariates",
                             field=name)
        column = frame[name]
        if pd.api.types.is_datetime64_any_dtype(column) or (
                name == "date" and not pd.api.types.is_numeric_dtype(column)):
            dates = pd.to_datetime(column, errors="coerce")
            values = (dates - pd.Timestamp("1970-01-01")).dt.total_seconds() / 86_400.0
            what = "a date"
        elif pd.api.types.is_bool_dtype(column) or not (
                pd.api.types.is_numeric_dtype(column) or column.dtype == object):
            raise InputError(f"a numeric covariate must hold numbers or dates, got dtype "
                             f"{column.dtype}", field=name)
        else:
            values = pd.to_numeric(column, errors="coerce")
            what = "a number"
        bad = values.isna() | ~np.isfinite(values.to_numpy(dtype=np.float64, na_value=np.nan))
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"{int(bad.sum())} row(s) have no value or not {what}, e.g. "
                             f"{column.iloc[row]!r}; numeric covariates must be complete",
                             row=row + 1, field=name)
        columns.append([f"{name}{NUMERIC}{value!r}" for value in values.astype(float)])
    return [list(row) for row in zip(*columns, strict=True)] if columns else [
        [] for _ in range(len(frame))]


def split_covariates(labels: Sequence[str]) -> tuple[list[str], list[float]]:
    """A document's categorical labels and its numeric covariates' values, apart."""
    categorical = [label for label in labels if NUMERIC not in label]
    numbers = [float(label.split(NUMERIC, 1)[1]) for label in labels if NUMERIC in label]
    return categorical, numbers


def resolve_id_column(frame: pd.DataFrame, id_column: str | None) -> str:
    """The key column: ``id_column``, else ``passage_id`` when present, else ``doc_id``."""
    if id_column is not None:
        if id_column not in frame.columns:
            raise InputError(f"the table has no {id_column!r} column; set id_column",
                             field=id_column)
        return id_column
    for name in ("passage_id", "doc_id"):
        if name in frame.columns:
            return name
    raise InputError("the table has neither a 'passage_id' nor a 'doc_id' column; set "
                     "id_column", field="doc_id")


def check_table(frame: pd.DataFrame, key: str) -> list[list[str]]:
    """The token lists of a token table, after checking its type, keys and ``tokens``."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a token table (DataFrame), got {type(frame).__name__}")
    if "tokens" not in frame.columns:
        raise InputError("the table has no 'tokens' column; make one with "
                         "framing.text.Tokenizer or tokenize_corpus", field="tokens")
    repeated = frame[key][frame[key].duplicated()]
    if len(repeated):
        raise InputError(f"{len(repeated)} repeated value(s), e.g. {repeated.iloc[0]!r}; "
                         "keys must be unique", field=key)
    documents = []
    for position, tokens in enumerate(frame["tokens"].tolist()):
        if isinstance(tokens, str) or not hasattr(tokens, "__iter__"):
            raise InputError(f"expected a list of tokens, got {type(tokens).__name__}",
                             row=position + 1, field="tokens")
        tokens = list(tokens)
        # set(map(type, ...)) runs in C; the per-token isinstance (str subclasses such as
        # numpy.str_ pass) only when some token is not exactly a str
        if not set(map(type, tokens)) <= {str} and not all(
                isinstance(token, str) for token in tokens):
            raise InputError("expected a list of str tokens", row=position + 1, field="tokens")
        documents.append(tokens)
    return documents


def covariate_labels(frame: pd.DataFrame, covariates: Sequence[str],
                     period: str) -> list[list[str]]:
    """Per row, one ``"name=value"`` string per covariate (``period`` comes from ``date``)."""
    columns = []
    for name in covariates:
        if name == PERIOD and PERIOD not in frame.columns:
            if "date" not in frame.columns:
                raise InputError("the 'period' covariate is derived from a 'date' column, "
                                 "which the table lacks", field="date")
            dates = pd.to_datetime(frame["date"])
            missing = dates.isna()
            values = dates.dt.to_period(_PERIOD_FREQ[period]).astype(str)
        elif name in frame.columns:
            missing = frame[name].isna()
            values = frame[name].astype(str)
        else:
            raise InputError(f"the table has no {name!r} column for the covariates",
                             field=name)
        if missing.any():
            raise InputError(f"{int(missing.sum())} row(s) have no value, e.g. row "
                             f"{int(np.flatnonzero(missing.to_numpy())[0]) + 1}; covariates "
                             "must be complete", field=name)
        columns.append([f"{name}={value}" for value in values])
    return [list(row) for row in zip(*columns, strict=True)] if columns else [
        [] for _ in range(len(frame))]


def build_vocabulary(documents: Sequence[Sequence[str]], *, min_df: int,
                     max_df_share: float) -> tuple[list[str], np.ndarray]:
    """Words kept by document frequency, sorted, and their counts in ``documents``.

    Examples
    --------
    >>> build_vocabulary([["a", "b", "b"], ["b", "c"], ["a"]], min_df=2, max_df_share=1.0)
    (['a', 'b'], array([2, 3]))
    """
    # chain.from_iterable feeds Counter from C: twice as fast as a generator expression
    document_frequency = Counter(chain.from_iterable(map(set, documents)))
    limit = max_df_share * len(documents)
    vocabulary = sorted(word for word, df in document_frequency.items()
                        if df >= min_df and df <= limit)
    counts = Counter(chain.from_iterable(documents))
    return vocabulary, np.array([counts[word] for word in vocabulary], dtype=np.int64)


def prune(documents: Sequence[Sequence[str]], vocabulary: Sequence[str]) -> list[list[str]]:
    """Each document with the words outside ``vocabulary`` removed (order kept)."""
    known = frozenset(vocabulary)
    return [[word for word in tokens if word in known] for tokens in documents]


def hash_documents(keys: Sequence[object], documents: Sequence[Sequence[str]],
                   covariates: Sequence[Sequence[str]]) -> str:
    """sha256 of the keys, tokens and covariates, row by row, in order."""
    digest = hashlib.sha256()
    for key, tokens, labels in zip(keys, documents, covariates, strict=True):
        line = json.dumps([str(key), list(tokens), list(labels)], ensure_ascii=False)
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()
