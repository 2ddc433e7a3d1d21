"""The public names of framing.topics are pinned."""

from __future__ import annotations

import framing.topics


def test_topics_exports() -> None:
    assert sorted(framing.topics.__all__) == sorted([
        "BundleVersionWarning", "TopicModel", "frex_scores", "lift_scores",
        "representative_documents", "top_words",
    ])
    for name in framing.topics.__all__:
        assert hasattr(framing.topics, name), name
