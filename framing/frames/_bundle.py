"""Frame model bundles: a fitted :class:`FrameClassifier` in one folder, written atomically.

::

    <bundle>/
      model.pkl        the fitted classifier (pickle; no embedding model inside: that is
                       loaded from the extra, and its fingerprint is checked)
      params.json      FrameClassifier parameters
      codebook.yaml    a copy of the codebook file the model was trained with
      thresholds.json  the decision threshold of each frame (a single-label model:
                       decision.json, its decision rule, per-class offsets and priors)
      metrics.json     evaluation tables given at save time (FrameEvaluation.to_dict() or any
                       JSON-able mapping)
      manifest.json    model id, codebook and training-data sha256, training counts, seeds,
                       library versions, sha256 of every file
      CARD.md          for people: codebook, data, features, thresholds, metrics

Only load bundles you trust: ``model.pkl`` is a pickle. Loading checks every file against
the manifest's sha256 first, and warns with :class:`FrameBundleVersionWarning` when framing,
scikit-learn or (for embedding models) sentence-transformers differ from the writers'.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import pickle
import warnings
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sklearn

from framing._types import PathLike
from framing.corpus import BundleError, atomic_directory
from framing.corpus._bundles import file_sha256, read_json, read_manifest, write_json
from framing.frames._classifier import FrameClassifier
from framing.frames._codebook import load_codebook
from framing.frames._single_label import is_single_label

BUNDLE_FORMAT = "framing.frames.FrameClassifier"
BUNDLE_VERSION = 1


class FrameBundleVersionWarning(UserWarning):
    """A frame model bundle was written by other versions of framing or its libraries."""


def _versions(model: FrameClassifier) -> dict[str, str]:
    from framing import __version__

    versions = {"framing": __version__, "scikit-learn": sklearn.__version__,
                "numpy": np.__version__, "pandas": pd.__version__}
    if model.features_used_ in ("embeddings", "both"):
        embedder = _embedder(model)
        static = embedder is not None and getattr(embedder, "static_", False)
        for package in ("model2vec",) if static else ("sentence-transformers", "torch"):
            try:
                versions[package] = importlib.metadata.version(package)
            except importlib.metadata.PackageNotFoundError:  # pragma: no cover - extra absent
                versions[package] = "absent"
    return versions


def _embedder(model: FrameClassifier) -> Any:
    for name, block in model.features_.transformer_list:
        if name == "embeddings":
            return block
    return None


def _metrics_json(metrics: Any) -> Any:
    if metrics is None:
        return {}
    if hasattr(metrics, "to_dict") and not isinstance(metrics, dict | pd.DataFrame):
        return metrics.to_dict()
    if isinstance(metrics, pd.DataFrame):
        return metrics.to_dict(orient="records")
    return metrics


def _card(model: FrameClassifier, manifest: dict[str, Any], metrics: Any) -> str:
    codebook = manifest["codebook"]
    params = model.get_params()
    single = is_single_label(model)
    lines = [
        f"# Frame model {model.model_id_}", "",
        f"{'Single' if single else 'Multi'}-label frame classifier trained by framing "
        f"{manifest['versions']['framing']} (scikit-learn "
        f"{manifest['versions']['scikit-learn']}) on {manifest['created_at']}.",
        "", "## Codebook", "",
        f"- {codebook['name']} version {codebook['version']}, sha256 `{codebook['sha256']}`",
        f"- {'classes (one per passage)' if single else 'frames'}: {', '.join(model.frames_)}",
        "", "## Training data", "",
        f"- {model.n_training_} passages; sha256 of texts and labels `{model.training_sha256_}`",
        "",
    ]
    if single:
        offsets = dict(zip(model.classes_, model.decision_.offsets_, strict=True))
        lines += ["| class | passages | decision offset |", "|---|---:|---:|"]
        lines += [f"| {f} | {model.n_positive_[f]} | {offsets[f]:+.3f} |" for f in model.frames_]
        how = (f"- one multinomial logistic regression over the classes (C = {params['C']}, "
               f"class_weight = {params['class_weight']}), calibration: "
               f"{params['calibration']} (temperature {model.temperature_:.3f}), decision: "
               f"{params['decision']}")
    else:
        lines += ["| frame | positives | threshold |", "|---|---:|---:|"]
        lines += [f"| {f} | {model.n_positive_[f]} | {model.thresholds_[f]:.3f} |"
                  for f in model.frames_]
        how = (f"- one logistic regression per frame (C = {params['C']}, class_weight = "
               f"{params['class_weight']}), calibration: {params['calibration']}, threshold: "
               f"{params['threshold']}")
    lines += ["", "## Model", "",
              f"- features: {model.features_used_} (asked: {params['features']}); lexicon "
              f"features: {params['lexicon_features']}", how,
              f"- random_state = {params['random_state']}"]
    if manifest.get("embedding"):
        emb = manifest["embedding"]
        kind = ("static: model2vec word-piece vectors, no transformer at prediction; "
                if emb.get("static") else "")
        lines.append(f"- embeddings: `{emb.get('model', Path(emb['model_path']).name)}` "
                     f"({kind}folder `{Path(emb['model_path']).name}`, fingerprint "
                     f"{emb['fingerprint']}, dimension {emb['dimension']}, "
                     f"{emb.get('precision', 'float32')})")
    summary = metrics.get("summary") if isinstance(metrics, dict) else None
    if summary:
        accuracy = all("accuracy" in row for row in summary)
        lines += ["", "## Evaluation", "", "| scheme | macro-F1 | " + ("accuracy | " if accuracy
                                                                     else "")
                  + "mean AUC | mean Brier | mean ECE | folds | passages |",
                  "|---|---:|" + ("---:|" if accuracy else "") + "---:|---:|---:|---:|---:|"]
        for row in summary:
            lines.append(
                f"| {row['scheme']} | {_fmt(row['macro_f1'])} | "
                + (f"{_fmt(row['accuracy'])} | " if accuracy else "")
                + f"{_fmt(row['mean_auc'])} | {_fmt(row['mean_brier'])} | "
                f"{_fmt(row['mean_ece'])} | {row['n_folds']} | {row['n_passages']} |")
    lines += ["", "Probabilities are calibrated on the training data's folds; check them on "
              "a random validation sample of your own corpus before estimating prevalence.",
              "", "Only load this bundle if you trust its source: the model is a pickle."]
    return "\n".join(lines) + "\n"


def _fmt(value: Any) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _codebook_bytes(codebook: Any) -> bytes:
    """The bytes of the codebook file the model was trained with, checked against its hash."""
    path = Path(codebook.path)
    if path.is_file():
        data = path.read_bytes()
    else:  # a shipped codebook: its display path is relative to the package's parent
        data = (resources.files("framing") / path.relative_to("framing")).read_bytes()
    if hashlib.sha256(data).hexdigest() != codebook.sha256:
        raise BundleError(f"the codebook file {codebook.path} changed after the model was "
                          "trained; retrain or restore the file")
    return data


def annotation_sources(paths: Any, tables: Any) -> list[dict[str, Any]]:
    """``{"path", "sha256", "n_rows"}`` of each annotation file and the table read from it:
    what :func:`save_frame_model` records as the annotations a model was trained on.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = target.write_text("passage_id,coder,frame,label\\n")
    >>> annotation_sources([target], [pd.DataFrame({"label": [1, 0]})])[0]["n_rows"]
    2
    """
    return [{"path": str(Path(path).resolve()), "sha256": file_sha256(Path(path)),
             "n_rows": len(table)} for path, table in zip(paths, tables, strict=True)]


def save_frame_model(model: FrameClassifier, path: PathLike, *, metrics: Any = None,
                     annotations: Any = None, force: bool = False) -> Path:
    """Write a fitted frame classifier as a bundle folder, atomically.

    Parameters
    ----------
    model : FrameClassifier
        A fitted classifier.
    path : str or PathLike
        The bundle folder.
    metrics : FrameEvaluation, dict or None, default=None
        Evaluation results to keep in ``metrics.json`` and summarise in the card.
    annotations : list of dict or None, default=None
        The annotation files the model was trained on, each ``{"path", "sha256", "n_rows"}``
        (:func:`annotation_sources` makes them); kept in the manifest under
        ``training.annotations``, so a model names the exact annotations behind it.
    force : bool, default=False
        Replace an existing folder; otherwise raise ``StoreExistsError``.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    NotFittedError
        The model is not fitted.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> texts = ["Trump vowed to broker a peace deal.", "Trump said Europe must pay.",
    ...          "Trump doubted the aid would work."] * 6
    >>> passages = pd.DataFrame({"text": texts, "peacemaker": [1, 0, 0] * 6,
    ...                          "isolationist": [0, 1, 0] * 6, "skeptic": [0, 0, 1] * 6})
    >>> model = FrameClassifier(features="tfidf", char_ngrams=False, min_df=1,
    ...                         threshold=0.5).fit(passages)
    >>> folder = save_frame_model(model, pathlib.Path(tempfile.mkdtemp()) / "roles")
    >>> sorted(p.name for p in folder.iterdir())[:3]
    ['CARD.md', 'codebook.yaml', 'manifest.json']
    >>> load_frame_model(folder).model_id_ == model.model_id_
    True
    """
    model._check_is_fitted("save_frame_model")
    codebook = (model.codebook if hasattr(model.codebook, "frame_names")
                else load_codebook(model.codebook))
    metrics_json = _metrics_json(metrics)
    target = Path(path)
    embedder = _embedder(model)
    with atomic_directory(target, force=force) as folder:
        with (folder / "model.pkl").open("wb") as handle:
            pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)
        params = {k: v for k, v in model.get_params().items() if k != "codebook"}
        params["codebook"] = codebook.name
        write_json(folder / "params.json", params)
        (folder / "codebook.yaml").write_bytes(_codebook_bytes(codebook))
        if is_single_label(model):
            write_json(folder / "decision.json", {
                "decision": model.decision, "classes": list(model.classes_),
                "offsets": dict(zip(model.classes_, model.decision_.offsets_.tolist(),
                                    strict=True)),
                "priors": dict(zip(model.classes_, model.decision_.priors_.tolist(),
                                   strict=True)),
                "temperature": model.temperature_,
                "biases": dict(zip(model.classes_, model.biases_.tolist(), strict=True))})
        else:
            write_json(folder / "thresholds.json", dict(model.thresholds_))
        write_json(folder / "metrics.json", metrics_json)
        manifest = {
            "format": BUNDLE_FORMAT, "bundle_version": BUNDLE_VERSION,
            "model_id": model.model_id_,
            "created_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "versions": _versions(model),
            "codebook": {"name": codebook.name, "version": codebook.version,
                         "sha256": model.codebook_sha256_},
            "training": {"sha256": model.training_sha256_, "n_passages": model.n_training_,
                         "n_positive": dict(model.n_positive_),
                         "annotations": list(annotations or [])},
            "frames": list(model.frames_), "features": model.features_used_,
            "seeds": {"random_state": model.random_state},
            "embedding": ({"model": str(embedder.model or "all-MiniLM-L6-v2"),
                           "static": bool(getattr(embedder, "static_", False)),
                           "model_path": embedder.model_path_,
                           "fingerprint": embedder.fingerprint_,
                           "precision": embedder.precision_,
                           "dimension": embedder.dimension_} if embedder is not None else None),
        }
        (folder / "CARD.md").write_text(_card(model, manifest, metrics_json), encoding="utf-8")
        manifest["files"] = {p.name: file_sha256(p) for p in sorted(folder.iterdir())}
        write_json(folder / "manifest.json", manifest)
    return target


def _check_versions(folder: Path, manifest: dict[str, Any], model: FrameClassifier) -> None:
    saved = manifest.get("versions", {})
    now = _versions(model)
    keys = ["framing", "scikit-learn"] + (["sentence-transformers"]
                                          if "sentence-transformers" in saved else [])
    differ = [f"{name} {saved.get(name)} (now {now.get(name)})" for name in keys
              if saved.get(name) != now.get(name)]
    if differ:
        warnings.warn(f"{folder}: frame model bundle written with {', '.join(differ)}; "
                      "predictions may differ", FrameBundleVersionWarning, stacklevel=3)


def load_frame_model(path: PathLike) -> FrameClassifier:
    """Read a bundle written by :func:`save_frame_model` back into a fitted classifier.

    The returned model's ``bundle_manifest_`` holds the manifest, ``bundle_metrics_`` the
    metrics saved with it and ``bundle_card_`` its CARD.md (shown in Jupyter).

    Raises
    ------
    BundleError
        The folder is missing, a file is missing or altered, the layout is unknown, the model
        cannot be unpickled, or its embedding model's files differ from the ones it was
        trained with.

    Warns
    -----
    FrameBundleVersionWarning
        The bundle was written by another version of framing, scikit-learn or
        sentence-transformers.
    """
    folder = Path(path)
    manifest = read_manifest(folder, kind="frame model", bundle_format=BUNDLE_FORMAT,
                             bundle_version=BUNDLE_VERSION, required=("model.pkl",))
    try:
        with (folder / "model.pkl").open("rb") as handle:
            model = pickle.load(handle)  # noqa: S301 - checked against the manifest above
    except (OSError, ValueError, EOFError, AttributeError, ImportError,
            pickle.UnpicklingError) as exc:
        raise BundleError(f"{folder}: the model cannot be read ({exc})") from exc
    if not isinstance(model, FrameClassifier) or model.model_id_ != manifest.get("model_id"):
        raise BundleError(f"{folder}: model.pkl is not the FrameClassifier the manifest names")
    _check_versions(folder, manifest, model)
    embedder = _embedder(model)
    if embedder is not None:
        from framing.frames._embeddings import model_fingerprint, resolve_model_path

        expected = manifest["embedding"]["fingerprint"]
        found = model_fingerprint(resolve_model_path(embedder.model))
        if found != expected:
            raise BundleError(f"{folder}: the embedding model now found ({found}) is not the one "
                              f"the classifier was trained with ({expected})")
        embedder.fit()  # re-attach the (process-wide) loaded model; checks the extra
    model.bundle_manifest_ = manifest
    model.bundle_metrics_ = read_json(folder / "metrics.json")
    card = folder / "CARD.md"
    # The card a notebook shows for the loaded model (FrameClassifier._html_repr).
    model.bundle_card_ = card.read_text(encoding="utf-8") if card.exists() else None
    return model
