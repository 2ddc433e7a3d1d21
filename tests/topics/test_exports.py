"""The public names of framing.topics are pinned."""

from __future__ import annotations

import framing.topics


def test_topics_exports() -> None:
    assert sorted(framing.topics.__all__) == sorted([
        "BOILERPLATE_WORDS", "BundleVersionWarning", "DocumentTerms", "DynamicTopicModel",
        "TopicModel", "flag_boilerplate",
        "coherence_scores",
        "exclusivity_scores", "frex_labels", "frex_means", "frex_scores", "infer_topics",
        "lift_scores",
        "match_topics", "read_tokens",
        "representative_documents", "score_intrusion", "search_k", "semantic_coherence",
        "stm_exclusivity", "summarize_k_search",
        "top_words", "topic_intrusion_tasks", "topic_similarity", "topic_stability",
        "word_intrusion_tasks", "write_intrusion_tasks",
    ])
    for name in framing.topics.__all__:
        assert hasattr(framing.topics, name), name
