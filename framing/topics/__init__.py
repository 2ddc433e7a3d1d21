"""The topics stage: topic models over a token table, and the tools to choose, read and check them.

A document-term matrix (scipy sparse, gensim bag-of-words, an stm export) goes in as
:class:`DocumentTerms` wherever a token table does.

:class:`TopicModel` trains LDA (tomotopy or gensim) or DMR (tomotopy, with outlet and period as
covariates) on the token table of documents or passages and returns a document-topic table
that keeps every metadata column (or streams it to Parquet); :func:`infer_topics` infers a
token table on disk batch by batch, on the local or the Dask engine (:func:`read_tokens`
reads a seeded sample of one to fit on). :class:`DynamicTopicModel`
lets the topics' words drift over periods. :func:`search_k` scores a grid of K over seeds
(held-out likelihood, coherence, exclusivity, FREX); :func:`topic_stability` matches topics
across seeds. :func:`top_words` and :func:`representative_documents` help read the topics;
word- and topic-intrusion tasks validate them with people. ``TopicModel.save`` /
``TopicModel.load`` (and ``DynamicTopicModel.save`` / ``load``) keep a model as a bundle folder.
"""

from __future__ import annotations

from framing.topics._boilerplate import BOILERPLATE_WORDS, flag_boilerplate
from framing.topics._bundle import BundleVersionWarning
from framing.topics._dtm import DocumentTerms
from framing.topics._dynamic import DynamicTopicModel
from framing.topics._infer import infer_topics, read_tokens
from framing.topics._intrusion import (
    score_intrusion,
    topic_intrusion_tasks,
    word_intrusion_tasks,
    write_intrusion_tasks,
)
from framing.topics._model import TopicModel
from framing.topics._quality import (
    coherence_scores,
    exclusivity_scores,
    frex_means,
    semantic_coherence,
    stm_exclusivity,
)
from framing.topics._search import search_k, summarize_k_search
from framing.topics._stability import match_topics, topic_similarity, topic_stability
from framing.topics._words import (
    frex_labels,
    frex_scores,
    lift_scores,
    representative_documents,
    top_words,
)

__all__ = [
    "BOILERPLATE_WORDS", "BundleVersionWarning", "DocumentTerms", "DynamicTopicModel",
    "TopicModel", "coherence_scores", "exclusivity_scores", "flag_boilerplate", "frex_labels",
    "frex_means", "frex_scores", "infer_topics", "lift_scores", "match_topics",
    "read_tokens", "representative_documents", "score_intrusion", "search_k",
    "semantic_coherence", "stm_exclusivity", "summarize_k_search",
    "top_words", "topic_intrusion_tasks", "topic_similarity", "topic_stability",
    "word_intrusion_tasks", "write_intrusion_tasks",
]
