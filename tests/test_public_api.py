"""Each stage's public names are pinned: adding or removing one is a deliberate change."""

from __future__ import annotations

import framing
import framing.corpus


def test_top_level_exports() -> None:
    assert framing.__all__ == ["Corpus", "__version__", "import_corpus", "read_corpus"]


def test_corpus_exports() -> None:
    assert sorted(framing.corpus.__all__) == sorted([
        "CORE_COLUMNS", "OPTIONAL_COLUMNS", "REQUIRED_COLUMNS", "SCHEMA_VERSION",
        "BadRowWarning", "BundleError", "Corpus", "FramingError", "InputError", "InstanceOf",
        "Interval", "NONE",
        "NotFittedError", "Options", "OutletAliases", "Source", "StoreExistsError",
        "atomic_directory", "atomic_write", "clean_text", "import_corpus", "load_manifest",
        "outlet_key", "parse_column_map", "parse_dates", "read_corpus", "validate_params",
    ])
    for name in framing.corpus.__all__:
        assert hasattr(framing.corpus, name), name


def test_text_exports() -> None:
    import framing.text

    assert sorted(framing.text.__all__) == sorted([
        "Actor", "ActorSet", "Issue", "KwicView", "Mention", "Office", "Passages", "Sentence",
        "Tokenizer", "audit_sheet", "english_stop_words", "extract_passages", "find_mentions",
        "kwic", "load_actors", "load_issue", "load_passages", "score_audit", "split_sentences",
        "to_gensim_corpus", "tokenize_corpus",
    ])


def test_topics_exports() -> None:
    import framing.topics

    assert sorted(framing.topics.__all__) == sorted([
        "BundleVersionWarning", "TopicModel", "frex_scores", "lift_scores",
        "representative_documents", "top_words",
    ])


def test_frames_exports() -> None:
    import framing.frames

    assert sorted(framing.frames.__all__) == [
        "Codebook", "Frame", "FrameClassifier", "LexiconScorer", "cross_validate_frames",
        "lexicon_scores", "load_codebook"]
