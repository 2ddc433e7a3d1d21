"""The report stage: templates run headless into a run folder with a manifest; reruns agree."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from framing.cli import main
from framing.corpus import InputError, StoreExistsError, import_corpus
from framing.report import ReportError, compare_reports, load_report, run_report, templates
from tests.conftest import REPO, SAMPLE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "corpus"
    return import_corpus(SAMPLE / "articles.jsonl", out,
                         outlet_aliases=SAMPLE / "outlet_aliases.csv", progress=False).path


@pytest.fixture(scope="module")
def two_runs(sample_store, tmp_path_factory):
    """The sample report, run twice with the same inputs and seed (small settings for speed)."""
    base = tmp_path_factory.mktemp("runs")
    # TF-IDF features keep this fast; the embeddings path is tested in tests/frames.
    fast = {"n_topics": 6, "topic_iterations": 60, "n_bootstrap": 100, "features": "tfidf",
            "annotations": str(SAMPLE / "annotations.csv")}
    first = run_report(sample_store, base / "first", parameters=fast, progress=False)
    second = run_report(sample_store, base / "second", parameters=fast, progress=False)
    return first, second


def test_templates_are_built_from_their_source() -> None:
    result = subprocess.run([sys.executable, str(REPO / "notebooks" / "build_templates.py"),
                             "--check"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_template_starts_with_a_parameters_cell() -> None:
    notebook = nbformat.read(templates()["corpus_report"], as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    # Cells after the parameters call only the public API: no private framing modules.
    for cell in code:
        assert not re.search(r"framing(\.[a-z]\w*)*\._[a-z]", cell.source), cell.source


def test_report_runs_without_error_cells(two_runs) -> None:
    first, _ = two_runs
    notebook = nbformat.read(first.path / first.manifest["notebook"], as_version=4)
    errors = [output for cell in notebook.cells for output in cell.get("outputs", [])
              if output.get("output_type") == "error"]
    assert errors == []
    assert first.html.is_file() and "<html" in first.html.read_text(encoding="utf-8")[:500]


EXPECTED_FIGURES = ("classifier_scores", "frame_prevalence_by_outlet", "frame_prevalence_over_time",
                    "topic_frame_crosstab", "topic_prevalence_by_outlet",
                    "topic_prevalence_over_time", "topic_top_words")


def test_every_expected_figure_is_a_valid_pdf_svg_and_png(two_runs) -> None:
    from xml.etree import ElementTree

    from PIL import Image

    first, _ = two_runs
    folder = first.path / "figures"
    for name in EXPECTED_FIGURES:
        pdf = (folder / f"{name}.pdf").read_bytes()
        assert pdf.startswith(b"%PDF") and b"%%EOF" in pdf[-1024:], name
        root = ElementTree.parse(folder / f"{name}.svg").getroot()
        assert root.tag.endswith("svg"), name
        with Image.open(folder / f"{name}.png") as image:
            image.verify()
            assert image.format == "PNG" and min(image.size) > 300, name
    listed = {Path(entry["path"]).stem for entry in first.manifest["outputs"]["figures"]}
    assert set(EXPECTED_FIGURES) <= listed


def test_prevalence_tables_cover_every_outlet_and_frame(two_runs) -> None:
    first, _ = two_runs
    table = pd.read_csv(first.path / "tables" / "frame_prevalence_by_outlet.csv")
    assert set(table["frame"]) == {"peacemaker", "isolationist", "skeptic"}
    assert table["outlet"].nunique() == 6
    assert ((table["ci_low"] <= table["estimate"]) & (table["estimate"] <= table["ci_high"])).all()


def test_classifier_template_runs(sample_store, tmp_path, monkeypatch) -> None:
    # A relative output folder is the caller's, though the notebook runs in notebooks/.
    monkeypatch.chdir(tmp_path)
    run = run_report(sample_store, "classifier", template="classifier_report",
                     parameters={"annotations": str(SAMPLE / "annotations.csv"),
                                 "features": "tfidf", "train_sizes": [100, 200]},
                     progress=False)
    for name in ("classifier_scores", "classifier_reliability", "classifier_confusion",
                 "classifier_learning_curve"):
        assert (run.path / "figures" / f"{name}.pdf").is_file(), name
    summary = pd.read_csv(run.path / "tables" / "evaluation_summary.csv")
    assert set(summary["scheme"]) == {"grouped", "outlet"}
    assert (summary["macro_f1"] > 0.5).all()
    comparison = pd.read_csv(run.path / "tables" / "retraining_comparison.csv")
    assert {"parent", "retrained"} <= set(comparison["model"])
    assert (run.path / "model" / "CARD.md").is_file()
    assert (tmp_path / "classifier" / "figures").is_dir()
    assert len(run.manifest["outputs"]["tables"]) >= 8


def test_manifest_records_inputs_versions_and_steps(two_runs) -> None:
    first, _ = two_runs
    manifest = load_report(first.path)
    assert set(manifest["inputs"]) >= {"corpus", "annotations"}
    assert all(len(entry["sha256"]) == 64 for entry in manifest["inputs"].values())
    assert manifest["seeds"] == {"seed": 0}
    assert manifest["versions"]["pandas"] and manifest["versions"]["papermill"]
    steps = [step["step"] for step in manifest["steps"]]
    assert "Corpus" in steps and any(step.startswith("Frames") for step in steps)
    assert manifest["parameters"]["output_dir"] == str(first.path.resolve())
    assert json.loads((first.path / "manifest.json").read_text())["template"]["name"] == \
        "corpus_report"


def test_tables_are_identical_on_a_rerun(two_runs) -> None:
    first, second = two_runs
    comparison = compare_reports(first.path, second.path)
    assert len(comparison) >= 8
    assert comparison["identical"].all(), comparison[~comparison["identical"]]


def test_existing_run_is_kept_without_force(two_runs, sample_store) -> None:
    first, _ = two_runs
    before = (first.path / "manifest.json").read_bytes()
    with pytest.raises(StoreExistsError, match="exists"):
        run_report(sample_store, first.path, progress=False)
    assert (first.path / "manifest.json").read_bytes() == before


def test_failed_run_leaves_the_earlier_report_intact(two_runs, sample_store, tmp_path) -> None:
    first, _ = two_runs
    before = (first.path / "manifest.json").read_bytes()
    with pytest.raises(ReportError, match="missing.csv") as caught:
        run_report(sample_store, first.path, force=True, progress=False,
                   parameters={"annotations": str(tmp_path / "missing.csv"),
                               "topic_iterations": 20, "n_topics": 4})
    assert (first.path / "manifest.json").read_bytes() == before
    assert "failed.ipynb" in str(caught.value)
    assert first.path.with_name(first.path.name + ".failed.ipynb").is_file()


def test_not_a_store_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(InputError, match="not a corpus store"):
        run_report(tmp_path, tmp_path / "out", progress=False)


def test_unknown_template_is_a_clear_error(sample_store, tmp_path) -> None:
    with pytest.raises(InputError, match="unknown report template"):
        run_report(sample_store, tmp_path / "out", template="nope", progress=False)


def test_cli_bad_parameter_is_a_clear_error(sample_store, tmp_path, capsys) -> None:
    status = main(["report", "--corpus", str(sample_store), "--out", str(tmp_path / "r"),
                   "-p", "no_equals_sign"])
    assert status == 2
    assert "NAME=VALUE" in capsys.readouterr().err


def test_sample_annotations_match_the_passages_the_extractor_finds(sample_store) -> None:
    """corpora/sample/annotations.csv codes passages by id; they must still be what we extract.

    When the extractor changes, regenerate it: `python corpora/sample/make_annotations.py --force`.
    """
    from framing.text import extract_passages

    passages = extract_passages(sample_store, progress=False).passages.set_index("passage_id")
    coded = pd.read_csv(SAMPLE / "annotations.csv").set_index("passage_id")
    assert coded.index.isin(passages.index).all()
    assert (passages.loc[coded.index, "text"] == coded["text"]).all()
    assert len(coded) == 400 and set(coded["sample"]) == {"random"}
