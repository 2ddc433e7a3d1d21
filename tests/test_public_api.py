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
        "atomic_directory", "atomic_write", "check_output", "clean_text", "import_corpus",
        "is_framing_output", "load_manifest", "recover_interrupted_write",
        "outlet_key", "parse_column_map", "parse_dates", "read_corpus", "validate_params",
    ])
    for name in framing.corpus.__all__:
        assert hasattr(framing.corpus, name), name


def test_text_exports() -> None:
    import framing.text

    assert sorted(framing.text.__all__) == sorted([
        "Actor", "ActorSet", "Issue", "KwicView", "Mention", "Office", "Passages", "Sentence",
        "Tokenizer", "audit_sheet", "drop_repeated_sentences", "english_stop_words",
        "extract_passages", "find_mentions",
        "import_passages", "kwic", "load_actors", "load_issue", "load_passages", "score_audit",
        "split_sentences", "to_gensim_corpus", "tokenize_corpus", "write_tokens",
    ])


def test_topics_exports() -> None:
    import framing.topics

    assert sorted(framing.topics.__all__) == sorted([
        "BOILERPLATE_WORDS", "BundleVersionWarning", "DocumentTerms", "DynamicTopicModel",
        "TopicModel", "coherence_scores", "flag_boilerplate",
        "exclusivity_scores", "frex_labels", "frex_means", "frex_scores", "infer_topics",
        "lift_scores",
        "match_topics", "read_tokens",
        "representative_documents", "score_intrusion", "search_k", "semantic_coherence",
        "stm_exclusivity", "summarize_k_search",
        "top_words", "topic_intrusion_tasks", "topic_similarity", "topic_stability",
        "word_intrusion_tasks", "write_intrusion_tasks",
    ])


def test_frames_exports() -> None:
    import framing.frames

    assert sorted(framing.frames.__all__) == sorted([
        "Codebook", "Frame", "FrameClassifier", "LexiconScorer", "cross_validate_frames",
        "lexicon_scores", "load_codebook",
        # embeddings, cold start, evaluation and model bundles
        "ColdStartScorer", "EmbeddingsUnavailableError", "EmbeddingsUnavailableWarning",
        "EmptyPassageWarning",
        "CrossValidation", "FrameBundleVersionWarning", "FrameEvaluation", "SentenceEmbedder",
        "cross_fit",
        "default_schemes",
        "embedding_progress", "embeddings_available", "evaluate_frames", "load_frame_model",
        "save_frame_model",
        "ExclusiveDecision", "exclusive_decision",
        # single-label codebooks
        "SingleLabelClassifier", "single_label_training",
        # applying a model at scale (issue 20)
        "apply_frames",
        # the annotation loop and retraining
        "ANNOTATION_COLUMNS", "AnnotationImport", "CodebookChangedWarning", "RetrainResult",
        "adjudicate", "annotation_sheet", "check_codebook", "codebook_guide", "disagreements",
        "export_labelstudio", "export_sheet", "frame_agreement", "labelled_passages",
        "labelstudio_config", "labelstudio_tasks", "merge_annotations", "annotation_changes",
        "annotation_sources",
        "pivot_labels",
        "read_annotations", "read_labelstudio", "read_sheet", "retrain", "sample_active",
        "sample_for_annotation", "sample_random", "validate_annotations", "write_annotations",
    ])
    for name in framing.frames.__all__:
        assert hasattr(framing.frames, name), name


def test_viz_exports() -> None:
    import framing.viz

    assert sorted(framing.viz.__all__) == sorted([
        "LINESTYLES", "MARKERS", "PALETTE", "WIDTHS", "grayscale_lightness", "paper_theme",
        "plot_agreement", "plot_confusion", "plot_frame_scores", "plot_k_search",
        "plot_learning_curve", "plot_prevalence_by_outlet", "plot_prevalence_over_time",
        "plot_reliability", "plot_top_words", "plot_topic_frame_crosstab", "plot_topic_heatmap",
        "plot_topics_over_time", "save_figure", "use_paper_theme",
    ])
    for name in framing.viz.__all__:
        assert hasattr(framing.viz, name), name


def test_report_exports() -> None:
    import framing.report

    assert sorted(framing.report.__all__) == sorted([
        "ReportError", "ReportFigure", "ReportNotes", "ReportRun", "ReportTable", "ReportText",
        "compare_reports", "describe_changes", "describe_classifier", "describe_prevalence",
        "format_interval", "format_table", "load_report", "run_report", "save_table",
        "sha256_of", "show_figure", "summarize", "templates",
    ])


def test_measure_exports() -> None:
    import framing.measure

    assert sorted(framing.measure.__all__) == sorted([
        "METHODS", "PrevalenceRegression", "RECOMMENDATION_RULE", "SharedPassagesWarning",
        "ThinCellWarning", "WeakClassifierWarning", "recommended_method",
        "assign_periods", "estimate_effects", "estimate_prevalence", "predict_prevalence",
        "prevalence_differences", "topic_frame_table", "topic_prevalence",
        # single-label shares
        "SHARE_METHODS", "SHARES_RECOMMENDATION_RULE", "estimate_shares",
        "is_single_label_table", "shares_method",
    ])
