"""The token table of a corpus store, cached in Parquet beside it, and its gensim form.

``tokenize_corpus`` fits a :class:`~framing.text.Tokenizer` on a store and tokenizes it, or
reads the result back from ``<store>/_cache/tokens-<key>.parquet``. The key hashes everything
the tokens depend on: the store's whole manifest (its inputs' sha256, import parameters, row
counts and ``created_at``, so a re-import always recomputes), the tokenizer's parameters but
``batch_size`` and ``n_jobs`` (which do not change the output), the versions of framing, gensim
and nltk, and :data:`TOKEN_RULES_VERSION`.

``write_tokens`` is the form for corpora that do not fit in memory: it learns the phrases in
one streamed pass, then tokenizes the store batch by batch (locally or on Dask, resumable)
into a token folder of Parquet parts, never holding more than a batch.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
import os
import shutil
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from framing._types import PathLike
from framing.corpus import (
    Corpus,
    InputError,
    Interval,
    atomic_directory,
    atomic_write,
    validate_params,
)
from framing.corpus._engine import (
    Engine,
    check_batched_run,
    dask_client,
    done_batches,
    map_in_order,
    open_work_folder,
    plan_rows,
    run_batches,
    write_part,
)
from framing.text._token_rules import TokenRules, count_phrases
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


@dataclass(frozen=True)
class _TokenSettings:
    """What every batch of a token run needs (sent once to each Dask worker)."""

    source: Corpus
    tokenizer: Tokenizer
    folder: Path


def _tokens_of_batch(number: int, slices: list, settings: _TokenSettings) -> dict[str, Any]:
    """Tokenize batch ``number`` of the store and write its part (on any engine)."""
    batch = settings.source.read_batch(slices)
    table = settings.tokenizer.transform(batch).reset_index(drop=True)
    write_part(table, settings.folder / "tokens" / f"part-{number:06d}.parquet")
    return {"rows": len(table), "tokens": int(table["n_tokens"].sum())}


def _phrase_counts_of_batch(slices: list, first_row: int, source: Corpus,
                            tokenizer: Tokenizer, rules: TokenRules,
                            ) -> tuple[int, list[tuple[dict[str, int], int]]]:
    """Read one batch's texts and count its phrase candidates (a Dask task of the first pass)."""
    batch = source.read_batch(slices, columns=[tokenizer.text_column])
    return len(batch), [count_phrases(tokenizer._texts(batch, first_row), rules)]


def _learn_phrases(tokenizer: Tokenizer, source: Corpus, plan: list, client: Any,
                   progress: bool) -> None:
    """The first pass: phrases counted batch by batch, here or on the Dask workers.

    On Dask each worker reads and counts whole batches and this process only sums the counts,
    in batch order, so the phrases learned are the ones a local pass learns.
    """
    if client is None or not tokenizer.phrases:
        tokenizer.fit_corpus(source, progress=progress)
        return
    rules = tokenizer._rules(fitted=False)
    starts = [0, *itertools.accumulate(plan_rows(plan))][:-1]
    counted = map_in_order(_phrase_counts_of_batch,
                           ((slices, start, source, tokenizer, rules)
                            for slices, start in zip(plan, starts, strict=True)),
                           client=client)
    tokenizer._fit_counts(counted, len(source), progress)


def write_tokens(
    corpus: Corpus | PathLike,
    out: PathLike,
    *,
    batch_size: int = 10_000,
    engine: Engine = "local",
    scheduler: str | None = None,
    force: bool = False,
    progress: bool = True,
    **tokenizer_params: Any,
) -> dict[str, Any]:
    """Tokenize a corpus store into a token folder of Parquet parts, in bounded memory.

    Two passes over the store, each holding one batch at a time: the phrases are learned in
    one streamed pass (a sum of counts over the whole corpus; on Dask the workers count each
    batch and this process sums the counts in batch order, which learns the same phrases), then
    every batch of ``batch_size`` documents is tokenized and written as a part
    ``tokens/part-NNNNNN.parquet``, on this process or as Dask tasks. The parts, in store
    order, hold the table :func:`tokenize_corpus` returns; a run stopped in the second pass
    resumes from its completed batches (the phrases are learned again, which gives the same).

    Parameters
    ----------
    corpus : Corpus or path
        A store written by :func:`framing.corpus.import_corpus`.
    out : path
        The token folder to write (atomically): ``tokens/`` and ``manifest.json`` (rows read
        and written, tokens, the tokenizer's parameters and number of phrases).
    batch_size : int, default=10_000
        Documents per batch, in both passes: the unit of memory and of resuming.
    engine : {"local", "dask"}, default="local"
        Where the second pass runs; ``"dask"`` needs ``framing[dask]`` and a disk every worker
        sees.
    scheduler : str, optional
        The Dask scheduler's address; ``None`` starts a 2-worker LocalCluster.
    force : bool, default=False
        Replace an existing ``out``, and start over a work folder of another run.
    progress : bool, default=True
        Show progress bars.
    **tokenizer_params
        Parameters of :class:`~framing.text.Tokenizer` (its ``batch_size`` is this one).

    Returns
    -------
    dict
        ``rows`` written (one per document), ``batches``, ``resumed`` and ``tokens``.

    Raises
    ------
    InputError
        An invalid tokenizer parameter, ``batch_size`` or engine.
    StoreExistsError
        ``out`` exists and ``force`` is False.

    Examples
    --------
    >>> import tempfile
    >>> from framing.corpus import import_corpus
    >>> folder = Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"outlet": ["A", "B", "A"], "date": ["2025-08-15"] * 3,
    ...               "text": ["Trump met Putin.", "Zelensky went home.", "Talks ended."]}
    ...              ).to_csv(folder / "news.csv", index=False)
    >>> store = import_corpus([folder / "news.csv"], folder / "store", progress=False)
    >>> write_tokens(store, folder / "tokens", batch_size=2, phrases=False,
    ...              progress=False)["rows"]
    3
    >>> pd.read_parquet(folder / "tokens" / "tokens")["tokens"].map(list).tolist()
    [['trump', 'met', 'putin'], ['zelensky', 'went', 'home'], ['talks', 'ended']]
    """
    target = check_batched_run(engine, batch_size, out, force=force)
    source = corpus if isinstance(corpus, Corpus) else Corpus(corpus)
    tokenizer = Tokenizer().set_params(**{**tokenizer_params, "batch_size": batch_size})
    tokenizer._validate_params()
    key, material = _cache_key(source, tokenizer)
    plan = source.batch_plan(batch_size)
    folder = open_work_folder(target, {"stage": "tokens", "batch_size": batch_size,
                                       "n_batches": len(plan), "key": key}, force=force)
    (folder / "tokens").mkdir(exist_ok=True)
    resumed = len(done_batches(folder))
    # One cluster for both passes: on Dask the phrase counts come from the workers too.
    with (dask_client(scheduler) if engine == "dask" else contextlib.nullcontext()) as client:
        _learn_phrases(tokenizer, source, plan, client, progress)
        summaries = run_batches(_tokens_of_batch, plan, folder,
                                shared=_TokenSettings(source, tokenizer, folder), engine=engine,
                                scheduler=None if client is None else client.scheduler.address,
                                sizes=plan_rows(plan),
                                progress=progress, desc="tokens", unit="doc")
    rows = sum(s["rows"] for s in summaries)
    manifest = {"created_by": "framing.text.write_tokens", "key": key, "store": str(source.path),
                "parameters": material["parameters"], "versions": material["versions"],
                "rules_version": TOKEN_RULES_VERSION,
                "n_phrases": 0 if tokenizer.phrases_ is None
                else len(tokenizer.phrases_.phrasegrams),
                "rows": {"read": len(source), "written": rows},
                "tokens": sum(s["tokens"] for s in summaries),
                "batches": {"batch_size": batch_size, "n_batches": len(plan)}}
    with atomic_directory(target, force=force) as tmp:
        os.replace(folder / "tokens", tmp / "tokens")
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n",
                                           encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    return {"rows": rows, "batches": len(plan), "resumed": resumed,
            "tokens": manifest["tokens"]}


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
