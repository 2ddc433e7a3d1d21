"""Document-term matrices as topic-model input: scipy sparse, gensim bag-of-words, stm exports.

A researcher often has counts, not texts: stm's ``documents`` list, quanteda's ``dfm``,
scikit-learn's ``CountVectorizer`` output, gensim's bag-of-words corpus. :class:`DocumentTerms`
holds such a matrix with its vocabulary and a metadata table, and every topic function
(:class:`TopicModel`, :func:`search_k`, :func:`topic_stability`) takes it where it takes a token
table. Inside, the counts become token lists (tomotopy reads words), in term order: the words'
order in the texts is unknown, so measures that slide a window over the text (c_npmi, c_v) are
skipped for such input (see :func:`word_order_known`), never computed on alphabetical
neighbours; stm's semantic coherence counts document co-occurrence and needs no order.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from framing._types import PathLike
from framing.corpus import InputError

logger = logging.getLogger(__name__)

#: ``DataFrame.attrs`` key saying whether a token table keeps the texts' word order.
WORD_ORDER = "word_order"


class DocumentTerms:
    """A document-term matrix, its vocabulary and one metadata row per document.

    Parameters
    ----------
    matrix : scipy sparse matrix or array of shape (n_documents, V)
        Non-negative integer counts.
    vocabulary : sequence of str, length V
        The terms, in column order (unique).
    metadata : DataFrame, optional
        One row per document, in row order (covariates, dates, ...). Without an ``id_column``
        column, one is added: ``d1``, ``d2``, ... (the row numbers, from 1).
    id_column : str, default="doc_id"
        The key column.

    Examples
    --------
    >>> from scipy.sparse import csr_matrix
    >>> terms = DocumentTerms(csr_matrix([[2, 0, 1], [0, 3, 0]]), ["tank", "vote", "war"],
    ...                       pd.DataFrame({"outlet": ["A", "B"]}))
    >>> terms.to_token_table()[["doc_id", "outlet", "tokens"]]
      doc_id outlet                tokens
    0     d1      A     [tank, tank, war]
    1     d2      B  [vote, vote, vote]
    """

    def __init__(self, matrix: Any, vocabulary: Sequence[str],
                 metadata: pd.DataFrame | None = None, *, id_column: str = "doc_id") -> None:
        try:
            matrix = sp.csr_matrix(matrix)
        except (TypeError, ValueError) as exc:
            raise InputError(f"the document-term matrix cannot be read ({exc})",
                             field="matrix") from exc
        vocabulary = [str(word) for word in vocabulary]
        if matrix.shape[1] != len(vocabulary):
            raise InputError(f"the matrix has {matrix.shape[1]} columns but the vocabulary "
                             f"{len(vocabulary)} terms", field="vocabulary")
        if len(set(vocabulary)) != len(vocabulary):
            repeated = pd.Series(vocabulary)[pd.Series(vocabulary).duplicated()].iloc[0]
            raise InputError(f"the vocabulary repeats {repeated!r}", field="vocabulary")
        matrix.sum_duplicates()
        if matrix.nnz and (matrix.data.min() < 0 or not np.all(np.mod(matrix.data, 1) == 0)):
            bad = np.flatnonzero((matrix.data < 0) | (np.mod(matrix.data, 1) != 0))[0]
            row = int(np.searchsorted(matrix.indptr, bad, side="right"))
            raise InputError(f"counts must be non-negative integers, got "
                             f"{matrix.data[bad]!r}", row=row, field="matrix")
        metadata = (pd.DataFrame(index=range(matrix.shape[0])) if metadata is None
                    else metadata.reset_index(drop=True).copy())
        if len(metadata) != matrix.shape[0]:
            raise InputError(f"the metadata has {len(metadata)} rows but the matrix "
                             f"{matrix.shape[0]} documents", field="metadata")
        if "tokens" in metadata.columns:
            raise InputError("the metadata must not have a 'tokens' column", field="tokens")
        if id_column not in metadata.columns:
            metadata.insert(0, id_column, [f"d{i}" for i in range(1, len(metadata) + 1)])
        self.matrix = matrix.astype(np.int64)
        self.vocabulary = vocabulary
        self.metadata = metadata
        self.id_column = id_column

    def __len__(self) -> int:
        return self.matrix.shape[0]

    def __repr__(self) -> str:
        return (f"DocumentTerms({self.matrix.shape[0]} documents, {len(self.vocabulary)} "
                f"terms, {int(self.matrix.sum())} tokens)")

    @classmethod
    def from_gensim(cls, corpus: Iterable[Sequence[tuple[int, float]]], id2word: Any,
                    metadata: pd.DataFrame | None = None, *,
                    id_column: str = "doc_id") -> DocumentTerms:
        """From gensim's bag-of-words corpus (lists of ``(term_id, count)``) and its dictionary.

        ``id2word`` is a ``gensim.corpora.Dictionary`` or any mapping of id to word.

        Examples
        --------
        >>> terms = DocumentTerms.from_gensim([[(0, 2)], [(1, 1), (0, 1)]], {0: "war", 1: "aid"})
        >>> terms.matrix.toarray().tolist(), terms.vocabulary
        ([[2, 0], [1, 1]], ['war', 'aid'])
        """
        ids = sorted(int(i) for i in (id2word.keys() if hasattr(id2word, "keys")
                                       else range(len(id2word))))
        column = {term_id: j for j, term_id in enumerate(ids)}
        rows, cols, counts = [], [], []
        n_documents = 0
        for row, document in enumerate(corpus):
            n_documents = row + 1
            for pair in document:
                try:
                    term_id, count = pair
                    cols.append(column[int(term_id)])
                except (KeyError, TypeError, ValueError) as exc:
                    raise InputError(f"expected (term id, count) pairs of the dictionary, got "
                                     f"{pair!r}", row=row + 1, field="corpus") from exc
                rows.append(row)
                counts.append(count)
        matrix = sp.csr_matrix((counts, (rows, cols)), shape=(n_documents, len(ids)))
        return cls(matrix, [id2word[i] for i in ids], metadata, id_column=id_column)

    @classmethod
    def from_triplets(cls, triplets: pd.DataFrame, vocabulary: Sequence[str],
                      metadata: pd.DataFrame | None = None, *, one_based: bool = False,
                      id_column: str = "doc_id") -> DocumentTerms:
        """From a long table ``doc_index, term_index, count`` (stm's documents, long form).

        ``one_based``: indices start at 1, as stm's (and R's) do.
        """
        missing = [c for c in ("doc_index", "term_index", "count") if c not in triplets]
        if missing:
            raise InputError(f"the triplet table has no {missing[0]!r} column",
                             field=missing[0])
        offset = 1 if one_based else 0
        docs = triplets["doc_index"].to_numpy(dtype=np.int64) - offset
        terms = triplets["term_index"].to_numpy(dtype=np.int64) - offset
        n_documents = len(metadata) if metadata is not None else int(docs.max(initial=-1)) + 1
        for name, values, size in (("doc_index", docs, n_documents),
                                   ("term_index", terms, len(vocabulary))):
            bad = np.flatnonzero((values < 0) | (values >= size))
            if len(bad):
                raise InputError(f"index {values[bad[0]] + offset} is outside 1..{size}"
                                 if one_based else
                                 f"index {values[bad[0]]} is outside 0..{size - 1}",
                                 row=int(bad[0]) + 1, field=name)
        matrix = sp.csr_matrix((triplets["count"].to_numpy(), (docs, terms)),
                               shape=(n_documents, len(vocabulary)))
        return cls(matrix, vocabulary, metadata, id_column=id_column)

    @classmethod
    def read(cls, folder: PathLike) -> DocumentTerms:
        """Read a document-term folder: an stm export, or ``matrix.npz`` + ``vocabulary.txt``.

        Recognised layouts (metadata optional in the last):

        * stm's export as ``fit_stm_reference.R`` writes it: ``docterm.csv.gz``
          (0-based ``doc_index, term_index, count``), ``vocab.txt``, ``meta.csv``;
        * the same in Parquet, 1-based as in R: ``doc_term_triplets.parquet``,
          ``vocab.parquet`` (``term_index, term``), ``meta.parquet``;
        * ``matrix.npz`` (``scipy.sparse.save_npz``), ``vocabulary.txt`` (one term a line),
          ``metadata.parquet`` or ``metadata.csv``.
        """
        folder = Path(folder)
        if not folder.is_dir():
            raise InputError("not a folder of document-term files", path=folder)
        try:
            if (folder / "docterm.csv.gz").exists():
                vocabulary = _lines(folder / "vocab.txt")
                meta = _table(folder / "meta.csv")
                return cls.from_triplets(pd.read_csv(folder / "docterm.csv.gz"), vocabulary,
                                         meta)
            if (folder / "doc_term_triplets.parquet").exists():
                vocab = pd.read_parquet(folder / "vocab.parquet").sort_values("term_index")
                meta = _table(folder / "meta.parquet")
                return cls.from_triplets(pd.read_parquet(folder / "doc_term_triplets.parquet"),
                                         vocab["term"].tolist(), meta, one_based=True)
            if (folder / "matrix.npz").exists():
                meta = _table(folder / "metadata.parquet") if (
                    folder / "metadata.parquet").exists() else _table(folder / "metadata.csv")
                return cls(sp.load_npz(folder / "matrix.npz"),
                           _lines(folder / "vocabulary.txt"), meta)
        except InputError as exc:
            if exc.path is not None:
                raise
            raise InputError(exc.reason, path=folder, row=exc.row, field=exc.field) from exc
        except (OSError, ValueError, KeyError) as exc:
            raise InputError(f"cannot read the document-term files ({exc})",
                             path=folder) from exc
        raise InputError("no document-term files found (docterm.csv.gz, "
                         "doc_term_triplets.parquet or matrix.npz)", path=folder)

    def to_token_table(self) -> pd.DataFrame:
        """A token table: the metadata plus ``tokens``, each term repeated by its count.

        The words come in term (column) order; the table's ``attrs["word_order"]`` is
        ``"unknown"``, so word-order measures know to stay away.
        """
        matrix = self.matrix
        words = np.asarray(self.vocabulary, dtype=object)[np.repeat(matrix.indices,
                                                                    matrix.data)]
        ends = _row_ends(matrix)
        table = self.metadata.copy()
        table["tokens"] = [words[start:end].tolist() for start, end in
                           zip(np.concatenate([[0], ends[:-1]]), ends, strict=True)]
        table.attrs[WORD_ORDER] = "unknown"
        return table


def _row_ends(matrix: sp.csr_matrix) -> np.ndarray:
    """Cumulative token counts at the end of each row (empty rows included)."""
    per_row = np.zeros(matrix.shape[0], dtype=np.int64)
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    np.add.at(per_row, rows, matrix.data)
    return np.cumsum(per_row)


def _lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [line for line in text.split("\n") if line != ""]


def _table(path: Path) -> pd.DataFrame:
    return pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)


def as_token_table(X: Any) -> Any:
    """``X`` as a token table when it is :class:`DocumentTerms`; anything else unchanged."""
    return X.to_token_table() if isinstance(X, DocumentTerms) else X


def word_order_known(table: pd.DataFrame, *, sample: int = 200) -> bool:
    """False when the tokens' order is known to be lost: made from counts, or sorted.

    A table from :meth:`DocumentTerms.to_token_table` says so in its attrs. A token table
    whose documents (those with 5 tokens or more, up to ``sample`` of them) are nearly all in
    sorted order was most likely expanded from counts by hand: its neighbours are alphabetical.
    """
    if table.attrs.get(WORD_ORDER) == "unknown":
        return False
    checked = sorted_ = 0
    for tokens in table["tokens"]:
        tokens = list(tokens)
        if len(tokens) < 5:
            continue
        checked += 1
        sorted_ += all(a <= b for a, b in zip(tokens, tokens[1:], strict=False))
        if checked >= sample:
            break
    return not (checked >= 5 and sorted_ >= 0.9 * checked)
