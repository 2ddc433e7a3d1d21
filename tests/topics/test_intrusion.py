"""Word- and topic-intrusion tasks: generated, written for coders, and scored back."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.corpus import InputError, StoreExistsError
from framing.topics import (
    TopicModel,
    score_intrusion,
    top_words,
    topic_intrusion_tasks,
    word_intrusion_tasks,
    write_intrusion_tasks,
)
from tests.conftest import shared_path
from tests.topics.conftest import FAST, make_tokens

SIX = {**FAST, "n_topics": 6}


@pytest.fixture(scope="module")
def model() -> TopicModel:
    return TopicModel(**FAST).fit(make_tokens()).set_labels({0: "first"})


@pytest.fixture(scope="module")
def six() -> tuple[TopicModel, pd.DataFrame, pd.DataFrame]:
    tokens = make_tokens(90)
    model = TopicModel(**SIX).fit(tokens)
    texts = tokens[["doc_id"]].assign(text=[" ".join(t) for t in tokens["tokens"]])
    return model, model.transform(tokens), texts


def test_word_intrusion_tasks(model: TopicModel) -> None:
    tasks = word_intrusion_tasks(model, n_words=4, n_tasks_per_topic=2, random_state=3)
    assert list(tasks.columns) == ["task_id", "task", "topic", "label", "option_1", "option_2",
                                   "option_3", "option_4", "option_5", "intruder"]
    assert tasks["topic"].tolist() == [0, 0, 1, 1, 2, 2]
    assert tasks["label"].tolist()[:2] == ["first", "first"]
    top = top_words(model, n=4)
    for row in tasks.itertuples():
        shown = [row.option_1, row.option_2, row.option_3, row.option_4, row.option_5]
        own = top.loc[top["topic"] == row.topic, "word"].tolist()
        assert sorted(shown) == sorted([*own, row.intruder])
        # the intruder is improbable in the topic and a top word of another topic
        index = model.vocabulary_.tolist().index(row.intruder)
        assert model.topic_word_[row.topic, index] <= np.median(model.topic_word_[row.topic])
        assert model.topic_word_[:, index].argmax() != row.topic
    again = word_intrusion_tasks(model, n_words=4, n_tasks_per_topic=2, random_state=3)
    assert again.to_csv() == tasks.to_csv()
    other = word_intrusion_tasks(model, n_words=4, n_tasks_per_topic=2, random_state=4)
    assert other.to_csv() != tasks.to_csv()


def test_topic_intrusion_tasks(six) -> None:
    model, doc_topics, texts = six
    tasks = topic_intrusion_tasks(model, doc_topics, texts, n_documents=10, n_words=3,
                                  random_state=1)
    assert len(tasks) == 10 and tasks["task_id"].tolist()[0] == "ti-0000"
    shares = doc_topics.set_index("doc_id")
    for row in tasks.to_dict("records"):
        shown = [row[f"option_topic_{i}"] for i in range(1, 5)]
        theta = shares.loc[row["document_id"], [f"topic_{k}" for k in range(6)]].to_numpy(
            dtype=float)
        assert row["intruder_topic"] in shown and len(set(shown)) == 4
        likely = [k for k in shown if k != row["intruder_topic"]]
        assert sorted(likely) == sorted(np.argsort(-theta, kind="stable")[:3].tolist())
        assert theta[row["intruder_topic"]] <= np.median(theta)
        assert row["topic"] == int(theta.argmax())
        assert row["share_1"] == pytest.approx(theta[shown[0]])
        assert row["text"] == texts.set_index("doc_id").loc[row["document_id"], "text"]
    assert topic_intrusion_tasks(model, doc_topics, texts, n_documents=10, n_words=3,
                                 random_state=1).to_csv() == tasks.to_csv()


def test_topic_intrusion_needs_enough_topics(model: TopicModel) -> None:
    tokens = make_tokens()
    with pytest.raises(InputError, match=r"needs at least 5 topics; the model has 3"):
        topic_intrusion_tasks(model, model.transform(tokens), tokens.assign(text="x"))


@pytest.fixture(scope="module")
def folder(six, model: TopicModel, tmp_path_factory: pytest.TempPathFactory) -> Path:
    six_model, doc_topics, texts = six
    tasks = pd.concat([
        word_intrusion_tasks(model, n_words=4, n_tasks_per_topic=2),
        topic_intrusion_tasks(six_model, doc_topics, texts, n_documents=6, n_words=3)],
        ignore_index=True)
    return write_intrusion_tasks(tasks, tmp_path_factory.mktemp("intrusion") / "tasks")


def test_written_folder(folder: Path) -> None:
    assert sorted(p.name for p in folder.iterdir()) == [
        "key.csv", "labeling_config.xml", "manifest.json", "tasks.csv",
        "tasks_labelstudio.json"]
    sheet = pd.read_csv(folder / "tasks.csv", keep_default_na=False)
    assert list(sheet.columns) == ["task_id", "task", "text", "option_1", "option_2",
                                   "option_3", "option_4", "option_5", "answer"]
    assert "intruder" not in sheet.columns and (sheet["answer"] == "").all()
    tasks = json.loads((folder / "tasks_labelstudio.json").read_text())
    assert len(tasks) == 12 and set(tasks[0]) == {"data"}
    word = tasks[0]["data"]
    assert set(word) == {"task_id", "task", "prompt", "text", "options"}
    assert len(word["options"]) == 5 and set(word["options"][0]) == {"value"}
    topic = tasks[-1]["data"]
    assert len(topic["options"]) == 4 and topic["text"] == sheet["text"].iloc[-1]
    config = (folder / "labeling_config.xml").read_text()
    assert 'name="intruder"' in config and 'value="$options"' in config


def test_write_refuses_to_overwrite(folder: Path) -> None:
    key = pd.read_csv(folder / "key.csv")
    with pytest.raises(StoreExistsError):
        write_intrusion_tasks(key, folder)


def answer_sheet(folder: Path, right: set[str]) -> pd.DataFrame:
    """The coders' sheet answered: the intruder for tasks in ``right``, else another option."""
    key = pd.read_csv(folder / "key.csv").set_index("task_id")
    sheet = pd.read_csv(folder / "tasks.csv", keep_default_na=False)
    answers = []
    for row in sheet.itertuples():
        options = [getattr(row, f"option_{i}") for i in range(1, 6)]
        intruder = key.loc[row.task_id, "intruder"]
        answers.append(intruder if row.task_id in right else next(
            o for o in options if o and o != intruder))
    return sheet.assign(answer=answers)


def test_score_csv(folder: Path, tmp_path: Path) -> None:
    key = pd.read_csv(folder / "key.csv")
    # word intrusion: topic 0's two tasks right, topic 1 one of two, topic 2 none
    right = {"wi-0000", "wi-0001", "wi-0002", "ti-0000", "ti-0001"}
    sheet = answer_sheet(folder, right)
    sheet.to_csv(tmp_path / "answered.csv", index=False)
    scores = score_intrusion(tmp_path / "answered.csv", folder)
    assert list(scores.columns) == ["task", "topic", "label", "measure", "estimate",
                                    "n_answers", "n_tasks"]
    word = scores[scores["task"] == "word_intrusion"]
    assert word["measure"].unique().tolist() == ["model_precision"]
    assert word["estimate"].tolist() == [1.0, 0.5, 0.0, 0.5]
    assert word["label"].tolist() == ["first", "topic_1", "topic_2", "all"]
    assert word["topic"].isna().tolist() == [False, False, False, True]
    topic = scores[scores["task"] == "topic_intrusion"]
    # topic log odds: 0 for a right answer, log share(intruder) - log share(chosen) otherwise
    expected = []
    for row in key[key["task"] == "topic_intrusion"].to_dict("records"):
        chosen = sheet.set_index("task_id").loc[row["task_id"], "answer"]
        position = [row[f"option_{i}"] for i in range(1, 5)].index(chosen) + 1
        intruder = [row[f"option_topic_{i}"] for i in range(1, 5)].index(
            row["intruder_topic"]) + 1
        expected.append(np.log(row[f"share_{intruder}"]) - np.log(row[f"share_{position}"]))
    assert expected[:2] == [0.0, 0.0] and all(v < 0 for v in expected[2:])
    overall = topic[topic["label"] == "all"]
    assert overall["estimate"].item() == pytest.approx(np.mean(expected))
    assert overall["n_answers"].item() == 6 and set(topic["measure"]) == {"topic_log_odds"}
    # answers given as option numbers score the same
    numbers = sheet.assign(answer=[
        str([getattr(r, f"option_{i}") for i in range(1, 6)].index(r.answer) + 1)
        for r in sheet.itertuples()])
    pd.testing.assert_frame_equal(score_intrusion(numbers, key), scores)


def labelstudio_export(folder: Path, answers: pd.DataFrame) -> list[dict]:
    """A Label Studio JSON export of our tasks, shaped like a real one (lssdk fixture)."""
    real = json.loads(shared_path("formats", "labelstudio",
                                  "lssdk_csv_test_history.json").read_text())[0]
    tasks = json.loads((folder / "tasks_labelstudio.json").read_text())
    exported = []
    for number, (task, answer) in enumerate(zip(tasks, answers["answer"], strict=True)):
        item = copy.deepcopy(real)
        item["id"], item["data"] = 1000 + number, task["data"]
        annotation = item["annotations"][0]
        annotation["result"][0].update({"from_name": "intruder", "to_name": "text",
                                        "value": {"choices": [answer]}})
        # a second, cancelled annotation by another coder must not count
        cancelled = copy.deepcopy(annotation)
        cancelled.update({"was_cancelled": True, "completed_by": {"id": 99}})
        cancelled["result"][0]["value"] = {"choices": [task["data"]["options"][0]["value"]]}
        item["annotations"] = [annotation, cancelled]
        exported.append(item)
    return exported


def test_score_labelstudio_export_matches_csv(folder: Path, tmp_path: Path) -> None:
    sheet = answer_sheet(folder, {"wi-0000", "wi-0003", "ti-0002"})
    path = tmp_path / "export.json"
    path.write_text(json.dumps(labelstudio_export(folder, sheet)))
    from_export = score_intrusion(path, folder / "key.csv")
    from_sheet = score_intrusion(sheet, folder)
    pd.testing.assert_frame_equal(from_export, from_sheet)


@pytest.mark.parametrize(("change", "message"), [
    (lambda s: s.assign(answer=["nonsense"] + s["answer"].tolist()[1:]),
     r"answered\.csv: row 1, field 'answer': answer 'nonsense' is not one of the options"),
    (lambda s: s.assign(task_id=["wi-9999"] + s["task_id"].tolist()[1:]),
     r"answered\.csv: row 1, field 'task_id': unknown task 'wi-9999'"),
    (lambda s: s.drop(columns=["answer"]), r"field 'answer': the answers have no 'answer'"),
])
def test_score_errors(folder: Path, tmp_path: Path, change, message: str) -> None:
    change(answer_sheet(folder, set())).to_csv(tmp_path / "answered.csv", index=False)
    with pytest.raises(InputError, match=message):
        score_intrusion(tmp_path / "answered.csv", folder)


def test_blank_answers_are_skipped(folder: Path) -> None:
    sheet = answer_sheet(folder, {"wi-0000"})
    sheet.loc[1:, "answer"] = ""
    scores = score_intrusion(sheet, folder)
    assert scores[["task", "estimate", "n_answers"]].values.tolist() == [
        ["word_intrusion", 1.0, 1], ["word_intrusion", 1.0, 1]]
