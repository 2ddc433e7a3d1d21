"""``framing topics fit|search-k|show|label|prevalence|effects|intrusion``."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from framing.cli._engine import add_engine_arguments, check_engine_arguments
from framing.cli._outputs import check_outputs
from framing.corpus import Corpus, InputError, atomic_write

if TYPE_CHECKING:
    from framing.topics import TopicModel


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _ints(text: str, option: str) -> list[int]:
    try:
        return [int(part) for part in _split(text)]
    except ValueError as exc:
        raise InputError(f"{option} takes comma-separated integers, got {text!r}") from exc


def _add_input(p: argparse.ArgumentParser, required: bool = True,
               doc_topics: bool = False) -> None:
    source = p.add_mutually_exclusive_group(required=required)
    if doc_topics:
        source.add_argument("--doc-topics", metavar="PATH",
                            help="topic shares already inferred: the folder framing topics "
                                 "infer writes, or a .parquet file (topics fit --doc-topics)")
    source.add_argument("--corpus", metavar="DIR", help="a corpus store (tokenized, cached)")
    source.add_argument("--tokens", metavar="PATH",
                        help="a token table (.parquet) with doc_id or passage_id and tokens, "
                             "or a token folder written by framing topics tokens")
    source.add_argument("--doc-term", metavar="DIR",
                        help="a document-term folder: an stm export (docterm.csv.gz, "
                             "vocab.txt, meta.csv), its Parquet form, or matrix.npz + "
                             "vocabulary.txt (+ metadata.parquet/.csv)")


def _add_cut(p: argparse.ArgumentParser) -> None:
    p.add_argument("--drop-repeated-sentences", action="store_true",
                   help="with --corpus: before tokenizing, cut every sentence of 4+ words that "
                        "5+ documents of one outlet repeat (newsletter blurbs, photo credits, "
                        "copyright lines), so they make no topics; the cut is printed. Give it "
                        "to every command that reads the corpus for this model")


def _add_model(p: argparse.ArgumentParser) -> None:
    p.add_argument("--engine", default="tomotopy", choices=["tomotopy", "gensim"],
                   help="the topic model library (default %(default)s)")
    p.add_argument("--covariates", metavar="COLUMNS",
                   help="categorical DMR covariates, e.g. outlet,period (tomotopy; LDA when "
                        "neither this nor --numeric-covariates is given)")
    p.add_argument("--numeric-covariates", metavar="COLUMNS",
                   help="numeric DMR covariates (tomotopy's g-DMR), e.g. day: each enters the "
                        "topic prior as a smooth (Legendre polynomials up to --degree over its "
                        "range), as stm's s(day); a column of dates (such as date) counts days "
                        "since 1970-01-01")
    p.add_argument("--degree", type=int, metavar="N",
                   help="degree of the smooth of each numeric covariate, 0 to 10 (default 3)")
    p.add_argument("--period", default="month", choices=["month", "quarter", "year"],
                   help="length of the 'period' covariate (default month)")
    p.add_argument("--iterations", type=int, default=50, help="Gibbs sweeps (tomotopy)")
    p.add_argument("--passes", type=int, default=10, help="passes (gensim)")
    p.add_argument("--alpha", type=float, default=0.1,
                   help="document-topic prior: lower gives documents fewer topics (default "
                        "%(default)s)")
    p.add_argument("--eta", type=float, default=0.1,
                   help="topic-word prior: lower gives topics fewer words (default %(default)s)")
    p.add_argument("--min-df", type=int, default=2,
                   help="drop words in fewer documents (default %(default)s)")
    p.add_argument("--max-df-share", type=float, default=1.0,
                   help="drop words in a larger share of documents (default %(default)s)")
    p.add_argument("--jobs", type=int, default=1, help="worker threads (exact repeats need 1)")
    p.add_argument("--term-weight", default="one", choices=["one", "idf", "pmi"],
                   help="tomotopy term weighting (default one: raw counts; idf/pmi give "
                        "frequent words less weight, fewer sweeps to coherent topics)")


def _add_batched_run(p: argparse.ArgumentParser, unit: str) -> None:
    """The options of a batched, resumable stage: batch size, engine, --force, --quiet."""
    p.add_argument("--batch-size", type=int, default=10_000,
                   help=f"{unit} per batch: the unit of memory, of work and of resuming "
                        "(default %(default)s)")
    add_engine_arguments(p, jobs=False)
    p.add_argument("--force", action="store_true",
                   help="replace an existing folder, and start over a stopped run of other "
                        "arguments")
    p.add_argument("--quiet", action="store_true", help="no progress bars")


def _model(args: argparse.Namespace, k: int, seed: int) -> TopicModel:
    from framing.topics import TopicModel
    covariates, numeric = _split(args.covariates), _split(args.numeric_covariates)
    both = sorted(set(covariates) & set(numeric))
    if both:
        raise InputError(f"--covariates and --numeric-covariates both name {both[0]!r}; a "
                         "covariate is either categorical or numeric")
    if args.degree is not None and not numeric:
        raise InputError("--degree is the degree of the smooth of --numeric-covariates; "
                         "give those too")
    degree = 3 if args.degree is None else args.degree
    if not 0 <= degree <= 10:
        raise InputError(f"--degree takes 0 to 10, got {degree}")
    dmr = bool(covariates or numeric)
    if dmr and args.engine != "tomotopy":
        raise InputError("--covariates and --numeric-covariates need --engine tomotopy "
                         "(gensim fits LDA only)")
    return TopicModel(n_topics=k, engine=args.engine, kind="dmr" if dmr else "lda",
                      covariates=tuple(covariates) if dmr else ("outlet", "period"),
                      numeric_covariates=tuple(numeric), degree=degree, period=args.period,
                      n_iterations=args.iterations, passes=args.passes, alpha=args.alpha,
                      eta=args.eta, min_df=args.min_df, max_df_share=args.max_df_share,
                      term_weight=args.term_weight, random_state=seed, n_jobs=args.jobs)


def register(stages: argparse._SubParsersAction) -> None:
    """Add ``framing topics ...`` to the command line."""
    topics = stages.add_parser("topics", help="topic models: fit, choose K, read, measure")
    commands = topics.add_subparsers(dest="command", required=True)

    p = commands.add_parser(
        "tokens", help="write a corpus store's token table as a token folder, batch by batch",
        description="Tokenize a corpus store (the tokens `topics fit --corpus` uses: phrases "
        "learned in one streamed pass, then each batch tokenized) into a token folder of "
        "Parquet parts with a manifest, holding one batch in memory at a time, for corpora "
        "too large to tokenize whole. Every topics command reads it with --tokens. A run "
        "stopped midway (Ctrl-C, a killed worker) resumes from its completed batches when "
        "run again with the same arguments.")
    p.add_argument("--corpus", required=True, metavar="DIR", help="a corpus store")
    p.add_argument("--out", required=True, metavar="DIR", help="the token folder to write")
    _add_batched_run(p, "documents")
    p.set_defaults(run=_run_tokens)

    p = commands.add_parser(
        "infer", help="topic shares of every document of a token table, batch by batch",
        description="Infer each document's topic shares with the bundle's model, batch by "
        "batch, into a folder of Parquet parts (doc_topics/) with a manifest: memory is set "
        "by --batch-size, not the corpus. For a large corpus, fit on a sample (`framing "
        "topics fit --tokens DIR --sample N`) and infer on all; `framing topics prevalence "
        "--doc-topics` reads the result. A run stopped midway (Ctrl-C, a killed worker) "
        "resumes from its completed batches when run again with the same arguments.")
    p.add_argument("bundle", metavar="BUNDLE",
                   help="a topic model bundle written by framing topics fit")
    p.add_argument("--tokens", required=True, metavar="PATH",
                   help="a token folder written by framing topics tokens, or a .parquet token "
                        "table")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="the folder to write: doc_topics/ (Parquet parts) and manifest.json")
    _add_batched_run(p, "rows")
    p.set_defaults(run=_run_infer)

    p = commands.add_parser(
        "fit", help="fit a topic model and save it as a bundle",
        description="Fit LDA (or DMR with --covariates) on the tokens of a corpus store or a "
        "token table, and save the model as a bundle folder with a readable CARD.md.")
    _add_input(p)
    _add_cut(p)
    p.add_argument("--k", type=int, required=True, help="number of topics")
    _add_model(p)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--sample", type=int, metavar="N",
                   help="fit on a random sample of N rows of --tokens (drawn with --seed; "
                        "only they are read): for a large corpus, fit on a sample, then "
                        "`framing topics infer` on all")
    p.add_argument("--labels", metavar="LABELS", help="topic labels: '0=summits,3=aid'")
    p.add_argument("--doc-topics", metavar="FILE",
                   help="also stream the document-topic table to this Parquet file")
    p.add_argument("--out", required=True, metavar="BUNDLE", help="the bundle folder to write")
    p.add_argument("--force", action="store_true", help="replace existing outputs")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=_run_fit)

    p = commands.add_parser(
        "search-k", help="score a grid of K over seeds (held-out likelihood, coherence...)",
        description="Fit one model per K and seed on the same training documents and score "
        "each: held-out likelihood by document completion, c_npmi and c_v coherence, "
        "exclusivity and FREX. Writes one row per K and seed.")
    _add_input(p)
    _add_cut(p)
    p.add_argument("--ks", required=True, help="topic counts, e.g. 5,10,15")
    p.add_argument("--seeds", default="0,1", help="fit seeds (default 0,1)")
    _add_model(p)
    p.add_argument("--holdout", type=float, default=0.1, help="share held out (default 0.1)")
    p.add_argument("--seed", type=int, default=0, help="seed of the held-out split")
    p.add_argument("--out", required=True, metavar="CSV", help="one row per K x seed")
    p.add_argument("--summary", metavar="CSV", help="also write mean and spread per K")
    p.add_argument("--force", action="store_true", help="replace existing outputs")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=_run_search)

    p = commands.add_parser(
        "show", help="print a bundle's topics and top words",
        description="Print each topic's label, mean share and top words; topics flagged as "
        "boilerplate (most of their tokens from one outlet, or page-furniture words such as "
        "newsletter and copyright among their best FREX words) are marked, with the reason.")
    p.add_argument("bundle", metavar="BUNDLE",
                   help="a topic model bundle written by framing topics fit")
    p.add_argument("--by", default="prob", choices=["prob", "frex", "lift"],
                   help="rank top words by probability, FREX or lift (default %(default)s)")
    p.add_argument("--n", type=int, default=10, help="words per topic (default 10)")
    p.set_defaults(run=_run_show)

    p = commands.add_parser("label", help="set topic labels in a bundle (rewritten in place)")
    p.add_argument("bundle", metavar="BUNDLE",
                   help="a topic model bundle written by framing topics fit")
    p.add_argument("labels", help="'0=summit diplomacy,3=military aid'")
    p.set_defaults(run=_run_label)

    p = commands.add_parser(
        "prevalence", help="topic shares per outlet and period, with intervals",
        description="Infer the topic shares of every document with the bundle's model, then "
        "estimate each topic's share per group with bootstrap intervals "
        "(framing.measure.topic_prevalence). With --doc-topics, the shares `framing topics "
        "infer` wrote are read batch by batch instead; their per-document sums are spilled "
        "to temporary files and read back a few groups at a time, so memory is set by "
        "--batch-size and --max-documents, not the corpus (--method bootstrap).")
    p.add_argument("bundle", metavar="BUNDLE",
                   help="a topic model bundle written by framing topics fit")
    _add_input(p, doc_topics=True)
    _add_cut(p)
    p.add_argument("--batch-size", type=int, default=100_000,
                   help="with --doc-topics: rows read at a time (default %(default)s)")
    p.add_argument("--max-documents", type=int, default=100_000,
                   help="with --doc-topics: documents held at a time when the groups are "
                   "resampled (a larger group is held whole; default %(default)s)")
    p.add_argument("--by", default="outlet,period", help="group columns (default outlet,period)")
    p.add_argument("--period", default="month",
                   help="day, week, month, quarter, year (default month)")
    p.add_argument("--method", default="bootstrap", choices=["bootstrap", "composition"],
                   help="intervals by resampling documents (bootstrap) or from the topic mixtures "
                        "(composition) (default %(default)s)")
    p.add_argument("--n-bootstrap", type=int, default=500)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", metavar="CSV", help="write the table here")
    p.add_argument("--force", action="store_true")
    p.add_argument("--rows", type=int, default=30, help="rows to print (default 30)")
    p.set_defaults(run=_run_prevalence)

    p = commands.add_parser(
        "effects", help="effects of metadata on topic shares, with intervals (stm's "
                        "estimateEffect)",
        description="Regress the topic shares the bundle's model fitted on the documents' "
        "metadata (framing.measure.estimate_effects), as stm's estimateEffect: any formula "
        "over the metadata columns, s(x) for stm's smooth, and intervals by the method of "
        "composition, drawing each document's shares from the model's saved Gibbs states. "
        "The input gives the metadata of the documents the model was fitted on.")
    p.add_argument("bundle", metavar="BUNDLE",
                   help="a topic model bundle written by framing topics fit")
    _add_input(p)
    p.add_argument("--formula", required=True,
                   help="right-hand side over the metadata columns, e.g. 'rating + s(day)': "
                        "patsy's formula language, s(x) is stm's smooth (a B-spline of up to "
                        "10 degrees of freedom), C(x) a category; with a 'date' column and no "
                        "'day', 'day' counts days since 1970-01-01")
    p.add_argument("--topics", metavar="TOPICS",
                   help="topic numbers, e.g. 0,3,7 (default all)")
    p.add_argument("--draws", type=int, default=25,
                   help="posterior draws of the topic shares (stm's nsims; default "
                        "%(default)s); 0: least-squares intervals that ignore the topic "
                        "model's uncertainty")
    p.add_argument("--confidence", type=float, default=0.95)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", metavar="CSV", help="write the whole effect table here")
    p.add_argument("--force", action="store_true")
    p.add_argument("--rows", type=int, default=40, help="rows to print (default 40)")
    p.set_defaults(run=_run_effects)

    p = commands.add_parser(
        "intrusion", help="word- and topic-intrusion tasks for coders, or score the answers",
        description="Without --score: write word-intrusion tasks (and topic-intrusion tasks "
        "when --corpus is given) as a CSV sheet, Label Studio tasks and an answer key. With "
        "--score: model precision and topic log odds from the answered sheet or a Label "
        "Studio JSON export.")
    p.add_argument("bundle", metavar="BUNDLE", nargs="?",
                   help="a topic model bundle written by framing topics fit")
    _add_input(p, required=False)
    p.add_argument("--out", metavar="DIR", help="the task folder to write")
    p.add_argument("--documents", type=int, default=50, help="topic-intrusion documents")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--force", action="store_true")
    p.add_argument("--score", metavar="FILE", help="answered tasks.csv or Label Studio .json")
    p.add_argument("--key", metavar="DIR", help="the task folder holding key.csv (with --score)")
    p.set_defaults(run=_run_intrusion)


def _check_cut(args: argparse.Namespace) -> None:
    if getattr(args, "drop_repeated_sentences", False) and not args.corpus:
        raise InputError("--drop-repeated-sentences cuts sentences from the texts of a "
                         "--corpus store; a token table or document-term matrix has none")


def _tokens_without_repeats(path: str) -> pd.DataFrame:
    """The corpus's token table after :func:`framing.text.drop_repeated_sentences` (by
    outlet when the store has one), tokenized with the same Tokenizer as tokenize_corpus."""
    from framing.text import Tokenizer, drop_repeated_sentences
    documents = Corpus(path).to_pandas()
    cut = drop_repeated_sentences(documents,
                                  by="outlet" if "outlet" in documents.columns else None)
    report = cut.attrs["repeated_sentences"]
    print(f"repeated sentences: {report['sentences_cut']:,} cut ({report['characters_cut']:,} "
          f"characters; {report['repeated_sentences']:,} distinct) from "
          f"{report['rows_changed']:,} of {report['rows_read']:,} documents")
    for entry in report["most_repeated"][:3]:
        print(f"  {entry['documents']:>5} documents: {entry['sentence'][:80]}")
    return Tokenizer().fit_transform(cut)


def _tokens(args: argparse.Namespace) -> pd.DataFrame:
    from framing.text import tokenize_corpus
    from framing.topics import DocumentTerms
    _check_cut(args)
    if getattr(args, "drop_repeated_sentences", False):
        return _tokens_without_repeats(args.corpus)
    if getattr(args, "doc_term", None):
        return DocumentTerms.read(args.doc_term).to_token_table()
    sample = getattr(args, "sample", None)
    if sample is not None and not args.tokens:
        raise InputError("--sample draws rows from a --tokens table on disk; write one with "
                         "`framing topics tokens --corpus DIR --out TOKENS`")
    if sample is not None and sample < 1:
        raise InputError(f"--sample takes a number of rows >= 1, got {sample}")
    if args.corpus:
        return tokenize_corpus(args.corpus, progress=not getattr(args, "quiet", True))
    path = Path(args.tokens)
    if path.is_dir() or sample is not None:
        from framing.topics import read_tokens
        return read_tokens(path, n_sample=sample, random_state=getattr(args, "seed", 0))
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the token table ({exc})", path=path) from exc


@contextmanager
def _naming_the_input(args: argparse.Namespace) -> Iterator[None]:
    """Errors about a column or row of the input table name the input they are in."""
    source = (args.tokens or args.doc_term or args.corpus
              or getattr(args, "doc_topics", None))
    try:
        yield
    except InputError as exc:
        if exc.path is not None or exc.field is None or not source:
            raise
        raise InputError(exc.reason, path=source, row=exc.row, field=exc.field,
                         line=exc.line) from exc


def _labels(text: str) -> dict[int, str]:
    labels = {}
    for part in _split(text):
        topic, sep, label = part.partition("=")
        if not sep or not topic.strip().isdigit():
            raise InputError(f"labels are 'topic=label' pairs, got {part!r}")
        labels[int(topic)] = label
    return labels


def _print_topics(model: TopicModel, by: str, n: int) -> None:
    from framing.topics import top_words
    words = top_words(model, n=n, by=by)
    shares = model.doc_topic_.mean(axis=0) if len(model.doc_topic_) else np.zeros(
        model.n_topics_)
    flagged = np.asarray(getattr(model, "boilerplate_", np.zeros(model.n_topics_, bool)))
    for topic in range(model.n_topics_):
        listed = " ".join(words.loc[words["topic"] == topic, "word"])
        mark = "  [boilerplate]" if flagged[topic] else ""
        print(f"{topic:>3}  {model.labels_[topic]:<24} {shares[topic]:.3f}  {listed}{mark}")
    if flagged.any():
        print(f"\n{int(flagged.sum())} topic(s) flagged as boilerplate (page furniture, not "
              "news):")
        for topic in np.flatnonzero(flagged):
            print(f"{topic:>3}  {model.boilerplate_reasons_[topic]}")


def _check_batch_size(args: argparse.Namespace) -> None:
    if args.batch_size < 1:
        raise InputError(f"--batch-size takes a number of rows >= 1, got {args.batch_size}")


def _run_tokens(args: argparse.Namespace) -> int:
    check_engine_arguments(args)
    _check_batch_size(args)
    check_outputs(force=args.force, folders=[args.out], inputs=[args.corpus])
    from framing.text import write_tokens
    run = write_tokens(args.corpus, args.out, batch_size=args.batch_size, engine=args.engine,
                       scheduler=args.scheduler, force=args.force, progress=not args.quiet)
    resumed = f", {run['resumed']} found done by a stopped run" if run["resumed"] else ""
    print(f"{run['rows']:,} documents, {run['tokens']:,} tokens in {run['batches']} "
          f"batches{resumed}")
    print(f"\ntoken folder written to {args.out}  (next: `framing topics fit --tokens "
          f"{args.out} --sample N ...`, then `framing topics infer BUNDLE --tokens {args.out}`)")
    return 0


def _run_infer(args: argparse.Namespace) -> int:
    check_engine_arguments(args)
    _check_batch_size(args)
    check_outputs(force=args.force, folders=[args.out], inputs=[args.bundle, args.tokens])
    from framing.topics import TopicModel, infer_topics
    model = TopicModel.load(args.bundle)
    with _naming_the_input(args):
        run = infer_topics(model, args.tokens, args.out, batch_size=args.batch_size,
                           engine=args.engine, scheduler=args.scheduler, force=args.force,
                           progress=not args.quiet)
    resumed = f", {run['resumed']} found done by a stopped run" if run["resumed"] else ""
    print(f"topic shares of {run['rows']:,} rows by {run['model_id']} in {run['batches']} "
          f"batches{resumed}")
    print(f"\nwritten to {Path(args.out) / 'doc_topics'}  (next: `framing topics prevalence "
          f"{args.bundle} --doc-topics {args.out}`)")
    return 0


def _run_fit(args: argparse.Namespace) -> int:
    check_outputs(force=args.force, folders=[args.out], files=[args.doc_topics],
                  inputs=[args.corpus, args.tokens])
    model = _model(args, args.k, args.seed)  # bad options refused before any reading
    tokens = _tokens(args)
    with _naming_the_input(args):
        model.fit(tokens, progress=not args.quiet)
    if args.labels:
        model.set_labels(_labels(args.labels))
    model.save(args.out, force=args.force)
    covariates = [*_split(args.covariates),
                  *(f"s({name})" for name in _split(args.numeric_covariates))]
    kind = "DMR on " + ",".join(covariates) if covariates else "LDA"
    print(f"{kind}, K={model.n_topics_}, {len(model.doc_ids_):,} documents, "
          f"{len(model.vocabulary_):,} words; per-word log-likelihood "
          f"{model.log_likelihood_:.3f}")
    _print_topics(model, "frex", 8)
    if args.doc_topics:
        model.transform(tokens, out=args.doc_topics, force=args.force)
        print(f"document-topic table written to {args.doc_topics}")
    print(f"\nbundle written to {args.out} (read CARD.md; `framing topics show {args.out}`)")
    return 0


def _write_table(table: pd.DataFrame, path: str, force: bool) -> None:
    with atomic_write(path, force=force) as handle:
        table.to_csv(handle, index=False)


def _run_search(args: argparse.Namespace) -> int:
    check_outputs(force=args.force, files=[args.out, args.summary],
                  inputs=[args.corpus, args.tokens])
    from framing.topics import search_k, summarize_k_search
    ks, seeds = _ints(args.ks, "--ks"), _ints(args.seeds, "--seeds")
    if not ks or not seeds:
        raise InputError("--ks and --seeds each need at least one integer")
    model = _model(args, max(ks[0], 2), 0)
    tokens = _tokens(args)
    with _naming_the_input(args):
        runs = search_k(tokens, ks=ks, seeds=seeds, model=model,
                        holdout_share=args.holdout, random_state=args.seed,
                        progress=not args.quiet)
    _write_table(runs, args.out, args.force)
    summary = summarize_k_search(runs)
    if args.summary:
        _write_table(summary, args.summary, args.force)
    wide = summary.pivot(index="k", columns="metric", values="mean")
    columns = [c for c in ("heldout_ll_per_word", "c_npmi", "c_v", "exclusivity", "frex")
               if c in wide.columns]
    print(wide[columns].to_string(float_format=lambda v: f"{v:.4f}"))
    print(f"\n{len(runs)} fits written to {args.out}")
    return 0


def _run_show(args: argparse.Namespace) -> int:
    from framing.topics import TopicModel
    model = TopicModel.load(args.bundle)
    print(f"{model.model_id_}: K={model.n_topics_}, {len(model.doc_ids_):,} documents "
          f"(topic, label, mean share, top words by {args.by})")
    _print_topics(model, args.by, args.n)
    return 0


def _run_label(args: argparse.Namespace) -> int:
    from framing.topics import TopicModel
    model = TopicModel.load(args.bundle).set_labels(_labels(args.labels))
    model.save(args.bundle, force=True)
    _print_topics(model, "prob", 5)
    return 0


def _inferred(args: argparse.Namespace, model: TopicModel) -> Path:
    """The --doc-topics table on disk, checked to come from the bundle's model."""
    source = Path(args.doc_topics)
    if args.method != "bootstrap":
        raise InputError(f"--method {args.method} redraws each document's shares from its "
                         "tokens, which --doc-topics does not hold: give --tokens or --corpus "
                         "(inferred here, in memory), or use --method bootstrap, which reads "
                         "--doc-topics batch by batch")
    _check_batch_size(args)
    if not source.exists():
        raise InputError("no such file or folder (given to --doc-topics)", path=source)
    manifest_file = source / "manifest.json"
    if source.is_dir() and manifest_file.is_file():
        import json
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        if manifest.get("model_id", model.model_id_) != model.model_id_:
            raise InputError(f"these topic shares were inferred by model "
                             f"{manifest['model_id']}, not by {args.bundle} "
                             f"({model.model_id_}); give the bundle that inferred them",
                             path=source)
        if (source / "doc_topics").is_dir():
            return source / "doc_topics"
    return source


def _run_prevalence(args: argparse.Namespace) -> int:
    check_outputs(force=args.force, files=[args.out],
                  inputs=[args.bundle, args.corpus, args.tokens, args.doc_topics])
    from framing.measure import topic_prevalence
    from framing.topics import TopicModel
    model = TopicModel.load(args.bundle)
    if args.doc_topics:
        if args.max_documents < 1:
            raise InputError("--max-documents takes a number of documents >= 1, got "
                             f"{args.max_documents}")
        with _naming_the_input(args):
            table = topic_prevalence(_inferred(args, model), by=_split(args.by),
                                     period=args.period, n_bootstrap=args.n_bootstrap,
                                     labels=list(model.labels_), random_state=args.seed,
                                     batch_size=args.batch_size,
                                     max_documents_in_memory=args.max_documents)
    else:
        doc_topics = model.transform(_tokens(args))
        params = model.fit_params_
        alpha: float | list[float] = float(params["alpha"])
        if params["engine"] == "tomotopy" and params["kind"] == "lda":
            alpha = np.asarray(model.engine_model_.alpha, dtype=np.float64).tolist()
        table = topic_prevalence(doc_topics, by=_split(args.by), period=args.period,
                                 method=args.method, n_bootstrap=args.n_bootstrap, alpha=alpha,
                                 random_state=args.seed)
    with pd.option_context("display.width", 200):
        print(table.head(args.rows).to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    if args.out:
        _write_table(table, args.out, args.force)
        print(f"\n{len(table):,} rows written to {args.out}")
    return 0


def _metadata(args: argparse.Namespace) -> pd.DataFrame:
    """The input's documents without their words: what the effects regress on."""
    if args.doc_term:
        from framing.topics import DocumentTerms
        return DocumentTerms.read(args.doc_term).metadata
    if args.corpus:
        batches = [batch.drop(columns=["text"], errors="ignore")
                   for batch in Corpus(args.corpus).iter_batches()]
        return pd.concat(batches, ignore_index=True) if batches else pd.DataFrame()
    return _tokens(args).drop(columns=["tokens"], errors="ignore")


def _with_day(table: pd.DataFrame) -> pd.DataFrame:
    """Add ``day`` (days since 1970-01-01, as --numeric-covariates counts dates) when the
    table has a ``date`` column that reads as dates and no ``day``."""
    if "day" in table.columns or "date" not in table.columns:
        return table
    dates = pd.to_datetime(table["date"], errors="coerce", utc=True)
    if dates.isna().any():
        return table
    epoch = pd.Timestamp("1970-01-01", tz="UTC")
    return table.assign(day=(dates - epoch) / pd.Timedelta(days=1))


def _fitted_shares(model: TopicModel, metadata: pd.DataFrame, source: str) -> pd.DataFrame:
    """The metadata with the topic shares the model fitted on each document (by key)."""
    key = model.id_column_
    if key not in metadata.columns:
        raise InputError(f"no {key!r} column, the key of the model's documents", path=source,
                         field=key)
    repeated = metadata[key].duplicated()
    if repeated.any():
        row = int(np.flatnonzero(repeated.to_numpy())[0])
        raise InputError(f"{metadata[key].iloc[row]!r} is repeated; keys must be unique",
                         path=source, row=row + 1, field=key)
    position = pd.Series(np.arange(len(model.doc_ids_)), index=pd.Index(model.doc_ids_))
    found = position.reindex(metadata[key].to_numpy())
    if found.isna().any():
        row = int(np.flatnonzero(found.isna().to_numpy())[0])
        raise InputError(f"{metadata[key].iloc[row]!r} is not one of the "
                         f"{len(model.doc_ids_):,} documents the model was fitted on: effects "
                         "are estimated on the fitted topic shares, as stm's estimateEffect "
                         "does; give the input the model was fitted on", path=source,
                         row=row + 1, field=key)
    names = [f"topic_{k}" for k in range(model.n_topics_)]
    for name in names:
        if name in metadata.columns:
            raise InputError(f"the input already has a {name!r} column", path=source,
                             field=name)
    shares = pd.DataFrame(np.asarray(model.doc_topic_)[found.to_numpy(dtype=np.int64)],
                          columns=names)
    return pd.concat([metadata.reset_index(drop=True), shares], axis=1)


def _readable(effects: pd.DataFrame) -> pd.DataFrame:
    """The rows one can read alone: no intercept, no single spline coefficient."""
    spline = effects["term"].str.match(r"^(s|bs|cr|cc)\(.*\)\[\d+\]$")
    return effects[(effects["kind"] != "intercept") & ~spline]


def _run_effects(args: argparse.Namespace) -> int:
    check_outputs(force=args.force, files=[args.out],
                  inputs=[args.bundle, args.corpus, args.tokens, args.doc_term])
    if args.draws < 0 or args.draws == 1:
        raise InputError(f"--draws takes 0 (none) or at least 2, got {args.draws}")
    if not 0.5 <= args.confidence <= 0.999:
        raise InputError(f"--confidence takes 0.5 to 0.999, got {args.confidence}")
    from framing.measure import estimate_effects
    from framing.topics import TopicModel
    model = TopicModel.load(args.bundle)
    topics = list(range(model.n_topics_)) if not args.topics else _ints(args.topics,
                                                                         "--topics")
    unknown = [k for k in topics if not 0 <= k < model.n_topics_]
    if unknown or not topics:
        raise InputError(f"--topics: the model's topics are 0 to {model.n_topics_ - 1}, got "
                         f"{args.topics!r}")
    source = args.tokens or args.doc_term or args.corpus
    table = _with_day(_fitted_shares(model, _metadata(args), source))
    try:
        effects = estimate_effects(table, [f"topic_{k}" for k in topics],
                                   formula=args.formula, model=model,
                                   draws=args.draws or None, confidence=args.confidence,
                                   random_state=args.seed)
    except InputError as exc:
        if exc.field != "formula":
            raise
        raise InputError(f"--formula: {exc.reason}", path=exc.path, row=exc.row) from exc
    labels = dict(zip([f"topic_{k}" for k in range(model.n_topics_)], model.labels_,
                      strict=True))
    effects.insert(effects.columns.get_loc("outcome") + 1, "label",
                   effects["outcome"].map(labels))
    shown = _readable(effects)
    print(f"{model.model_id_}: ~ {args.formula} on {int(effects['n_documents'].iloc[0]):,} "
          f"documents, {args.confidence:.0%} intervals by "
          + (f"{args.draws} posterior draws" if args.draws else "least squares (HC1)"))
    with pd.option_context("display.width", 200):
        print(shown.head(args.rows)[["outcome", "label", "term", "estimate", "ci_low",
                                     "ci_high"]].to_string(
            index=False, float_format=lambda v: f"{v:.4f}"))
    hidden = len(effects) - len(shown)
    if hidden:
        print(f"({hidden} intercept and spline coefficients are not shown: they do not read "
              "alone" + ("; they are in " + args.out if args.out else "; see --out") + ")")
    if args.out:
        _write_table(effects, args.out, args.force)
        print(f"\n{len(effects):,} rows written to {args.out}")
    return 0


def _run_intrusion(args: argparse.Namespace) -> int:
    from framing.topics import (
        TopicModel,
        score_intrusion,
        topic_intrusion_tasks,
        word_intrusion_tasks,
        write_intrusion_tasks,
    )
    if args.score:
        if not args.key:
            raise InputError("which tasks? pass --key DIR (the folder written with --out)")
        print(score_intrusion(args.score, args.key).to_string(
            index=False, float_format=lambda v: f"{v:.3f}"))
        return 0
    if not args.bundle or not args.out:
        raise InputError("give the BUNDLE and --out DIR (or --score FILE --key DIR)")
    check_outputs(force=args.force, folders=[args.out],
                  inputs=[args.bundle, args.corpus, args.tokens])
    model = TopicModel.load(args.bundle)
    tasks = [word_intrusion_tasks(model, random_state=args.seed)]
    if args.corpus or args.tokens or args.doc_term:
        tokens = _tokens(args)
        doc_topics = model.transform(tokens)
        key = model.id_column_
        if args.corpus and key == "doc_id":
            texts = Corpus(args.corpus).to_pandas(columns=["doc_id", "text"])
        elif "text" in tokens.columns:
            texts = tokens[[key, "text"]]
        else:
            raise InputError("topic intrusion needs the texts: pass --corpus of the documents",
                             field="text")
        tasks.append(topic_intrusion_tasks(model, doc_topics, texts,
                                           n_documents=args.documents,
                                           random_state=args.seed))
    table = pd.concat(tasks, ignore_index=True)
    write_intrusion_tasks(table, args.out, force=args.force)
    print(f"{len(table)} tasks written to {args.out}: give tasks.csv (or import "
          "tasks_labelstudio.json with labeling_config.xml into Label Studio) to coders, "
          f"then run `framing topics intrusion --score ANSWERS --key {args.out}`")
    return 0
