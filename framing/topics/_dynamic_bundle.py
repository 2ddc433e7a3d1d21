"""Bundles of a :class:`~framing.topics.DynamicTopicModel`, laid out like TopicModel bundles.

::

    <bundle>/
      model.tomotopy       tomotopy's DTModel, saved with its documents (``full=True``)
      params.json          DynamicTopicModel parameters at fit time
      labels.json          topic labels
      metrics.json         log-likelihood, document counts overall and per period
      periods.json         the periods in time order (timepoint t is periods[t])
      vocabulary.parquet   word, count (training occurrences)
      doc_topic.parquet    key, topic_0 ... topic_{K-1} of the training documents
      manifest.json        versions, data hash, seeds, sizes, sha256 of every file
      CARD.md              for people: data, periods, top words per topic, first and last period

``topic_word_`` is not stored: it is recomputed on loading from the word-topic assignments of
the saved documents, which are integers and repeat exactly (see
``DynamicTopicModel._period_topic_word``), so a loaded model transforms to the same bytes.
Loading checks every file against the manifest's sha256 before tomotopy reads one (a damaged
model file can abort the process inside tomotopy) and warns with
:class:`~framing.topics.BundleVersionWarning` when framing or tomotopy differ.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing._types import PathLike
from framing.corpus import BundleError, atomic_directory
from framing.corpus._bundles import file_sha256, read_json, read_manifest, write_json
from framing.topics._bundle import check_versions
from framing.topics._dynamic import DynamicTopicModel
from framing.topics._engines import MODEL_FILES, engine_version, import_tomotopy

BUNDLE_FORMAT = "framing.topics.DynamicTopicModel"
BUNDLE_VERSION = 1
_MODEL_FILE = MODEL_FILES["tomotopy"]
_REQUIRED = (_MODEL_FILE, "params.json", "labels.json", "metrics.json", "periods.json",
             "vocabulary.parquet", "doc_topic.parquet")


def _card(model: DynamicTopicModel, manifest: dict[str, Any]) -> str:
    params = model.fit_params_
    words = model.top_words_by_period(n=8)
    first, last = model.periods_[0], model.periods_[-1]
    share = model.doc_topic_.mean(axis=0) if len(model.doc_topic_) else np.zeros(
        model.n_topics_)
    by_period = ", ".join(f"{p}: {n}" for p, n in zip(model.periods_,
                                                       model.n_documents_by_period_,
                                                       strict=True))
    lines = [
        f"# Dynamic topic model {model.model_id_}", "",
        f"Dynamic topic model (tomotopy DTModel) with K = {model.n_topics_} topics over "
        f"{len(model.periods_)} {params['period']} periods ({first} to {last}), trained by "
        f"tomotopy {manifest['versions']['tomotopy']} with random_state = "
        f"{params['random_state']} (framing {manifest['versions']['framing']}, "
        f"{manifest['created_at']}).", "",
        "## Data", "",
        f"- {manifest['n_documents']} documents keyed by `{model.id_column_}`; "
        f"documents per period: {by_period}",
        f"- vocabulary: {manifest['vocabulary_size']} words (min_df = {params['min_df']}, "
        f"max_df_share = {params['max_df_share']}), {int(model.word_counts_.sum())} tokens",
        f"- data sha256: `{model.data_hash_}`", "",
        "## Fit", "",
        f"- per-word log-likelihood: {model.log_likelihood_:.4f}",
        "- parameters: " + ", ".join(f"{k}={v!r}" for k, v in sorted(params.items())), "",
        "## Topics", "",
        f"| topic | label | share | top words ({first}) | top words ({last}) |",
        "|---:|---|---:|---|---|",
    ]
    for topic in range(model.n_topics_):
        mine = words[words["topic"] == topic]
        then = ", ".join(mine.loc[mine["period"] == first, "word"])
        now = ", ".join(mine.loc[mine["period"] == last, "word"])
        lines.append(f"| {topic} | {model.labels_[topic]} | {share[topic]:.3f} | {then} | "
                     f"{now} |")
    return "\n".join(lines) + "\n"


def save_dynamic_bundle(model: DynamicTopicModel, path: PathLike, *,
                        force: bool = False) -> Path:
    """Write a fitted dynamic model as a bundle folder, atomically.

    Parameters
    ----------
    model : DynamicTopicModel
        A fitted model.
    path : str or PathLike
        The bundle folder.
    force : bool, default=False
        Replace an existing folder; otherwise raise ``StoreExistsError``.

    Returns
    -------
    Path
        ``path``.
    """
    from framing import __version__

    params = model.fit_params_
    target = Path(path)
    with atomic_directory(target, force=force) as folder:
        model.engine_model_.save(str(folder / _MODEL_FILE), full=True)
        write_json(folder / "params.json", params)
        write_json(folder / "labels.json",
                   [{"topic": k, "label": label} for k, label in enumerate(model.labels_)])
        write_json(folder / "metrics.json", {
            "log_likelihood_per_word": model.log_likelihood_,
            "n_documents": len(model.doc_ids_),
            "n_documents_by_period": model.n_documents_by_period_,
            "n_tokens": int(model.word_counts_.sum())})
        write_json(folder / "periods.json", list(model.periods_))
        pd.DataFrame({"word": model.vocabulary_, "count": model.word_counts_}).to_parquet(
            folder / "vocabulary.parquet", index=False)
        doc_topic = pd.DataFrame(model.doc_topic_,
                                 columns=[f"topic_{k}" for k in range(model.n_topics_)])
        doc_topic.insert(0, model.id_column_, model.doc_ids_)
        doc_topic.to_parquet(folder / "doc_topic.parquet", index=False)
        manifest = {
            "format": BUNDLE_FORMAT, "bundle_version": BUNDLE_VERSION,
            "model_id": model.model_id_,
            "created_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "versions": {"framing": __version__, "tomotopy": engine_version("tomotopy"),
                         "numpy": np.__version__, "pandas": pd.__version__},
            "data_hash": model.data_hash_, "id_column": model.id_column_,
            "n_documents": len(model.doc_ids_), "vocabulary_size": len(model.vocabulary_),
            "n_topics": model.n_topics_, "periods": list(model.periods_),
            "seeds": {"random_state": params["random_state"]},
            "files": {p.name: file_sha256(p) for p in sorted(folder.iterdir())},
        }
        (folder / "CARD.md").write_text(_card(model, manifest), encoding="utf-8")
        write_json(folder / "manifest.json", manifest)
    return target


def load_dynamic_bundle(path: PathLike) -> DynamicTopicModel:
    """Read a bundle written by :func:`save_dynamic_bundle` back into a fitted model.

    Raises
    ------
    BundleError
        The folder is missing, a file is missing or altered, or tomotopy cannot read it.
    """
    folder = Path(path)
    manifest = read_manifest(folder, kind="dynamic topic model", bundle_format=BUNDLE_FORMAT,
                             bundle_version=BUNDLE_VERSION, required=_REQUIRED)
    check_versions(folder, manifest, "tomotopy")
    params = read_json(folder / "params.json")
    periods = read_json(folder / "periods.json")
    try:
        native = import_tomotopy().DTModel.load(str(folder / _MODEL_FILE))
        vocabulary = pd.read_parquet(folder / "vocabulary.parquet")
        doc_topic = pd.read_parquet(folder / "doc_topic.parquet")
        model = DynamicTopicModel(**params)
    except (OSError, ValueError, RuntimeError, TypeError) as exc:
        raise BundleError(f"{folder}: the bundle cannot be read ({exc})") from exc
    if native.num_timepoints != len(periods) or native.k != manifest["n_topics"]:
        raise BundleError(f"{folder}: {_MODEL_FILE} has {native.k} topics over "
                          f"{native.num_timepoints} periods, the manifest "
                          f"{manifest['n_topics']} over {len(periods)}")
    key = manifest["id_column"]
    names = [f"topic_{k}" for k in range(manifest["n_topics"])]
    metrics = read_json(folder / "metrics.json")
    model.fit_params_ = params
    model.engine_model_ = native
    model.n_topics_ = manifest["n_topics"]
    model.id_column_ = key
    model.periods_ = list(periods)
    model.vocabulary_ = vocabulary["word"].to_numpy(dtype=str)
    model.word_counts_ = vocabulary["count"].to_numpy(dtype=np.int64)
    try:
        model.topic_word_ = model._period_topic_word(native, model.vocabulary_.tolist(),
                                                     len(periods))
    except KeyError as exc:  # a word of the native model outside vocabulary.parquet
        raise BundleError(f"{folder}: vocabulary.parquet does not match {_MODEL_FILE} "
                          f"({exc})") from exc
    model.n_documents_by_period_ = list(metrics["n_documents_by_period"])
    model.doc_ids_ = doc_topic[key].to_numpy(dtype=object)
    model.doc_topic_ = doc_topic[names].to_numpy(dtype=np.float64)
    model.log_likelihood_ = metrics["log_likelihood_per_word"]
    model.labels_ = [entry["label"] for entry in
                     sorted(read_json(folder / "labels.json"), key=lambda e: e["topic"])]
    model.data_hash_ = manifest["data_hash"]
    model.model_id_ = manifest["model_id"]
    return model
