"""Write the report templates (``*.ipynb``) in this folder from the cell sources below.

The notebooks are the templates users open in Jupyter; this script keeps their source reviewable
as Python and regenerates them byte for byte (`python notebooks/build_templates.py`). A test
checks that the committed notebooks match.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent

#: The end of every template's setup cell: the output folder, the paper theme, and the notes
#: that collect warnings as sentences for the text.
SETUP = """
out = Path(output_dir)
use_paper_theme(width="double")
notes = ReportNotes()  # `with notes:` turns warnings into notes in the text"""

#: Opens each template: what it is, for someone who opens it in Jupyter (left out of the HTML).
OPENING = """# {title} (template)

Run it headless with `{command}`, which writes the report's HTML (code hidden, and a copy with
the code), figures, tables and a manifest into the run folder; or run it here cell by cell
(relative paths in the parameters cell are relative to this folder). The report's title and
summary are the `title` and `summary` cells; the HTML puts them on top."""

CORPUS_REPORT = [
    ("notebook-only", OPENING.format(title="Framing report",
                                     command="framing report --corpus DIR --out reports/RUN")),
    ("params",
     """# Parameters (papermill replaces this cell's values)
corpus = "../reports/sample/corpus"       # a corpus store (framing corpus import)
output_dir = "../reports/sample/report"   # where tables/ and figures/ go
actors = "ukraine_peace"                  # actor file: shipped name or YAML path
actor = "trump"                           # whose passages
issue = "ukraine_peace"                   # issue file: shipped name, YAML path, or None
window = 1                                # sentences kept on each side of a mention
codebook = "trump_ukraine_roles"          # codebook: shipped name or YAML path
features = "auto"                         # tfidf, embeddings, both, or auto (both if installed)
# coded passages: text, doc_id, outlet, date and one 0/1 column per frame
annotations = "../corpora/sample/annotations.csv"  # None: provisional scores + a sheet to code
n_topics = 12                             # topics in the topic model
# words every passage shares (the actor's names, speech verbs): left out of the topic model
topic_stop_words = ["said", "says", "told", "trump", "donald", "donald_trump", "president",
                    "mr", "u.s"]
topic_iterations = 300                    # Gibbs sampling iterations
period = "month"                          # day, week, month, quarter or year
max_outlets = 12                          # charts by outlet show the outlets with most passages
events = {"Alaska summit": "2025-08-15"}  # dated events marked on time charts
prevalence_method = "posterior"           # posterior (the one to report), cc, pcc, acc, pacc or em
n_bootstrap = 500                         # bootstrap draws for the intervals
seed = 0                                  # every random step uses this seed
n_jobs = 2                                # worker processes where a step can use them"""),
    ("code",
     """from pathlib import Path

import pandas as pd
from IPython.display import display

from framing.corpus import Corpus
from framing.frames import (
    ColdStartScorer,
    FrameClassifier,
    cross_fit,
    cross_validate_frames,
    export_sheet,
    load_codebook,
    sample_for_annotation,
)
from framing.measure import (
    estimate_prevalence,
    prevalence_differences,
    topic_frame_table,
    topic_prevalence,
)
from framing.report import (
    ReportNotes,
    ReportText,
    describe_changes,
    describe_classifier,
    describe_prevalence,
    format_table,
    save_table,
    show_figure,
    summarize,
)
from framing.text import Tokenizer, extract_passages, kwic, load_actors, load_issue
from framing.topics import TopicModel, top_words
from framing.viz import (
    plot_frame_scores,
    plot_prevalence_by_outlet,
    plot_prevalence_over_time,
    plot_top_words,
    plot_topic_frame_crosstab,
    plot_topic_heatmap,
    plot_topics_over_time,
    use_paper_theme,
)
""" + SETUP),
    ("title",
     """store = Corpus(corpus)
book = load_codebook(codebook)
frames = list(book.frame_names)
who = load_actors(actors).actors[actor].name
where = f": {load_issue(issue).label}" if issue else ""
ReportText(f\"\"\"# How the news frames {who}{where}

Which outlets portray {who} as {", ".join(f"**{f}**" for f in frames[:-1])} or
**{frames[-1]}**, and how that changes over time: {store.manifest["rows"]["kept"]:,} articles
from {store.manifest["n_outlets"]} outlets, {store.manifest["date_min"]} to
{store.manifest["date_max"]}. Passages about {who} are found in the articles, frames are
assigned by a classifier trained on coded passages, and the shares of passages with each
frame are estimated with corrections for the classifier's errors and 95% intervals. The
inputs, parameters and seeds are listed under *About this run*.\"\"\")"""),
    ("md",
     """## Corpus

What was imported, and what was dropped and why (every row read is accounted for)."""),
    ("code",
     """rows = store.manifest["rows"]
accounting = pd.DataFrame(
    [{"rows": "read", "n": rows["read"]}, {"rows": "kept", "n": rows["kept"]}]
    + [{"rows": f"dropped: {reason}", "n": n} for reason, n in rows["dropped_by_reason"].items()])
documents = store.summary(by=("outlet", "month"))
display(format_table(accounting, source=save_table(accounting, "corpus_accounting", out),
                     caption="Rows read, kept and dropped"))
format_table(documents, rows="outlet", across="month", values="n_documents",
             source=save_table(documents, "documents_by_outlet_month", out),
             caption="Articles by outlet and month")"""),
    ("md",
     """## Passages about the actor

The sentences that speak about the actor (by name, title or pronoun) within the issue, with
`window` sentences on each side. A sample of the mentions in context is below; `framing
passages audit` gives a sheet to check the selection by hand."""),
    ("code",
     """found = extract_passages(store, actors=actors, actor=actor, issue=issue, window=window,
                         n_jobs=n_jobs, progress=False)
passages = found.passages
status = found.documents["status"].value_counts().rename_axis("status").reset_index(name="n")
by_outlet = (passages.groupby("outlet", observed=True)
             .agg(n_passages=("passage_id", "size"), n_documents=("doc_id", "nunique"))
             .reset_index())
# Every outlet stays in the tables; charts by outlet show the ones with the most passages.
charted = by_outlet.nlargest(max_outlets, "n_passages")["outlet"].tolist()
shown = (f" Charts by outlet show the {len(charted)} of {len(by_outlet)} outlets with the most "
         "passages (`max_outlets`); the tables have them all." if len(charted) < len(by_outlet)
         else "")
display(ReportText(f"{len(passages):,} passages about {who} in {passages['doc_id'].nunique():,} "
                   f"of {len(found.documents):,} articles ({len(found.mentions):,} mentions)."
                   + shown))
display(format_table(status, source=save_table(status, "passage_documents_status", out),
                     caption="Articles by what the passage finder found in them"))
display(format_table(by_outlet, source=save_table(by_outlet, "passages_by_outlet", out),
                     caption="Passages by outlet"))
context = kwic(found.mentions, store.to_pandas(columns=["doc_id", "outlet", "date", "text"]),
               actor=found.manifest["actor"], passages=passages)
format_table(context[["outlet", "left", "keyword", "right", "resolved_by"]]
             .sample(10, random_state=seed), caption="Ten mentions in context (random sample)")"""),
    ("md",
     """## Topics in the passages

A topic model (tomotopy DMR with the outlet as a covariate) over the passages' tokens. Topics
are read from their most probable and most exclusive (FREX) words."""),
    ("code",
     """keys = ["passage_id", "doc_id", "outlet", "date", "text"]
tokens = Tokenizer(extra_stop_words=topic_stop_words).fit_transform(passages[keys])
topics = TopicModel(n_topics=n_topics, kind="dmr", covariates=("outlet",),
                    n_iterations=topic_iterations, random_state=seed).fit(tokens)
# Name each topic by its three most exclusive words; rename them here after reading them.
# The labels travel with the document-topic table into every summary made from it.
frex = top_words(topics, n=3, by="frex")
topics.set_labels([", ".join(w).replace("_", " ")
                   for _, w in frex.groupby("topic", sort=True)["word"]])
doc_topics = topics.transform(tokens)
words = top_words(topics, n=10, by="frex")
save_table(doc_topics.drop(columns=["date"]), "passage_topics", out)
listed = (words.assign(word=words["word"].str.replace("_", " "))  # phrases as words
          .groupby(["topic", "label"], sort=True)["word"].agg(list).reset_index())
# boilerplate (page furniture, captions, link lists): why a topic was flagged, blank if not
listed["boilerplate"] = listed["topic"].map(dict(enumerate(topics.boilerplate_reasons_)))
display(format_table(listed, labels={"word": "top FREX words"}, max_rows=None,
                     source=save_table(words, "topic_top_words", out),
                     caption="Topics, their ten most exclusive (FREX) words, and the "
                             "boilerplate flag (more than half a topic from one outlet, over "
                             "twice that outlet's share of the corpus, or boilerplate "
                             "words)"))
show_figure(plot_top_words(top_words(topics, n=8, by="prob"), n_columns=3), "topic_top_words", out,
            caption="The eight most probable words of each topic.")"""),
    ("md",
     """### Topic prevalence by outlet and over time

The share of each topic in an outlet's passages, with 95% intervals from a bootstrap over
articles (passages of one article move together)."""),
    ("code",
     """topics_by_outlet = topic_prevalence(doc_topics, by=["outlet"], n_bootstrap=n_bootstrap,
                                    random_state=seed)
topics_by_period = topic_prevalence(doc_topics, by=["period"], period=period,
                                    n_bootstrap=n_bootstrap, random_state=seed)
save_table(topics_by_outlet, "topic_prevalence_by_outlet", out)
save_table(topics_by_period, "topic_prevalence_by_period", out)
show_figure(plot_topic_heatmap(topics_by_outlet[topics_by_outlet["outlet"].isin(charted)]),
            "topic_prevalence_by_outlet", out,
            caption="Mean topic share of each outlet's passages (the intervals are in "
                    "tables/topic_prevalence_by_outlet.csv).")"""),
    ("code",
     """show_figure(plot_topics_over_time(topics_by_period, group=None, events=events),
            "topic_prevalence_over_time", out,
            caption=f"Topic shares of all passages by {period}, with 95% bootstrap intervals; "
                    "dotted lines mark the events.")"""),
    ("md",
     """## Frames: classifier trained on the annotations

A `FrameClassifier`: one calibrated linear model per codebook frame over TF-IDF word and
character n-grams, the codebook's lexicon scores and, with the `framing[embeddings]` extra,
MiniLM sentence embeddings. It is evaluated with 5-fold cross-validation grouped by article
(no article's passages in both training and test) on the annotated passages, then fitted on
every annotation and applied to all passages. The out-of-fold predictions are kept: they give
the error rates that correct the prevalence estimates below."""),
    ("code",
     """# Sentence vectors are cached beside the corpus: reruns and retraining never recompute them.
cache = Path(corpus) / "_cache" / "embeddings"
have_frames = bool(annotations)
NO_FRAMES = ReportText("No annotations were given, so there is no frame classifier and no "
                       "frame prevalence: code the passages in `to_code.csv` (see above) and "
                       "rerun with `--annotations`.")
if have_frames:
    coded = pd.read_csv(annotations)
    classifier = FrameClassifier(codebook=book, features=features, random_state=seed,
                                 embedding_cache=cache)
    with notes:
        evaluation = cross_validate_frames(classifier, coded, random_state=seed)
    scores = evaluation["scores"].rename_axis("frame").reset_index()
    quality = describe_classifier(scores, n_passages=len(coded),
                                  n_documents=coded["doc_id"].nunique(),
                                  method=prevalence_method)
    display(ReportText(f"Codebook {book.name} v{book.version} (sha256 {book.sha256[:12]}). "
                       + quality))
    display(format_table(scores, source=save_table(scores, "classifier_scores", out),
                         caption=f"Out-of-fold scores on the {len(coded):,} annotated "
                                 "passages (grouped 5-fold cross-validation)"))
    display(show_figure(plot_frame_scores(evaluation["scores"]), "classifier_scores", out,
                        caption="Precision, recall and F1 per frame on the annotated passages, "
                                "out of fold; the dashed line is the macro-F1."))
    with notes:
        classifier.fit(coded)
        passage_frames = classifier.predict(passages.drop(columns=["first_sentence",
                                                                   "last_sentence"]))
    # The coded passages keep the predictions of the folds that did not see them, so every
    # prediction the estimators read is out of sample (cross-fitting).
    passage_frames = cross_fit(passage_frames, evaluation["predictions"])
    decided = (passage_frames[[f"is_{f}" for f in frames]].mean()
               .rename(lambda c: c.removeprefix("is_")).rename_axis("frame")
               .reset_index(name="share"))
    save_table(passage_frames[["passage_id", "doc_id", "outlet"]
                              + [f"p_{f}" for f in frames] + [f"is_{f}" for f in frames]],
               "passage_frames", out)
    display(format_table(decided, caption="Share of all passages the classifier assigns each "
                                          "frame (uncorrected)"))
else:
    # Before any annotation: provisional scores from the codebook's definitions and examples
    # rank the passages, and a random + an active sample is written out to be coded.
    cold = ColdStartScorer(codebook=book, features=features, embedding_cache=cache).fit()
    provisional = cold.transform(passages)
    to_code = sample_for_annotation(
        passages, n_random=min(200, len(passages) // 2), n_active=min(100, len(passages) // 4),
        scores=provisional[["passage_id"] + [f"provisional_{f}" for f in frames]],
        prefix="provisional_", random_state=seed)
    export_sheet(to_code, out / "to_code.csv", codebook=book, force=True)
    display(ReportText(
        f"{len(to_code)} passages to code are in [to_code.csv](to_code.csv) (random: "
        f"{(to_code['sample'] == 'random').sum()}, active: "
        f"{(to_code['sample'] == 'active').sum()}). The provisional scores below rank "
        "passages by their similarity to the codebook's definitions; they are not measures."))
    columns = [f"provisional_{f}" for f in frames]
    first = provisional.sort_values(columns[0], ascending=False).head(5)
    display(format_table(first[["passage_id", *columns]].merge(
        passages[["passage_id", "outlet", "text"]]), decimals=3,
        caption=f"The five passages with the highest provisional {frames[0]} score"))"""),
    ("md",
     """## Frame prevalence by outlet and over time

Shares of passages carrying each frame, estimated with the `prevalence_method` chosen in the
parameters (`posterior` by default, the estimator to report: each group's share of passages with
the frame, from the distribution of the classifier's out-of-fold scores among coded passages with
and without it, combined with the group's own coded passages). The 95% intervals resample the
annotated passages and the group's passages, so they carry the classifier's error as well as
sampling noise. Cells with few articles are flagged `is_thin`."""),
    ("code",
     """if have_frames:
    validation = evaluation["predictions"]
    settings = dict(validation=validation, n_bootstrap=n_bootstrap, random_state=seed)
    with notes:
        frames_by_outlet = estimate_prevalence(passage_frames, by="outlet",
                                               method=prevalence_method, **settings)
    display(format_table(frames_by_outlet, rows="outlet", across="frame",
                         source=save_table(frames_by_outlet, "frame_prevalence_by_outlet", out),
                         caption=f"Share of passages with each frame ({prevalence_method}, "
                                 "95% interval)"))
    display(show_figure(plot_prevalence_by_outlet(
        frames_by_outlet[frames_by_outlet["outlet"].isin(charted)]),
        "frame_prevalence_by_outlet", out,
        caption=f"Share of each outlet's passages about {who} with each frame "
                f"({prevalence_method}), with 95% intervals that include the classifier's "
                "error."))
else:
    display(NO_FRAMES)"""),
    ("code",
     """if have_frames:
    with notes(f"Frame prevalence by outlet and {period}"):
        frames_over_time = estimate_prevalence(passage_frames, by=["outlet", "period"],
                                               period=period, method=prevalence_method,
                                               **settings)
    save_table(frames_over_time, "frame_prevalence_by_outlet_period", out)
    display(show_figure(plot_prevalence_over_time(
        frames_over_time[frames_over_time["outlet"].isin(charted[:6])], events=events),
        "frame_prevalence_over_time", out,
        caption=f"Share of passages with each frame by outlet and {period} "
                f"({prevalence_method}): each {period} a faint point sized by its passages, "
                "with its 95% interval; the line is a smooth trend of time with its 95% band "
                "(a quasi-binomial GLM of the cells on a natural cubic spline of time, 3 "
                "degrees of freedom, each cell weighted by its passages, dispersion from the "
                "cells' scatter). The trend smooths over events by design: read a jump at an "
                "event (dotted lines) from the points and the table of changes below. Every "
                "cell is in tables/frame_prevalence_by_outlet_period.csv."))
else:
    display(NO_FRAMES)"""),
    ("md",
     """### How much the correction matters

The same outlets with every estimator: classify and count (`cc`) and its probabilistic twin
(`pcc`) are biased wherever the classifier errs and an outlet's prevalence differs from the
annotated data's; `acc`, `pacc`, `em` and `posterior` correct for that."""),
    ("code",
     """if have_frames:
    with notes:
        methods = estimate_prevalence(passage_frames, by="outlet",
                                      method=["cc", "pcc", "acc", "pacc", "em", "posterior"],
                                      **settings)
    display(format_table(methods, rows=["outlet", "frame"], across="method",
                         values="estimate", max_rows=None,
                         source=save_table(methods, "frame_prevalence_by_method", out),
                         caption="Share of passages with each frame, by estimator (95% "
                                 "interval)"))
else:
    display(NO_FRAMES)"""),
    ("md",
     """### Before and after each event

The change in each frame's prevalence per outlet from before to after each dated event in
`events` (after minus before, with 95% bootstrap intervals)."""),
    ("code",
     """if have_frames:
    changes = []
    for name, day in events.items():
        split = {f"before {name}": None, f"after {name}": day}
        with notes:
            change = prevalence_differences(passage_frames, between="period",
                                            by=["outlet", "period"], period=split,
                                            method=prevalence_method, **settings)
        change.insert(0, "event", name)
        changes.append(change)
    changes = pd.concat(changes, ignore_index=True)
    display(ReportText(describe_changes(changes)))
    display(format_table(changes, columns=["event", "outlet", "frame", "difference", "p_value",
                                           "n_passages", "n_passages_reference"],
                         labels={"n_passages": "passages after"}, max_rows=None,
                         source=save_table(changes, "frame_change_at_events", out),
                         caption="Change in the share of passages with each frame, after "
                                 "minus before"))
else:
    display(NO_FRAMES)"""),
    ("md",
     """## Which topics carry which roles

For each topic, the mean frame probability of the passages, each weighted by its share of the
topic (descriptive: not corrected for classifier error)."""),
    ("code",
     """if have_frames:
    crosstab = topic_frame_table(doc_topics, passage_frames, by=None)
    save_table(crosstab, "topic_frame_crosstab", out)
    display(show_figure(plot_topic_frame_crosstab(crosstab), "topic_frame_crosstab", out,
                        caption="Mean frame probability of each topic's passages, weighted "
                                "by topic share (not corrected for classifier error)."))
else:
    display(NO_FRAMES)"""),
    ("summary",
     """# The report's opening summary (the HTML shows it under the title).
summarize({
    "Data": f"{len(passages):,} passages about {who} in {passages['doc_id'].nunique():,} of "
            f"{store.manifest['rows']['kept']:,} articles from {store.manifest['n_outlets']} "
            "outlets.",
    "Frame prevalence by outlet": (
        f"Share of passages with each frame ({prevalence_method}, 95% interval), lowest and "
        f"highest outlet:\\n\\n{describe_prevalence(frames_by_outlet)}") if have_frames else None,
    "Largest changes at the events": describe_changes(changes) if have_frames else None,
    "Classifier": quality if have_frames else "No annotations: no classifier, no prevalence.",
}, notes=notes.messages)"""),
]

CLASSIFIER_REPORT = [
    ("notebook-only", OPENING.format(
        title="Frame classifier report",
        command="framing report --corpus DIR --out reports/RUN --template classifier_report")),
    ("params",
     """# Parameters (papermill replaces this cell's values)
corpus = "../reports/sample/corpus"       # a corpus store (holds the embedding cache)
output_dir = "../reports/sample/classifier"  # where tables/, figures/ and model/ go
codebook = "trump_ukraine_roles"          # codebook: shipped name or YAML path
# coded passages: passage_id, sample, coder, text, doc_id, outlet and one 0/1 column per frame
annotations = "../corpora/sample/annotations.csv"
features = "auto"                         # tfidf, embeddings, both, or auto (both if installed)
train_sizes = [100, 200, 300]             # learning-curve training sizes (passages)
first_round = 200                         # annotations in the first round, before retraining
seed = 0                                  # every random step uses this seed"""),
    ("code",
     """from pathlib import Path

import numpy as np
import pandas as pd
from IPython.display import display

from framing.frames import (
    FrameClassifier,
    evaluate_frames,
    frame_agreement,
    load_codebook,
    read_sheet,
    retrain,
    save_frame_model,
)
from framing.report import (
    ReportNotes,
    ReportText,
    describe_classifier,
    format_table,
    save_table,
    show_figure,
    summarize,
)
from framing.viz import (
    plot_agreement,
    plot_confusion,
    plot_frame_scores,
    plot_learning_curve,
    plot_reliability,
    use_paper_theme,
)
""" + SETUP),
    ("title",
     """book = load_codebook(codebook)
frames = list(book.frame_names)
imported = read_sheet(annotations, codebook=book)
labels = imported.annotations
coded = pd.read_csv(annotations)
ReportText(f\"\"\"# Frame classifier: evaluation and retraining

How good is the frame classifier, and can its numbers be defended? A `FrameClassifier` for the
codebook *{book.name}* v{book.version} ({", ".join(frames)}) is trained and evaluated on
{coded["passage_id"].nunique():,} annotated passages from {coded["doc_id"].nunique():,}
articles: cross-validation grouped by article, leave-one-outlet-out transfer, calibration, a
learning curve and a comparison with the codebook's lexicon and the cold-start (definition
similarity) baselines. The model is saved as a bundle with its card, and a retraining round
shows what more annotations bring. The inputs, parameters and seeds are listed under *About
this run*.\"\"\")"""),
    ("md",
     """## Annotations

The coded sheet, read and checked against the codebook (every row kept or dropped with a
reason). With several coders, Krippendorff's alpha per frame says how reliably the codebook
can be applied; it bounds what any classifier can reach."""),
    ("code",
     """report = imported.report
display(ReportText(
    f"Codebook {book.name} v{book.version} (sha256 {book.sha256[:12]}). The sheet has "
    f"{report['rows_read']:,} rows: {report['rows_coded']:,} coded for every frame, "
    f"{report['rows_partly_coded']:,} partly (a blank cell is not coded), "
    f"{report['rows_skipped_blank']:,} blank; {report['annotations']:,} frame labels from "
    f"{report['coders']} coder{'s' if report['coders'] != 1 else ''}."))
counts = labels.groupby("frame")["label"].agg(n_positive="sum", n="size").reset_index()
format_table(counts, source=save_table(counts, "annotation_counts", out),
             caption="Coded passages and positives per frame")"""),
    ("code",
     """if labels["coder"].nunique() > 1:
    with notes:
        agreement = frame_agreement(labels, random_state=seed)
    display(format_table(agreement, source=save_table(agreement, "agreement", out),
                         caption="Krippendorff's alpha per frame (95% interval)"))
    display(show_figure(plot_agreement(agreement), "agreement", out,
                        caption="Inter-coder agreement per frame with 95% bootstrap "
                                "intervals; the reference lines are Krippendorff's levels."))
else:
    display(ReportText("One coder: there is no agreement to measure. Have a second coder code "
                       "a random subset to learn how reliably the codebook can be applied."))"""),
    ("md",
     """## Cross-validated performance

Five folds grouped by article (`grouped`: no article's passages on both sides) and one fold
per outlet (`outlet`: trained on the other outlets, tested on the unseen one). Scores are
computed on the pooled out-of-fold predictions; thresholds are chosen on training folds only."""),
    ("code",
     """classifier = FrameClassifier(codebook=book, features=features, random_state=seed,
                             embedding_cache=Path(corpus) / "_cache" / "embeddings")
with notes:
    evaluation = evaluate_frames(classifier, coded, train_sizes=tuple(train_sizes),
                                 random_state=seed)
for name in ("scores", "comparison", "reliability", "confusion", "learning_curve"):
    save_table(getattr(evaluation, name), f"evaluation_{name}", out)
grouped = evaluation.scores.query("scheme == 'grouped' and heldout == 'all'")
quality = describe_classifier(grouped, n_passages=coded["passage_id"].nunique(),
                              n_documents=coded["doc_id"].nunique(),
                              n_folds=int(evaluation.summary.set_index("scheme")
                                          .loc["grouped", "n_folds"]))
display(ReportText(quality))
format_table(evaluation.summary, decimals=3,
             source=save_table(evaluation.summary, "evaluation_summary", out),
             caption="Out-of-fold scores by scheme (grouped: 5 folds by article; outlet: one "
                     "fold per outlet)")"""),
    ("code",
     """show_figure(plot_frame_scores(grouped), "classifier_scores", out,
            caption="Precision, recall and F1 per frame, out of fold (grouped by article); the "
                    "dashed line is the macro-F1.")"""),
    ("md",
     """### Transfer to an unseen outlet

F1 per frame when each outlet in turn is left out of training: how far the classifier can be
trusted on an outlet it has never seen."""),
    ("code",
     """by_outlet = evaluation.scores.query("scheme == 'outlet' and heldout != 'all'")
format_table(by_outlet, rows="heldout", across="frame", values="f1",
             labels={"heldout": "outlet left out"}, max_rows=None,
             caption="F1 on the outlet left out of training")"""),
    ("md",
     """### Calibration, errors and the value of more annotations

Reliability: among passages given probability p, the share that carry the frame (the diagonal
is perfect calibration; bars are 95% intervals). Confusion: counts of right and wrong
decisions. Learning curve: grouped-CV F1 by the number of training passages."""),
    ("code",
     """show_figure(plot_reliability(evaluation.reliability.query("scheme == 'grouped'")),
            "classifier_reliability", out,
            caption="Observed share of coded positives against the mean predicted probability "
                    "in each bin, with 95% Wilson intervals; the diagonal is perfect "
                    "calibration.")"""),
    ("code",
     """show_figure(plot_confusion(evaluation.confusion.query("scheme == 'grouped'")),
            "classifier_confusion", out,
            caption="Coded against predicted, out of fold; shares are of each coded row.")"""),
    ("code",
     """show_figure(plot_learning_curve(evaluation.learning_curve), "classifier_learning_curve",
            out, caption="F1 on held-out articles by the number of training passages; bands "
                         "are \\u00b11 SD over folds.")"""),
    ("md",
     """### Against the baselines

AUC and F1 of the classifier, the codebook lexicon and the cold-start scores (similarity to
the frame definitions and examples, available before any annotation)."""),
    ("code",
     """baselines = evaluation.comparison.query("scheme == 'grouped'")
display(format_table(baselines, rows="frame", across="method", values="auc", max_rows=None,
                     caption="AUC, out of fold"))
format_table(baselines, rows="frame", across="method", values="f1", max_rows=None,
             caption="F1, out of fold (baselines' thresholds chosen on training folds)")"""),
    ("md",
     """## The model bundle

The classifier fitted on every annotation, saved with its parameters, the codebook and
training-data hashes, library versions, these metrics and a readable card (`model/CARD.md`),
shown here."""),
    ("code",
     """with notes:
    model = FrameClassifier(**classifier.get_params()).fit(coded)
bundle = save_frame_model(model, out / "model", metrics=evaluation.summary, force=True)
ReportText.from_file(bundle / "CARD.md", top_level=3)"""),
    ("md",
     """## Retraining when more annotations arrive

A first model trained on `first_round` annotated passages (a seeded random subset), then
retrained on all of them; both are scored on the same grouped folds."""),
    ("code",
     """order = np.random.default_rng(seed).permutation(coded["passage_id"].unique())
first_ids = set(order[:first_round])
first_labels = labels[labels["passage_id"].isin(first_ids)]
later_labels = labels[~labels["passage_id"].isin(first_ids)]
with notes:
    parent = FrameClassifier(**classifier.get_params()).fit(coded[coded["passage_id"]
                                                                  .isin(first_ids)])
    result = retrain(parent, first_labels, coded.drop(columns=frames),
                     new_annotations=later_labels, random_state=seed)
save_table(result.comparison, "retraining_comparison", out)
format_table(result.comparison.query("frame == 'macro'"), decimals=3,
             caption="Macro scores of the first model and the retrained one, on the same "
                     "folds")"""),
    ("summary",
     """# The report's opening summary (the HTML shows it under the title).
schemes = evaluation.summary.set_index("scheme")
rounds = result.comparison.query("frame == 'macro'").set_index("model")["f1"]
summarize({
    "Classifier": quality,
    "Unseen outlets": "Trained on the other outlets and tested on the one left out, macro-F1 "
                      f"is {schemes.loc['outlet', 'macro_f1']:.2f} (pooled over outlets).",
    "Calibration": f"Mean expected calibration error {schemes.loc['grouped', 'mean_ece']:.3f} "
                   "(the mean gap between predicted probability and observed share; see the "
                   "reliability diagram).",
    "More annotations": f"Trained on {len(first_ids):,} annotated passages, macro-F1 "
                        f"{rounds['parent']:.2f}; retrained on all {len(order):,}, "
                        f"{rounds['retrained']:.2f} (the same folds).",
}, notes=notes.messages)"""),
]

TEMPLATES = {"corpus_report": CORPUS_REPORT, "classifier_report": CLASSIFIER_REPORT}


def build(cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for index, (kind, source) in enumerate(cells):
        if kind in ("md", "notebook-only"):
            cell = nbformat.v4.new_markdown_cell(source)
        else:
            cell = nbformat.v4.new_code_cell(source)
        # tags the report run reads: "parameters" (papermill), "title" and "summary" (moved to
        # the top of the HTML), "notebook-only" (left out of the HTML)
        tag = {"params": "parameters"}.get(kind, kind)
        if tag not in ("md", "code"):
            cell.metadata["tags"] = [tag]
        cell.id = f"cell-{index:02d}"
        notebook.cells.append(cell)
    return notebook


def render(name: str) -> str:
    return nbformat.writes(build(TEMPLATES[name])) + "\n"


def main() -> int:
    check = "--check" in sys.argv
    stale = []
    for name in TEMPLATES:
        path = HERE / f"{name}.ipynb"
        text = render(name)
        if check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"stale templates (run python notebooks/build_templates.py): {stale}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
