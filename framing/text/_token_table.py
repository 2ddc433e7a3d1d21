"""The token table of a corpus store, cached in Parquet beside it, and its gensim form.

``tokenize_corpus`` fits a :class:`~framing.text.Tokenizer` on a store and tokenizes it, or
reads the result back from ``<store>/_cache/tokens-<key>.parquet``. The key hashes everything
the tokens depend on: the store's whole manifest (its inputs' sha256, import parameters, row
counts and ``created_at``, so a re-import always recomputes), the tokenizer's parameters but
``batch_size`` and ``n_jobs`` (which do not change the output), the versions of framing, gensim
and nltk, and :data:`TOKEN_RULES_VERSION`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from framing._types import PathLike
from framing.corpus import Corpus, InputError, Interval, atomic_write, validate_params
from framing.text._tokens import Tokenizer

if TYPE_CHECKING:
    from gensim.corpora import Dictionary

logger = logging.getLogger(__name__)

#: Bump when the tokenization rules change, so caches written by older code are not reused.
TOKEN_RULES_VERSION = 1
CACHE_FOLDER = "_cache"
_EXECUTION_ONLY = ("batch_size", "n_jobs")
_METADATA_KEY = b"framing"


def _cache_key(corpus: Corpus, tokenizer: Tokenizer) -> tuple[str, dict[str, Any]]:
    import gensim
    import nltk

    from framing import __version__

    params = {k: v for k, v in tokenizer.get_params().items() if k not in _EXECUTION_ONLY}
    for name in ("stop_words", "extra_stop_words"):
        if not isinstance(params[name], str | None):
            params[name] = sorted(params[name])
    material = {
        "rules_version": TOKEN_RULES_VERSION,
        "store_manifest": corpus.manifest,
        "parameters": params,
        "versions": {"framing": __version__, "gensim": gensim.__version__,
                     "nltk": nltk.__version__},
    }
    text = json.dumps(material, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20], material


def _read_cache(path: Path) -> pd.DataFrame:
    frame = pq.read_table(path).to_pandas()
    frame["tokens"] = pd.Series([list(t) for t in frame["tokens"]], index=frame.index,
                                dtype=object)
    return frame


def _write_cache(path: Path, frame: pd.DataFrame, key: str, material: dict[str, Any]) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    about = {"created_by": "framing.text.tokenize_corpus", "key": key,
             "parameters": material["parameters"], "versions": material["versions"],
             "rules_version": TOKEN_RULES_VERSION}
    metadata = dict(table.schema.metadata or {})
    metadata[_METADATA_KEY] = json.dumps(about, default=str).encode("utf-8")
    table = table.replace_schema_metadata(metadata)
    try:
        with atomic_write(path, force=True, mode="wb") as handle:
            pq.write_table(table, handle)
    except OSError as exc:  # a read-only store: the tokens are still returned
        warnings.warn(f"{path}: could not write the token cache ({exc}); the tokens will be "
                      "computed again next time", stacklevel=3)


def tokenize_corpus(
    corpus: Corpus | PathLike,
    *,
    cache: bool = True,
    force: bool = False,
    progress: bool = False,
    **tokenizer_params: Any,
) -> pd.DataFrame:
    """Tokenize a corpus store, reusing the cached token table when nothing has changed.

    Parameters
    ----------
    corpus : Corpus or path
        A store written by :func:`framing.corpus.import_corpus`.
    cache : bool, default=True
        Read and write ``<store>/_cache/tokens-<key>.parquet``.
    force : bool, default=False
        Recompute even when a cache file matches, and replace it.
    progress : bool, default=False
        Show progress bars for the two passes (phrases, tokens).
    **tokenizer_params
        Parameters of :class:`~framing.text.Tokenizer`.

    Returns
    -------
    DataFrame
        One row per document in store order: every column of the store but ``text``, plus
        ``tokens`` (list of str) and ``n_tokens``.

    Raises
    ------
    InputError
        An unknown or invalid tokenizer parameter.

    See Also
    --------
    Tokenizer : the rules, and fit/transform on a DataFrame.

    Examples
    --------
    >>> import tempfile
    >>> from framing.corpus import import_corpus
    >>> folder = tempfile.mkdtemp()
    >>> pd.DataFrame({"outlet": ["A", "B"], "date": ["2025-08-15", "2025-09-01"],
    ...               "text": ["Trump met Putin in Alaska.", "Zelensky went to Washington."]}
    ...              ).to_csv(f"{folder}/news.csv", index=False)
    >>> store = import_corpus([f"{folder}/news.csv"], f"{folder}/store", progress=False)
    >>> tokenize_corpus(store, phrases=False)[["outlet", "tokens"]]
      outlet                       tokens
    0      A  [trump, met, putin, alaska]
    1      B  [zelensky, went, washington]
    >>> len(list((store.path / "_cache").glob("tokens-*.parquet")))
    1
    """
    source = corpus if isinstance(corpus, Corpus) else Corpus(corpus)
    tokenizer = Tokenizer().set_params(**tokenizer_params)
    tokenizer._validate_params()
    key, material = _cache_key(source, tokenizer)
    path = source.path / CACHE_FOLDER / f"tokens-{key}.parquet"
    if cache and not force and path.exists():
        try:
            frame = _read_cache(path)
        except (OSError, pa.ArrowException, KeyError) as exc:
            warnings.warn(f"{path}: unreadable token cache ({exc}); recomputing", stacklevel=2)
        else:
            logger.info("tokens read from %s", path)
            return frame
    parts = list(tokenizer.fit_transform_corpus(source, progress=progress))
    frame = (pd.concat(parts, ignore_index=True) if parts
             else tokenizer.transform(source.to_pandas()))
    if cache:
        _write_cache(path, frame, key, material)
        logger.info("tokens cached in %s", path)
    return frame


def to_gensim_corpus(
    tokens: pd.DataFrame | Iterable[Sequence[str]],
    *,
    min_documents: int = 1,
    max_document_share: float = 1.0,
    column: str = "tokens",
) -> tuple[Dictionary, list[list[tuple[int, int]]]]:
    """A gensim ``Dictionary`` and the bag-of-words corpus of a token table, row by row.

    Parameters
    ----------
    tokens : DataFrame or iterable of list of str
        A token table (its ``column``), or the token lists themselves.
    min_documents : int, default=1
        Drop tokens found in fewer documents.
    max_document_share : float, default=1.0
        Drop tokens found in a larger share of the documents.
    column : str, default="tokens"
        The token column of a DataFrame.

    Returns
    -------
    (Dictionary, list of list of (int, int))
        The vocabulary, and each row as ``(token_id, count)`` pairs, in row order.

    Examples
    --------
    >>> table = pd.DataFrame({"tokens": [["white_house", "talks"], ["talks", "talks"]]})
    >>> dictionary, bow = to_gensim_corpus(table)
    >>> [[(dictionary[i], n) for i, n in row] for row in bow]
    [[('talks', 1), ('white_house', 1)], [('talks', 2)]]
    """
    from gensim.corpora import Dictionary

    validate_params("to_gensim_corpus",
                    {"min_documents": min_documents, "max_document_share": max_document_share},
                    {"min_documents": [Interval(int, 1, None)],
                     "max_document_share": [Interval(float, 0.0, 1.0)]})
    if isinstance(tokens, pd.DataFrame):
        if column not in tokens.columns:
            raise InputError(f"the table has no {column!r} column", field=column)
        tokens = tokens[column]
    documents = [list(row) for row in tokens]
    dictionary = Dictionary(documents)
    if min_documents > 1 or max_document_share < 1.0:
        dictionary.filter_extremes(no_below=min_documents, no_above=max_document_share,
                                   keep_n=None)
    return dictionary, [dictionary.doc2bow(row) for row in documents]
