"""transform(out=...): the document-topic table streamed to Parquet, labels in its metadata."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from framing.corpus import InputError, StoreExistsError
from framing.topics import TopicModel
from tests.topics.conftest import FAST


@pytest.fixture
def model(tokens: pd.DataFrame) -> TopicModel:
    return TopicModel(**FAST).fit(tokens).set_labels({0: "war", 2: "money"})


def test_transform_attrs_carry_labels(model: TopicModel, tokens: pd.DataFrame) -> None:
    table = model.transform(tokens)
    assert table.attrs == {"model_id": model.model_id_, "id_column": "doc_id", "n_topics": 3,
                           "topic_labels": ["war", "topic_1", "money"]}


@pytest.mark.parametrize("batch_size", [1, 7, 60, 1000])
def test_streamed_equals_in_memory(model: TopicModel, tokens: pd.DataFrame, tmp_path: Path,
                                   batch_size: int) -> None:
    path = model.transform(tokens, out=tmp_path / "dt.parquet", batch_size=batch_size)
    assert path == tmp_path / "dt.parquet"
    streamed = pd.read_parquet(path)
    expected = model.transform(tokens).reset_index(drop=True)
    pd.testing.assert_frame_equal(streamed, expected)
    assert streamed.attrs["topic_labels"] == ["war", "topic_1", "money"]
    assert streamed.attrs["model_id"] == model.model_id_


def test_streamed_from_batches(model: TopicModel, tokens: pd.DataFrame,
                               tmp_path: Path) -> None:
    batches = (tokens.iloc[i:i + 25] for i in range(0, 60, 25))  # a one-shot generator
    model.transform(batches, out=tmp_path / "a.parquet", batch_size=10)
    model.transform(tokens, out=tmp_path / "b.parquet", batch_size=10)
    model.transform(tokens, out=tmp_path / "c.parquet", batch_size=10)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "a.parquet"),
                                  pd.read_parquet(tmp_path / "b.parquet"))
    assert (tmp_path / "b.parquet").read_bytes() == (tmp_path / "c.parquet").read_bytes()
    assert pq.ParquetFile(tmp_path / "a.parquet").metadata.num_row_groups == 7  # 10, 10, 5 ...


def test_streaming_refuses_to_overwrite(model: TopicModel, tokens: pd.DataFrame,
                                        tmp_path: Path) -> None:
    path = tmp_path / "dt.parquet"
    path.write_text("user file")
    with pytest.raises(StoreExistsError):
        model.transform(tokens, out=path)
    assert path.read_text() == "user file"
    model.transform(tokens, out=path, force=True)
    assert len(pd.read_parquet(path)) == 60


def test_streaming_failure_leaves_nothing(model: TopicModel, tokens: pd.DataFrame,
                                         tmp_path: Path) -> None:
    bad = [tokens.iloc[:10], tokens.iloc[10:20].drop(columns=["tokens"])]
    with pytest.raises(InputError, match=r"no 'tokens' column"):
        model.transform(bad, out=tmp_path / "dt.parquet")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(InputError, match=r"no rows to transform"):
        model.transform([], out=tmp_path / "dt.parquet")
    with pytest.raises(InputError, match=r"The 'batch_size' parameter"):
        model.transform(tokens, out=tmp_path / "dt.parquet", batch_size=0)
