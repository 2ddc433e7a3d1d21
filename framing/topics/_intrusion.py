"""Human validation of topics: word-intrusion and topic-intrusion tasks (Chang et al. 2009).

*Word intrusion*: a coder sees a topic's top words plus one intruder (a word improbable in the
topic but among the top words of another) and picks the odd one out; the share of coders who
find the intruder is the topic's *model precision*. *Topic intrusion*: a coder reads a document
and picks, among its most likely topics plus one improbable topic, the one that does not
belong; *topic log odds* is ``log share(intruder) - log share(chosen)`` (0 when right, more
negative the worse the mistake).

Tasks are written for coders as a CSV sheet and as Label Studio tasks (``data`` with dynamic
``options`` for a ``<Choices value="$options">`` tag; see ``labeling_config.xml``), with the
answer key in its own file. :func:`score_intrusion` reads the answered sheet or Label Studio's
JSON export (``annotations[].result[]`` of type ``choices``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing._types import PathLike
from framing.corpus import InputError, Interval, atomic_directory, validate_params
from framing.topics._quality import top_word_lists

#: ``from_name`` of the Choices tag in the Label Studio config written beside the tasks.
CHOICES_NAME = "intruder"
LABELING_CONFIG = """<View>
  <Header value="$prompt"/>
  <Text name="text" value="$text"/>
  <Choices name="intruder" toName="text" choice="single" showInline="false" value="$options"/>
</View>
"""
_PROMPTS = {
    "word_intrusion": "Which word does not belong with the others?",
    "topic_intrusion": "Which group of words does not fit this text?",
}


def _option_columns(frame: pd.DataFrame) -> list[str]:
    columns = [c for c in frame.columns if re.fullmatch(r"option_\d+", c)]
    return sorted(columns, key=lambda c: int(c.split("_")[1]))


def word_intrusion_tasks(model: Any, *, n_words: int = 5, n_tasks_per_topic: int = 1,
                         random_state: int = 0) -> pd.DataFrame:
    """Word-intrusion tasks: each topic's top words plus one intruder, shuffled.

    The intruder is drawn among the top-10 words of the other topics that lie in the lower
    half of this topic's ranking (Chang et al.), else among the other topics' top words that
    are least probable here.

    Parameters
    ----------
    model : TopicModel
        A fitted model.
    n_words : int, default=5
        Top words shown per task (plus the intruder).
    n_tasks_per_topic : int, default=1
        Tasks per topic, each with its own intruder draw and order.
    random_state : int, default=0
        Seed of the intruders and the order.

    Returns
    -------
    DataFrame
        The answer key: ``task_id``, ``task`` ("word_intrusion"), ``topic``, ``label``,
        ``option_1`` ... ``option_{n_words + 1}``, ``intruder``.

    Examples
    --------
    >>> from framing.topics import TopicModel
    >>> tokens = pd.DataFrame({"doc_id": [f"d{i}" for i in range(8)], "tokens": [
    ...     ["war", "tank", "front", "drone"] if i % 2 else ["vote", "poll", "ballot", "seat"]
    ...     for i in range(8)]})
    >>> model = TopicModel(n_topics=2, min_df=1, n_iterations=50).fit(tokens)
    >>> tasks = word_intrusion_tasks(model, n_words=3)
    >>> list(tasks.columns)  # doctest: +NORMALIZE_WHITESPACE
    ['task_id', 'task', 'topic', 'label', 'option_1', 'option_2', 'option_3', 'option_4',
     'intruder']
    """
    validate_params("word_intrusion_tasks", {
        "n_words": n_words, "n_tasks_per_topic": n_tasks_per_topic,
        "random_state": random_state,
    }, {"n_words": [Interval(int, 2, 50)], "n_tasks_per_topic": [Interval(int, 1, 100)],
        "random_state": [Interval(int, 0, 2**32 - 1)]})
    model._check_is_fitted("word_intrusion_tasks")
    if model.n_topics_ < 2 or len(model.vocabulary_) <= n_words:
        raise InputError(f"word intrusion needs two topics and more than {n_words} words")
    rng = np.random.default_rng(random_state)
    vocabulary = model.vocabulary_
    top = top_word_lists(model, max(n_words, 10))
    rows = []
    for topic in range(model.n_topics_):
        shown = top[topic][:n_words]
        ranking = {str(w): r for r, w in enumerate(
            vocabulary[np.lexsort((vocabulary, -model.topic_word_[topic]))])}
        others = sorted({w for k, words in enumerate(top) if k != topic
                         for w in words[:10]} - set(shown))
        candidates = [w for w in others if ranking[w] >= len(vocabulary) / 2]
        if not candidates:  # a small vocabulary: the other topics' words least probable here
            candidates = sorted(others, key=lambda w: (-ranking[w], w))[:3] or sorted(
                set(map(str, vocabulary)) - set(shown))
        for _ in range(n_tasks_per_topic):
            intruder = str(candidates[rng.integers(len(candidates))])
            options = [shown[i] for i in range(n_words)] + [intruder]
            options = [options[i] for i in rng.permutation(len(options))]
            rows.append({"task_id": f"wi-{len(rows):04d}", "task": "word_intrusion",
                         "topic": topic, "label": model.labels_[topic],
                         **{f"option_{i + 1}": w for i, w in enumerate(options)},
                         "intruder": intruder})
    return pd.DataFrame(rows)


def topic_intrusion_tasks(model: Any, doc_topics: pd.DataFrame, texts: pd.DataFrame, *,
                          n_documents: int = 50, n_topics_shown: int = 4, n_words: int = 8,
                          text_column: str = "text", max_chars: int = 2000,
                          random_state: int = 0) -> pd.DataFrame:
    """Topic-intrusion tasks: a document, its most likely topics and one improbable topic.

    Parameters
    ----------
    model : TopicModel
        The fitted model that made ``doc_topics``.
    doc_topics : DataFrame
        ``model.transform`` output (the key column and ``topic_<k>``).
    texts : DataFrame
        The key column and ``text_column``.
    n_documents : int, default=50
        Documents drawn (fewer when fewer have a text).
    n_topics_shown : int, default=4
        Topics shown per task: the document's ``n_topics_shown - 1`` most likely ones and an
        intruder drawn among the topics in the lower half of its shares.
    n_words : int, default=8
        Top words describing each topic.
    text_column : str, default="text"
        Column of ``texts`` shown to the coder.
    max_chars : int, default=2000
        Texts are cut at a word boundary after this many characters.
    random_state : int, default=0
        Seed of the documents, the intruders and the order.

    Returns
    -------
    DataFrame
        The answer key: ``task_id``, ``task`` ("topic_intrusion"), ``topic`` (the document's
        main topic), ``label``, ``document_id``, ``text``, ``option_1`` ... (topic
        descriptions: top words), ``option_topic_1`` ..., ``share_1`` ... (the document's
        share of each shown topic), ``intruder`` (its description), ``intruder_topic``.
    """
    validate_params("topic_intrusion_tasks", {
        "n_documents": n_documents, "n_topics_shown": n_topics_shown, "n_words": n_words,
        "max_chars": max_chars, "random_state": random_state,
    }, {"n_documents": [Interval(int, 1, None)], "n_topics_shown": [Interval(int, 2, 20)],
        "n_words": [Interval(int, 2, 50)], "max_chars": [Interval(int, 1, None)],
        "random_state": [Interval(int, 0, 2**32 - 1)]})
    model._check_is_fitted("topic_intrusion_tasks")
    if model.n_topics_ < n_topics_shown + 1:
        raise InputError(f"topic intrusion with {n_topics_shown} topics shown needs at least "
                         f"{n_topics_shown + 1} topics; the model has {model.n_topics_}")
    key = model.id_column_
    columns = [f"topic_{k}" for k in range(model.n_topics_)]
    for frame, name, needed in ((doc_topics, "doc_topics", [key, *columns]),
                                (texts, "texts", [key, text_column])):
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise InputError(f"{name} has no {missing[0]!r} column", field=missing[0])
    try:
        merged = doc_topics[[key, *columns]].merge(texts[[key, text_column]], on=key,
                                                   how="inner", validate="one_to_one")
    except pd.errors.MergeError as exc:
        raise InputError(f"keys must be unique in doc_topics and texts ({exc})",
                         field=key) from exc
    merged = merged[merged[text_column].fillna("").astype(str).str.strip() != ""]
    if merged.empty:
        raise InputError("no document of doc_topics has a text in texts", field=key)
    merged = merged.sort_values(key, kind="mergesort").reset_index(drop=True)
    rng = np.random.default_rng(random_state)
    chosen = np.sort(rng.choice(len(merged), size=min(n_documents, len(merged)),
                                replace=False))
    descriptions = [" ".join(words) for words in top_word_lists(model, n_words)]
    rows = []
    for index in chosen:
        shares = merged.loc[index, columns].to_numpy(dtype=np.float64)
        order = np.lexsort((np.arange(len(shares)), -shares))
        likely = [int(k) for k in order[: n_topics_shown - 1]]
        unlikely = [int(k) for k in order[len(order) // 2:] if int(k) not in likely]
        intruder = unlikely[rng.integers(len(unlikely))]
        shown = [*likely, intruder]
        shown = [shown[i] for i in rng.permutation(len(shown))]
        text = str(merged.loc[index, text_column])
        if len(text) > max_chars:
            text = text[:max_chars].rsplit(" ", 1)[0] + " …"
        rows.append({
            "task_id": f"ti-{len(rows):04d}", "task": "topic_intrusion",
            "topic": likely[0], "label": model.labels_[likely[0]],
            "document_id": merged.loc[index, key], "text": text,
            **{f"option_{i + 1}": descriptions[k] for i, k in enumerate(shown)},
            **{f"option_topic_{i + 1}": k for i, k in enumerate(shown)},
            **{f"share_{i + 1}": float(shares[k]) for i, k in enumerate(shown)},
            "intruder": descriptions[intruder], "intruder_topic": intruder,
        })
    return pd.DataFrame(rows)


def _labelstudio_tasks(tasks: pd.DataFrame) -> list[dict[str, Any]]:
    options = _option_columns(tasks)
    out = []
    for row in tasks.to_dict("records"):
        text = row.get("text")
        data = {
            "task_id": row["task_id"], "task": row["task"], "prompt": _PROMPTS[row["task"]],
            # word intrusion shows no document: the Text tag gets the words, one per line
            "text": text if isinstance(text, str) else "\n".join(
                str(row[c]) for c in options if isinstance(row[c], str)),
            "options": [{"value": str(row[c])} for c in options if isinstance(row[c], str)],
        }
        out.append({"data": data})
    return out


def write_intrusion_tasks(tasks: pd.DataFrame, folder: PathLike, *,
                          force: bool = False) -> Path:
    """Write intrusion tasks for coders and their answer key, as one folder (atomically).

    ::

        <folder>/
          tasks.csv                 for coders: task_id, task, text, option_1 ..., answer (empty)
          tasks_labelstudio.json    the same as Label Studio tasks (import into a project)
          labeling_config.xml       the Label Studio labeling interface for those tasks
          key.csv                   the answer key (keep it from the coders)
          manifest.json             what wrote the folder and the number of tasks

    Parameters
    ----------
    tasks : DataFrame
        Output of :func:`word_intrusion_tasks` and/or :func:`topic_intrusion_tasks`
        (concatenated).
    folder : str or PathLike
        The folder to write.
    force : bool, default=False
        Replace an existing folder.

    Returns
    -------
    Path
        ``folder``.
    """
    missing = [c for c in ("task_id", "task", "intruder") if c not in tasks.columns]
    if missing:
        raise InputError(f"not an intrusion task table: no {missing[0]!r} column",
                         field=missing[0])
    if tasks["task_id"].duplicated().any():
        raise InputError("task_id values must be unique", field="task_id")
    options = _option_columns(tasks)
    sheet = tasks[["task_id", "task", *(["text"] if "text" in tasks.columns else []),
                   *options]].assign(answer="")
    target = Path(folder)
    with atomic_directory(target, force=force) as tmp:
        sheet.to_csv(tmp / "tasks.csv", index=False)
        (tmp / "tasks_labelstudio.json").write_text(
            json.dumps(_labelstudio_tasks(tasks), ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8")
        (tmp / "labeling_config.xml").write_text(LABELING_CONFIG, encoding="utf-8")
        tasks.to_csv(tmp / "key.csv", index=False)
        # the manifest marks the folder as framing's: force may replace it later
        (tmp / "manifest.json").write_text(json.dumps(
            {"created_by": "framing.topics.write_intrusion_tasks", "n_tasks": len(tasks)},
            indent=2) + "\n", encoding="utf-8")
    return target


def _read_labelstudio(path: Path) -> pd.DataFrame:
    try:
        exported = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the Label Studio export ({exc})", path=path) from exc
    if not isinstance(exported, list):
        raise InputError("a Label Studio JSON export is a list of tasks", path=path)
    rows = []
    for number, task in enumerate(exported, start=1):
        data = task.get("data", {}) if isinstance(task, Mapping) else {}
        if "task_id" not in data:
            raise InputError("the task has no data.task_id (not made by "
                             "write_intrusion_tasks?)", path=path, row=number, field="data")
        # drafts are unsubmitted work and cancelled annotations were skipped: neither counts
        for annotation in task.get("annotations", []):
            if annotation.get("was_cancelled"):
                continue
            coder = annotation.get("completed_by")
            coder = coder.get("id") if isinstance(coder, Mapping) else coder
            for result in annotation.get("result", []):
                if result.get("type") != "choices" or result.get("from_name") != CHOICES_NAME:
                    continue
                for choice in result.get("value", {}).get("choices", []):
                    rows.append({"task_id": data["task_id"], "coder": str(coder),
                                 "answer": choice, "row_number": number})
    return pd.DataFrame(rows, columns=["task_id", "coder", "answer", "row_number"])


def _read_answers(answered: pd.DataFrame | PathLike) -> tuple[pd.DataFrame, Path | None]:
    if isinstance(answered, pd.DataFrame):
        frame, path = answered.copy(), None
        frame["row_number"] = np.arange(1, len(frame) + 1)
    else:
        path = Path(answered)
        if not path.is_file():
            raise InputError("no such file", path=path)
        if path.suffix.lower() == ".json":
            return _read_labelstudio(path), path
        try:
            frame = pd.read_csv(path, dtype={"task_id": str, "answer": str},
                                keep_default_na=False)
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read the answered sheet ({exc})", path=path) from exc
        frame["row_number"] = np.arange(1, len(frame) + 1)
    for column in ("task_id", "answer"):
        if column not in frame.columns:
            raise InputError(f"the answers have no {column!r} column", path=path,
                             field=column)
    if "coder" not in frame.columns:
        frame["coder"] = "coder"
    frame["answer"] = frame["answer"].fillna("").astype(str).str.strip()
    return frame[frame["answer"] != ""][["task_id", "coder", "answer", "row_number"]], path


def score_intrusion(answered: pd.DataFrame | PathLike,
                    key: pd.DataFrame | PathLike) -> pd.DataFrame:
    """Score answered intrusion tasks: model precision and topic log odds per topic.

    Parameters
    ----------
    answered : DataFrame or path
        The answered ``tasks.csv`` (``task_id``, ``answer``: the chosen option's text or its
        number 1..n; optional ``coder``; empty answers are skipped), or a Label Studio JSON
        export (``.json``) of the tasks in ``tasks_labelstudio.json``.
    key : DataFrame or path
        The answer key: the task table, or ``key.csv``, or the folder holding it.

    Returns
    -------
    DataFrame
        ``task``, ``topic`` (nullable; NA on the row for all topics), ``label``, ``measure``
        ("model_precision" for word intrusion: the share of answers that found the intruder;
        "topic_log_odds" for topic intrusion: mean of log share(intruder) - log
        share(chosen)), ``estimate``, ``n_answers``, ``n_tasks``.

    Raises
    ------
    InputError
        An unknown task_id or an answer that is not one of the task's options (with file,
        row and field).
    """
    if not isinstance(key, pd.DataFrame):
        key_path = Path(key)
        key_path = key_path / "key.csv" if key_path.is_dir() else key_path
        if not key_path.is_file():
            raise InputError("no answer key here", path=key_path)
        key = pd.read_csv(key_path, dtype={"task_id": str})
    answers, path = _read_answers(answered)
    tasks = key.set_index("task_id")
    options = _option_columns(key)
    records = []
    for row in answers.itertuples(index=False):
        if row.task_id not in tasks.index:
            raise InputError(f"unknown task {row.task_id!r}", path=path, row=row.row_number,
                             field="task_id")
        task = tasks.loc[row.task_id]
        shown = [str(task[c]) for c in options if isinstance(task[c], str)]
        answer = row.answer
        if answer.isdigit() and 1 <= int(answer) <= len(shown):
            position = int(answer) - 1
        else:
            lowered = [option.casefold() for option in shown]
            if answer.casefold() not in lowered:
                raise InputError(f"answer {answer!r} is not one of the options of task "
                                 f"{row.task_id}", path=path, row=row.row_number, field="answer")
            position = lowered.index(answer.casefold())
        record = {"task": task["task"], "task_id": row.task_id, "topic": int(task["topic"]),
                  "label": task["label"],
                  "correct": shown[position].casefold() == str(task["intruder"]).casefold()}
        if task["task"] == "topic_intrusion":
            chosen = float(task[f"share_{position + 1}"])
            intruder = float(task[f"share_{shown.index(str(task['intruder'])) + 1}"])
            record["value"] = float(np.log(intruder) - np.log(chosen))
        else:
            record["value"] = float(record["correct"])
        records.append(record)
    scored = pd.DataFrame(records, columns=["task", "task_id", "topic", "label", "correct",
                                            "value"])
    measures = {"word_intrusion": "model_precision", "topic_intrusion": "topic_log_odds"}
    out = []
    for task_kind, group in scored.groupby("task", sort=True):
        per_topic = group.groupby(["topic", "label"], sort=True).agg(
            estimate=("value", "mean"), n_answers=("value", "size"),
            n_tasks=("task_id", "nunique")).reset_index()
        overall = pd.DataFrame({"topic": [pd.NA], "label": ["all"],
                                "estimate": [group["value"].mean()],
                                "n_answers": [len(group)],
                                "n_tasks": [group["task_id"].nunique()]})
        table = pd.concat([per_topic.astype({"topic": "Int64"}),
                           overall.astype({"topic": "Int64"})], ignore_index=True)
        table.insert(0, "task", task_kind)
        table.insert(3, "measure", measures[task_kind])
        out.append(table)
    columns = ["task", "topic", "label", "measure", "estimate", "n_answers", "n_tasks"]
    if not out:
        return pd.DataFrame(columns=columns)
    return pd.concat(out, ignore_index=True)[columns]
