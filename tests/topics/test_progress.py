"""The Gibbs-sweep progress bar of ``TopicModel.fit`` and ``framing topics fit --quiet``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from framing.cli import main
from framing.topics import TopicModel
from tests.topics.conftest import make_tokens


@pytest.mark.parametrize("kind", ["lda", "dmr"])
def test_the_bar_counts_every_sweep_and_changes_nothing(
        kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    tokens = make_tokens()
    settings = {"n_topics": 3, "kind": kind, "n_iterations": 95, "min_df": 1,
                "random_state": 4}
    shown = TopicModel(**settings).fit(tokens, progress=True)
    bar = capsys.readouterr().err
    # 95 is not a multiple of the update interval: the last, partial step is counted too
    assert "topics fit" in bar and "95/95" in bar
    silent = TopicModel(**settings).fit(tokens)
    assert capsys.readouterr().err == ""
    assert np.array_equal(shown.topic_word_, silent.topic_word_)
    assert np.array_equal(shown.doc_topic_, silent.doc_topic_)
    assert shown.model_id_ == silent.model_id_


@pytest.mark.parametrize("quiet", [True, False])
def test_topics_fit_quiet(quiet: bool, tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "tokens.parquet"
    make_tokens().to_parquet(path)
    assert main(["topics", "fit", "--tokens", str(path), "--k", "3", "--iterations", "40",
                 "--min-df", "1", "--out", str(tmp_path / "bundle"),
                 *(["--quiet"] if quiet else [])]) == 0
    err = capsys.readouterr().err
    assert ("40/40" not in err) if quiet else ("topics fit" in err and "40/40" in err)
