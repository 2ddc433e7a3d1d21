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

#: The end of every template's setup cell: output folders, the paper theme, and ``figure``.
SETUP = """
out = Path(output_dir)
(out / "tables").mkdir(parents=True, exist_ok=True)
pd.set_option("display.width", 160)
use_paper_theme(width="double")


def figure(fig, name):
    \"\"\"Save a chart as PDF, SVG and PNG under figures/ and show it here.\"\"\"
    save_figure(fig, out / "figures" / name, force=True)
    return fig


print(f"framing {framing.__version__}")"""

CORPUS_REPORT = [
    ("md",
     """# Framing report

How news coverage portrays an actor (by default Donald Trump in the Ukraine peace process) as
**peacemaker**, **isolationist** and **skeptic**: which outlets, and how it changes over time.

Every number below comes from the inputs named in the parameters cell and the seeds there; run
headless with `framing report --corpus DIR --out reports/RUN`, or open this notebook in Jupyter
and run it cell by cell. Tables land in `tables/`, figures (PDF, SVG, PNG) in `figures/`."""),
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
prevalence_method = "pacc"                # cc, pcc, acc, pacc or em
n_bootstrap = 500                         # bootstrap draws for the intervals
seed = 0                                  # every random step uses this seed
n_jobs = 2                                # worker processes where a step can use them"""),
    ("code",
     """from pathlib import Path

import pandas as pd
from IPython.display import display

import framing
from framing.corpus import Corpus
from framing.frames import (
    ColdStartScorer,
    FrameClassifier,
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
from framing.report import save_table
from framing.text import Tokenizer, extract_passages, kwic
from framing.topics import TopicModel, top_words
from framing.viz import (
    plot_frame_scores,
    plot_prevalence_by_outlet,
    plot_prevalence_over_time,
    plot_top_words,
    plot_topic_frame_crosstab,
    plot_topic_heatmap,
    plot_topics_over_time,
    save_figure,
    use_paper_theme,
)
""" + SETUP),
    ("md",
     """## Corpus

What was imported, and what was dropped and why (every row read is accounted for)."""),
    ("code",
     """store = Corpus(corpus)
rows = store.manifest["rows"]
accounting = pd.DataFrame(
    [{"rows": "read", "n": rows["read"]}, {"rows": "kept", "n": rows["kept"]}]
    + [{"rows": f"dropped: {reason}", "n": n} for reason, n in rows["dropped_by_reason"].items()])
save_table(accounting, "corpus_accounting", out)
documents = store.summary(by=("outlet", "month"))
save_table(documents, "documents_by_outlet_month", out)
display(accounting)
documents.pivot_table(index="outlet", columns="month", values="n_documents", aggfunc="sum",
                      fill_value=0, observed=True)"""),
    ("md",
     """## Passages about the actor

The sentences that speak about the actor (by name, title or pronoun) within the issue, with
`window` sentences on each side. Read a sample of the mentions in context below; `framing
passages audit` gives a sheet to check the selection by hand."""),
    ("code",
     """found = extract_passages(store, actors=actors, actor=actor, issue=issue, window=window,
                         n_jobs=n_jobs, progress=False)
passages = found.passages
status = found.documents["status"].value_counts().rename_axis("status").reset_index(name="n")
save_table(status, "passage_documents_status", out)
by_outlet = (passages.groupby("outlet", observed=True)
             .agg(n_passages=("passage_id", "size"), n_documents=("doc_id", "nunique"))
             .reset_index())
save_table(by_outlet, "passages_by_outlet", out)
# Every outlet stays in the tables; charts by outlet show the ones with the most passages.
charted = by_outlet.nlargest(max_outlets, "n_passages")["outlet"].tolist()
if len(charted) < len(by_outlet):
    print(f"charts by outlet show the {len(charted)} of {len(by_outlet)} outlets with the most "
          "passages (max_outlets); the tables have them all")
print(found)
display(status)
display(by_outlet)
context = kwic(found.mentions, store.to_pandas(columns=["doc_id", "outlet", "date", "text"]),
               actor=found.manifest["actor"], passages=passages)
context[["outlet", "left", "keyword", "right", "resolved_by"]].sample(10, random_state=seed)"""),
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
topics.set_labels([" ".join(w) for _, w in frex.groupby("topic", sort=True)["word"]])
doc_topics = topics.transform(tokens)
words = top_words(topics, n=10, by="frex")
save_table(words, "topic_top_words", out)
save_table(doc_topics.drop(columns=["date"]), "passage_topics", out)
display(words.groupby("topic")["word"].apply(lambda w: ", ".join(w)).rename("top FREX words")
        .to_frame())
likely = top_words(topics, n=8, by="prob")
figure(plot_top_words(likely, n_columns=3), "topic_top_words")"""),
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
figure(plot_topic_heatmap(topics_by_outlet[topics_by_outlet["outlet"].isin(charted)]),
       "topic_prevalence_by_outlet")"""),
    ("code",
     """over_time = plot_topics_over_time(topics_by_period, group=None, events=events)
figure(over_time, "topic_prevalence_over_time")"""),
    ("md",
     """## Frames: classifier trained on the annotations

A `FrameClassifier`: one calibrated linear model per codebook frame over TF-IDF word and
character n-grams, the codebook's lexicon scores and, with the `framing[embeddings]` extra,
MiniLM sentence embeddings. It is evaluated with 5-fold cross-validation grouped by document
(no article's passages in both training and test), then fitted on every annotation and
applied to all passages. The out-of-fold predictions are kept: they give the error rates that
correct the prevalence estimates below."""),
    ("code",
     """book = load_codebook(codebook)
frames = list(book.frame_names)
# Sentence vectors are cached beside the corpus, so reruns and retraining never recompute them.
cache = Path(corpus) / "_cache" / "embeddings"
have_frames = bool(annotations)
NO_FRAMES = ("no annotations given: frame prevalence needs a classifier trained on coded "
             "passages; code to_code.csv (see above) and rerun with --annotations")
if have_frames:
    coded = pd.read_csv(annotations)
    print(f"codebook {book.name} v{book.version} ({book.sha256[:12]}); "
          f"{len(coded)} annotated passages")
    classifier = FrameClassifier(codebook=book, features=features, random_state=seed,
                                 embedding_cache=cache)
    evaluation = cross_validate_frames(classifier, coded, random_state=seed)
    scores = evaluation["scores"].rename_axis("frame").reset_index()
    save_table(scores, "classifier_scores", out)
    print(f"grouped 5-fold macro-F1 {evaluation['macro_f1']:.3f}")
    display(scores)
    classifier.fit(coded)
    passage_frames = classifier.predict(passages.drop(columns=["first_sentence",
                                                               "last_sentence"]))
    decided = passage_frames[[f"is_{f}" for f in frames]].mean().rename("share decided")
    save_table(passage_frames[["passage_id", "doc_id", "outlet"]
                              + [f"p_{f}" for f in frames] + [f"is_{f}" for f in frames]],
               "passage_frames", out)
    display(decided.to_frame())
    display(figure(plot_frame_scores(evaluation["scores"]), "classifier_scores"))
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
    print(f"{len(to_code)} passages to code written to to_code.csv (random: "
          f"{(to_code['sample'] == 'random').sum()}, active: "
          f"{(to_code['sample'] == 'active').sum()}); the provisional scores are not measures")
    columns = [f"provisional_{f}" for f in frames]
    first = provisional.sort_values(columns[0], ascending=False).head(5)
    display(first[["passage_id", *columns]].merge(passages[["passage_id", "outlet", "text"]]))"""),
    ("md",
     """## Frame prevalence by outlet and over time

Shares of passages carrying each frame, estimated with the `prevalence_method` chosen in the
parameters (PACC by default: the mean calibrated probability corrected with the classifier's
true- and false-positive rates from the cross-validation above). The 95% intervals come from a
bootstrap over articles that also resamples the annotated passages, so they carry the
classifier's error as well as sampling noise. Cells with few articles are flagged `is_thin`."""),
    ("code",
     """if have_frames:
    validation = evaluation["predictions"]
    settings = dict(validation=validation, n_bootstrap=n_bootstrap, random_state=seed)
    frames_by_outlet = estimate_prevalence(passage_frames, by="outlet",
                                           method=prevalence_method, **settings)
    frames_over_time = estimate_prevalence(passage_frames, by=["outlet", "period"],
                                           period=period, method=prevalence_method, **settings)
    save_table(frames_by_outlet, "frame_prevalence_by_outlet", out)
    save_table(frames_over_time, "frame_prevalence_by_outlet_period", out)
    display(frames_by_outlet.pivot(index="outlet", columns="frame", values="estimate")
            .round(3))
    display(figure(plot_prevalence_by_outlet(
        frames_by_outlet[frames_by_outlet["outlet"].isin(charted)]),
        "frame_prevalence_by_outlet"))
else:
    print(NO_FRAMES)"""),
    ("code",
     """if have_frames:
    display(figure(plot_prevalence_over_time(
        frames_over_time[frames_over_time["outlet"].isin(charted[:6])], events=events),
        "frame_prevalence_over_time"))
else:
    print(NO_FRAMES)"""),
    ("md",
     """### How much the correction matters

The same outlets with every estimator: classify and count (`cc`) and its probabilistic twin
(`pcc`) are biased wherever the classifier errs and an outlet's prevalence differs from the
annotated data's; `acc`, `pacc` and `em` correct for that."""),
    ("code",
     """if have_frames:
    methods = estimate_prevalence(passage_frames, by="outlet",
                                  method=["cc", "pcc", "acc", "pacc", "em"], **settings)
    save_table(methods, "frame_prevalence_by_method", out)
    display(methods.pivot_table(index=["outlet", "frame"], columns="method",
                                values="estimate").round(3))
else:
    print(NO_FRAMES)"""),
    ("md",
     """### Before and after each event

The change in each frame's prevalence per outlet from before to after each dated event in
`events` (after minus before, with 95% bootstrap intervals)."""),
    ("code",
     """if have_frames:
    changes = []
    for name, day in events.items():
        split = {f"before {name}": None, f"after {name}": day}
        change = prevalence_differences(passage_frames, between="period",
                                        by=["outlet", "period"], period=split,
                                        method=prevalence_method, **settings)
        change.insert(0, "event", name)
        changes.append(change)
    changes = pd.concat(changes, ignore_index=True)
    save_table(changes, "frame_change_at_events", out)
    display(changes)
else:
    print(NO_FRAMES)"""),
    ("md",
     """## Which topics carry which roles

For each topic, the mean frame probability of the passages, each weighted by its share of the
topic (descriptive: not corrected for classifier error)."""),
    ("code",
     """if have_frames:
    crosstab = topic_frame_table(doc_topics, passage_frames, by=None)
    save_table(crosstab, "topic_frame_crosstab", out)
    display(figure(plot_topic_frame_crosstab(crosstab), "topic_frame_crosstab"))
else:
    print(NO_FRAMES)"""),
]

CLASSIFIER_REPORT = [
    ("md",
     """# Frame classifier: evaluation and retraining

How good is the frame classifier, and can its numbers be defended? This report evaluates a
`FrameClassifier` trained on the annotations named in the parameters: cross-validation grouped
by article, leave-one-outlet-out transfer, calibration, a learning curve and a comparison with
the codebook's lexicon and the cold-start (definition similarity) baselines. It saves the model
as a bundle, then shows a retraining round: a model trained on the first annotations, and the
same model retrained when the rest arrive, compared on the same folds."""),
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

import framing
from framing.frames import (
    FrameClassifier,
    evaluate_frames,
    frame_agreement,
    load_codebook,
    read_sheet,
    retrain,
    save_frame_model,
)
from framing.report import save_table
from framing.viz import (
    plot_agreement,
    plot_confusion,
    plot_frame_scores,
    plot_learning_curve,
    plot_reliability,
    save_figure,
    use_paper_theme,
)
""" + SETUP),
    ("md",
     """## Annotations

The coded sheet, read and checked against the codebook (every row kept or dropped with a
reason). With several coders, Krippendorff's alpha per frame says how reliably the codebook
can be applied; it bounds what any classifier can reach."""),
    ("code",
     """book = load_codebook(codebook)
frames = list(book.frame_names)
imported = read_sheet(annotations, codebook=book)
labels = imported.annotations
coded = pd.read_csv(annotations)
print(f"codebook {book.name} v{book.version} ({book.sha256[:12]})")
print(f"{coded['passage_id'].nunique()} passages, {labels['coder'].nunique()} coder(s); "
      f"import report: {imported.report}")
counts = (labels.groupby("frame")["label"].agg(n_positive="sum", n="size").reset_index())
save_table(counts, "annotation_counts", out)
counts"""),
    ("code",
     """if labels["coder"].nunique() > 1:
    agreement = frame_agreement(labels, random_state=seed)
    save_table(agreement, "agreement", out)
    display(agreement)
    display(figure(plot_agreement(agreement), "agreement"))
else:
    print("one coder: no agreement to measure; have a second coder code a random subset")"""),
    ("md",
     """## Cross-validated performance

Five folds grouped by article (`grouped`: no article's passages on both sides) and one fold
per outlet (`outlet`: trained on the other outlets, tested on the unseen one). Scores are
computed on the pooled out-of-fold predictions; thresholds are chosen on training folds only."""),
    ("code",
     """classifier = FrameClassifier(codebook=book, features=features, random_state=seed,
                             embedding_cache=Path(corpus) / "_cache" / "embeddings")
evaluation = evaluate_frames(classifier, coded, train_sizes=tuple(train_sizes),
                             random_state=seed)
for name in ("summary", "scores", "comparison", "reliability", "confusion", "learning_curve"):
    save_table(getattr(evaluation, name), f"evaluation_{name}", out)
evaluation.summary"""),
    ("code",
     """grouped = evaluation.scores.query("scheme == 'grouped' and heldout == 'all'")
figure(plot_frame_scores(grouped), "classifier_scores")"""),
    ("md",
     """### Transfer to an unseen outlet

F1 per frame when each outlet in turn is left out of training: how far the classifier can be
trusted on an outlet it has never seen."""),
    ("code",
     """by_outlet = evaluation.scores.query("scheme == 'outlet' and heldout != 'all'")
by_outlet.pivot(index="heldout", columns="frame", values="f1").round(3)"""),
    ("md",
     """### Calibration, errors and the value of more annotations

Reliability: among passages given probability p, the share that carry the frame (the diagonal
is perfect calibration; bars are 95% intervals). Confusion: counts of right and wrong
decisions. Learning curve: grouped-CV F1 by the number of training passages."""),
    ("code",
     """figure(plot_reliability(evaluation.reliability.query("scheme == 'grouped'")),
       "classifier_reliability")"""),
    ("code",
     """figure(plot_confusion(evaluation.confusion.query("scheme == 'grouped'")),
       "classifier_confusion")"""),
    ("code",
     """figure(plot_learning_curve(evaluation.learning_curve), "classifier_learning_curve")"""),
    ("md",
     """### Against the baselines

AUC and F1 of the classifier, the codebook lexicon and the cold-start scores (similarity to
the frame definitions and examples, available before any annotation)."""),
    ("code",
     """evaluation.comparison.query("scheme == 'grouped'").pivot(
    index="frame", columns="method", values=["auc", "f1"]).round(3)"""),
    ("md",
     """## The model bundle

The classifier fitted on every annotation, saved with its parameters, the codebook and
training-data hashes, library versions, these metrics and a readable card (`model/CARD.md`)."""),
    ("code",
     """model = FrameClassifier(**classifier.get_params()).fit(coded)
bundle = save_frame_model(model, out / "model", metrics=evaluation.summary, force=True)
print((bundle / "CARD.md").read_text()[:1200])"""),
    ("md",
     """## Retraining when more annotations arrive

A first model trained on `first_round` annotated passages (a seeded random subset), then
retrained on all of them; both are scored on the same grouped folds."""),
    ("code",
     """order = np.random.default_rng(seed).permutation(coded["passage_id"].unique())
first_ids = set(order[:first_round])
first_labels = labels[labels["passage_id"].isin(first_ids)]
later_labels = labels[~labels["passage_id"].isin(first_ids)]
parent = FrameClassifier(**classifier.get_params()).fit(coded[coded["passage_id"]
                                                              .isin(first_ids)])
result = retrain(parent, first_labels, coded.drop(columns=frames),
                 new_annotations=later_labels, random_state=seed)
save_table(result.comparison, "retraining_comparison", out)
result.comparison.query("frame == 'macro'")"""),
]

TEMPLATES = {"corpus_report": CORPUS_REPORT, "classifier_report": CLASSIFIER_REPORT}


def build(cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for index, (kind, source) in enumerate(cells):
        if kind == "md":
            cell = nbformat.v4.new_markdown_cell(source)
        else:
            cell = nbformat.v4.new_code_cell(source)
            if kind == "params":
                cell.metadata["tags"] = ["parameters"]
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
