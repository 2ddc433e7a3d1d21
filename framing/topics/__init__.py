"""The topics stage: topic models over a token table, and the tools to read and keep them.

:class:`TopicModel` trains LDA (tomotopy or gensim) or DMR (tomotopy, with outlet and period as
covariates) on the token table of documents or passages and returns a document-topic table
that keeps every metadata column. :func:`top_words` and :func:`representative_documents` help
read the topics; ``TopicModel.save`` / ``TopicModel.load`` keep a model as a bundle folder.
"""

from __future__ import annotations

from framing.topics._bundle import BundleVersionWarning
from framing.topics._model import TopicModel
from framing.topics._words import (
    frex_scores,
    lift_scores,
    representative_documents,
    top_words,
)

__all__ = [
    "BundleVersionWarning", "TopicModel", "frex_scores", "lift_scores",
    "representative_documents", "top_words",
]
