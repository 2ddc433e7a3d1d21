"""The frames stage: codebooks as data, and lexicon scores from their terms.

A codebook (YAML, see ``framing/data/codebooks/trump_ukraine_roles.yaml``) names the frames,
defines them, gives coding rules, examples and lexicon terms; its sha256 travels with every
model and result made from it. :class:`LexiconScorer` turns the lexicon into dictionary scores
per passage, usable alone or as features. :class:`FrameClassifier` learns calibrated
multi-label frame probabilities from coded passages, on TF-IDF, sentence embeddings
(:class:`SentenceEmbedder`, the ``framing[embeddings]`` extra, cached per passage) or both;
:func:`cross_validate_frames` scores it with folds grouped by document, and
:func:`evaluate_frames` adds leave-one-outlet-out, calibration (Brier, ECE, reliability bins),
confusion counts, a learning curve and the lexicon and cold-start baselines, as tidy tables.
Before any annotation, :class:`ColdStartScorer` gives provisional scores from the codebook's
definitions and examples. :func:`save_frame_model` / :func:`load_frame_model` keep a fitted
classifier as a bundle with its hashes, versions, metrics and card.

The annotation loop: :func:`sample_for_annotation` draws a stratified random (validation) sample
and an active (uncertainty) sample, :func:`export_sheet` / :func:`export_labelstudio` hand them
to coders, :func:`read_sheet` / :func:`read_labelstudio` read the answers into the annotations
table, :func:`frame_agreement` measures reliability (Krippendorff's alpha), :func:`adjudicate`
makes gold labels, and :func:`retrain` refits a model with more annotations and compares it
with its parent on the same folds.
"""

from __future__ import annotations

from framing.frames._agreement import adjudicate, disagreements, frame_agreement, pivot_labels
from framing.frames._annotations import (
    ANNOTATION_COLUMNS,
    AnnotationImport,
    annotation_changes,
    annotation_sheet,
    codebook_guide,
    export_sheet,
    merge_annotations,
    read_annotations,
    read_sheet,
    validate_annotations,
    write_annotations,
)
from framing.frames._bundle import (
    FrameBundleVersionWarning,
    annotation_sources,
    load_frame_model,
    save_frame_model,
)
from framing.frames._classifier import EmptyPassageWarning, FrameClassifier
from framing.frames._codebook import Codebook, Frame, load_codebook
from framing.frames._coldstart import ColdStartScorer
from framing.frames._decision import ExclusiveDecision, exclusive_decision
from framing.frames._embeddings import (
    EmbeddingsUnavailableError,
    EmbeddingsUnavailableWarning,
    SentenceEmbedder,
    embedding_progress,
    embeddings_available,
)
from framing.frames._evaluate import (
    CrossValidation,
    FrameEvaluation,
    cross_fit,
    cross_validate_frames,
    default_schemes,
    evaluate_frames,
)
from framing.frames._labelstudio import (
    export_labelstudio,
    labelstudio_config,
    labelstudio_tasks,
    read_labelstudio,
)
from framing.frames._lexicon import LexiconScorer, lexicon_scores
from framing.frames._retrain import (
    CodebookChangedWarning,
    RetrainResult,
    check_codebook,
    labelled_passages,
    retrain,
)
from framing.frames._sampling import sample_active, sample_for_annotation, sample_random

__all__ = [
    "Codebook", "Frame", "FrameClassifier", "LexiconScorer", "cross_validate_frames",
    "lexicon_scores", "load_codebook",
    # embeddings, cold start, evaluation and model bundles
    "ColdStartScorer", "cross_fit", "EmbeddingsUnavailableError", "EmbeddingsUnavailableWarning",
    "EmptyPassageWarning",
    "CrossValidation", "FrameBundleVersionWarning", "FrameEvaluation", "SentenceEmbedder",
    "default_schemes",
    "embedding_progress", "embeddings_available", "evaluate_frames", "load_frame_model",
    "save_frame_model",
    "annotation_sources",
    # single-label decisions from one-vs-rest probabilities
    "ExclusiveDecision", "exclusive_decision",
    # the annotation loop and retraining
    "ANNOTATION_COLUMNS", "AnnotationImport", "CodebookChangedWarning", "RetrainResult",
    "adjudicate", "annotation_sheet", "check_codebook", "codebook_guide", "disagreements",
    "export_labelstudio", "export_sheet", "frame_agreement", "labelled_passages",
    "labelstudio_config", "labelstudio_tasks", "merge_annotations", "annotation_changes",
    "pivot_labels",
    "read_annotations", "read_labelstudio", "read_sheet", "retrain", "sample_active",
    "sample_for_annotation", "sample_random", "validate_annotations", "write_annotations",
]

# --- single-label codebooks (framing/frames/_single_label.py) ---------------------------------
# One frame per passage; kept in its own block so that it merges beside other additions.
from framing.frames._single_label import (  # noqa: E402
    SingleLabelClassifier,
    single_label_training,
)

__all__ += ["SingleLabelClassifier", "single_label_training"]
# --- end of the single-label block ------------------------------------------------------------

# --- applying a model at scale (framing/frames/_apply.py, issue 20) ---------------------------
from framing.frames._apply import apply_frames  # noqa: E402

__all__ += ["apply_frames"]
# --- end of the apply block -------------------------------------------------------------------
