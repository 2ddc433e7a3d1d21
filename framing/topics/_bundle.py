"""Topic model bundles: one folder, written atomically, that a later session can trust.

::

    <bundle>/
      model.tomotopy | model.gensim*   the engine's own file(s) (gensim's format is a pickle)
      params.json                      TopicModel parameters at fit time
      labels.json                      topic labels
      metrics.json                     log-likelihood, perplexity, document counts
      vocabulary.parquet               word, count (training occurrences)
      doc_topic.parquet                key, topic_0 ... topic_{K-1} of the training documents
      manifest.json                    versions, data hash, seeds, sizes, sha256 of every file
      CARD.md                          for people: data, engine, K, top words per topic

Loading checks the files against the manifest's sha256 (a truncated engine file can abort the
process inside tomotopy), and warns with :class:`BundleVersionWarning` when framing or the
engine differ from the versions that wrote the bundle.
"""

from __future__ import annotations

import datetime as dt
import pickle
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing._types import PathLike
from framing.corpus import BundleError, atomic_directory
from framing.corpus._bundles import file_sha256, read_json, read_manifest, write_json
from framing.topics._engines import ENGINES, MODEL_FILES, engine_version
from framing.topics._model import TopicModel
from framing.topics._words import top_words

BUNDLE_FORMAT = "framing.topics.TopicModel"
BUNDLE_VERSION = 1
_JSON_FILES = ("params.json", "labels.json", "metrics.json")
_TABLES = ("vocabulary.parquet", "doc_topic.parquet")


class BundleVersionWarning(UserWarning):
    """A bundle was written by another version of framing or of its topic engine."""


def _card(model: TopicModel, manifest: dict[str, Any]) -> str:
    params = model.fit_params_
    words = top_words(model, n=10)
    frex = top_words(model, n=10, by="frex")
    prevalence = model.doc_topic_.mean(axis=0) if len(model.doc_topic_) else np.zeros(
        model.n_topics_)
    covariates = [*params["covariates"],
                  *(f"a smooth of {name} (Legendre polynomials up to degree {params['degree']})"
                    for name in params.get("numeric_covariates", []))]
    kind = "DMR on " + ", ".join(covariates) if params["kind"] == "dmr" else "LDA"
    lines = [
        f"# Topic model {model.model_id_}", "",
        f"{kind} with K = {model.n_topics_} topics, trained by {params['engine']} "
        f"{manifest['versions'][params['engine']]} with random_state = "
        f"{params['random_state']} (framing {manifest['versions']['framing']}, "
        f"{manifest['created_at']}); term weighting: "
        f"{params.get('term_weight', 'one')}.", "",
        "## Data", "",
        f"- {manifest['n_documents']} documents keyed by `{model.id_column_}` "
        f"({model.n_empty_documents_} without a word of the vocabulary)",
        f"- vocabulary: {manifest['vocabulary_size']} words (min_df = {params['min_df']}, "
        f"max_df_share = {params['max_df_share']}), {int(model.word_counts_.sum())} tokens",
        f"- data sha256: `{model.data_hash_}`", "",
        "## Fit", "",
        f"- per-word log-likelihood: {model.log_likelihood_:.4f}; "
        f"perplexity: {model.perplexity_:.1f}",
        "- parameters: " + ", ".join(f"{k}={v!r}" for k, v in sorted(params.items())), "",
        "## Topics", "",
        "| topic | label | share | top words (probability) | top words (FREX) |",
        "|---:|---|---:|---|---|",
    ]
    for topic in range(model.n_topics_):
        by_prob = ", ".join(words.loc[words["topic"] == topic, "word"])
        by_frex = ", ".join(frex.loc[frex["topic"] == topic, "word"])
        lines.append(f"| {topic} | {model.labels_[topic]} | {prevalence[topic]:.3f} | "
                     f"{by_prob} | {by_frex} |")
    return "\n".join(lines) + "\n"


def save_bundle(model: TopicModel, path: PathLike, *, force: bool = False) -> Path:
    """Write a fitted model as a bundle folder, atomically.

    Parameters
    ----------
    model : TopicModel
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
    engine = params["engine"]
    target = Path(path)
    with atomic_directory(target, force=force) as folder:
        ENGINES[engine].save(model.engine_model_, folder)
        write_json(folder / "params.json", params)
        write_json(folder / "labels.json",
                    [{"topic": k, "label": label, "boilerplate": bool(model.boilerplate_[k]),
                      "boilerplate_reason": model.boilerplate_reasons_[k]}
                     for k, label in enumerate(model.labels_)])
        write_json(folder / "metrics.json", {
            "log_likelihood_per_word": model.log_likelihood_, "perplexity": model.perplexity_,
            "n_documents": len(model.doc_ids_), "n_empty_documents": model.n_empty_documents_,
            "alpha": np.asarray(model.alpha_).tolist(),
            "n_tokens": int(model.word_counts_.sum())})
        pd.DataFrame({"word": model.vocabulary_, "count": model.word_counts_}).to_parquet(
            folder / "vocabulary.parquet", index=False)
        doc_topic = pd.DataFrame(model.doc_topic_,
                                 columns=[f"topic_{k}" for k in range(model.n_topics_)])
        doc_topic.insert(0, model.id_column_, model.doc_ids_)
        doc_topic["n_tokens_in_model"] = model.doc_lengths_
        doc_topic.to_parquet(folder / "doc_topic.parquet", index=False)
        samples = getattr(model, "doc_topic_count_samples_", None)
        if samples is not None:
            np.save(folder / "doc_topic_count_samples.npy", samples, allow_pickle=False)
        manifest = {
            "format": BUNDLE_FORMAT, "bundle_version": BUNDLE_VERSION,
            "model_id": model.model_id_,
            "created_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "versions": {"framing": __version__, engine: engine_version(engine),
                         "numpy": np.__version__, "pandas": pd.__version__},
            "data_hash": model.data_hash_, "id_column": model.id_column_,
            "n_documents": len(model.doc_ids_), "vocabulary_size": len(model.vocabulary_),
            "n_topics": model.n_topics_, "seeds": {"random_state": params["random_state"]},
            "files": {p.name: file_sha256(p) for p in sorted(folder.iterdir())},
        }
        (folder / "CARD.md").write_text(_card(model, manifest), encoding="utf-8")
        write_json(folder / "manifest.json", manifest)
    return target


def check_versions(folder: Path, manifest: dict[str, Any], engine: str) -> None:
    """Warn with BundleVersionWarning when framing or ``engine`` differ from the bundle's."""
    from framing import __version__

    saved = manifest.get("versions", {})
    now = {"framing": __version__, engine: engine_version(engine)}
    differ = [f"{name} {saved.get(name)} (now {version})" for name, version in now.items()
              if saved.get(name) != version]
    if differ:
        warnings.warn(f"{folder}: bundle written with {', '.join(differ)}; results may differ",
                      BundleVersionWarning, stacklevel=4)


def load_bundle(path: PathLike) -> TopicModel:
    """Read a bundle written by :func:`save_bundle` back into a fitted ``TopicModel``.

    Raises
    ------
    BundleError
        The folder is missing, a file is missing or altered, or the engine cannot read it.
    """
    folder = Path(path)
    manifest = read_manifest(folder, kind="topic model", bundle_format=BUNDLE_FORMAT,
                             bundle_version=BUNDLE_VERSION)
    files = manifest["files"]
    params = read_json(folder / "params.json")
    engine = params.get("engine")
    if engine not in ENGINES or MODEL_FILES[engine] not in files:
        raise BundleError(f"{folder}: incomplete bundle, no model file for engine {engine!r}")
    check_versions(folder, manifest, engine)
    try:
        native = ENGINES[engine].load(folder, params)
        vocabulary = pd.read_parquet(folder / "vocabulary.parquet")
        doc_topic = pd.read_parquet(folder / "doc_topic.parquet")
        # bundles from before the saved Gibbs states (or from gensim) have none
        samples = (np.load(folder / "doc_topic_count_samples.npy", allow_pickle=False)
                   if "doc_topic_count_samples.npy" in files else None)
    except (OSError, ValueError, RuntimeError, EOFError, pickle.UnpicklingError) as exc:
        raise BundleError(f"{folder}: the bundle cannot be read ({exc})") from exc
    model = TopicModel(**{**params, "covariates": tuple(params["covariates"]),
                          "numeric_covariates": tuple(params.get("numeric_covariates", ()))})
    key = manifest["id_column"]
    names = [f"topic_{k}" for k in range(manifest["n_topics"])]
    model.fit_params_ = params
    model.engine_model_ = native
    model.n_topics_ = manifest["n_topics"]
    model.id_column_ = key
    model.vocabulary_ = vocabulary["word"].to_numpy(dtype=str)
    model.word_counts_ = vocabulary["count"].to_numpy(dtype=np.int64)
    model.topic_word_ = ENGINES[engine].topic_word(native, model.vocabulary_.tolist())
    model.doc_ids_ = doc_topic[key].to_numpy(dtype=object)
    model.doc_topic_ = doc_topic[names].to_numpy(dtype=np.float64)
    metrics = read_json(folder / "metrics.json")
    model.log_likelihood_ = metrics["log_likelihood_per_word"]
    model.perplexity_ = metrics["perplexity"]
    model.n_empty_documents_ = metrics["n_empty_documents"]
    if "alpha" in metrics:  # bundles from before these were kept have neither
        model.alpha_ = np.asarray(metrics["alpha"], dtype=np.float64)
    if "n_tokens_in_model" in doc_topic.columns:
        model.doc_lengths_ = doc_topic["n_tokens_in_model"].to_numpy(dtype=np.int64)
    model.doc_topic_count_samples_ = samples
    labels = sorted(read_json(folder / "labels.json"), key=lambda e: e["topic"])
    model.labels_ = [entry["label"] for entry in labels]
    # bundles from before the boilerplate flags have none: no topic flagged
    model.boilerplate_ = np.array([bool(entry.get("boilerplate", False)) for entry in labels])
    model.boilerplate_reasons_ = [str(entry.get("boilerplate_reason", "")) for entry in labels]
    model.data_hash_ = manifest["data_hash"]
    model.model_id_ = manifest["model_id"]
    return model
