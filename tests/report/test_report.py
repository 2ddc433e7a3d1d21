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
    # a file of the user's own that has the name a failed run's notebook would take: a
    # successful run must leave it alone (issue 21: it was deleted)
    (base / "first.failed.ipynb").write_text(_USERS_NOTEBOOK, encoding="utf-8")
    first = run_report(sample_store, base / "first", parameters=fast, progress=False)
    second = run_report(sample_store, base / "second", parameters=fast, progress=False)
    return first, second


_USERS_NOTEBOOK = '{"cells": [], "metadata": {"mine": true}, "nbformat": 4, "nbformat_minor": 5}\n'


def test_a_successful_run_leaves_a_users_failed_ipynb_alone(two_runs) -> None:
    first, _ = two_runs
    users = first.path.with_name("first.failed.ipynb")
    assert users.read_text(encoding="utf-8") == _USERS_NOTEBOOK


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
    assert first.html_with_code.is_file()


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


def test_classifier_template_runs_with_the_default_features(sample_store, tmp_path,
                                                           monkeypatch) -> None:
    """The README's classifier report, with embeddings when installed (they were the case
    that failed: a reliability bin at 1.0 gave a negative error bar)."""
    from framing.frames import embeddings_available

    # A relative output folder is the caller's, though the notebook runs in the run folder.
    monkeypatch.chdir(tmp_path)
    run = run_report(sample_store, "classifier", template="classifier_report",
                     parameters={"annotations": str(SAMPLE / "annotations.csv"),
                                 "train_sizes": [100, 200]},
                     progress=False)
    assert run.manifest["parameters"]["features"] == "auto"
    card = (run.path / "model" / "CARD.md").read_text(encoding="utf-8")
    assert ("features: both" if embeddings_available() else "features: tfidf") in card
    figures = ("classifier_scores", "classifier_reliability", "classifier_confusion",
               "classifier_learning_curve")
    for name in figures:
        assert (run.path / "figures" / f"{name}.pdf").is_file(), name
    summary = pd.read_csv(run.path / "tables" / "evaluation_summary.csv")
    assert set(summary["scheme"]) == {"grouped", "outlet"}
    assert (summary["macro_f1"] > 0.5).all()
    comparison = pd.read_csv(run.path / "tables" / "retraining_comparison.csv")
    assert {"parent", "retrained"} <= set(comparison["model"])
    assert (tmp_path / "classifier" / "figures").is_dir()
    assert len(run.manifest["outputs"]["tables"]) >= 8
    assert _unwanted_outputs(run) == []
    page = run.html.read_text(encoding="utf-8")
    assert len(_embedded_images(page)) == len(figures)
    # the model card is rendered (its headings sit under the report's section), not printed
    assert re.search(r"<h3[^>]*>Frame model frames-", page)
    assert "# Frame model" not in page
    assert "Macro-F1 <strong>" in page and "annotated passages" in page


def _unwanted_outputs(run) -> list[str]:
    """Outputs a report must not show: stderr, warnings, tracebacks, bare figure reprs."""
    notebook = nbformat.read(run.path / run.manifest["notebook"], as_version=4)
    found = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            text = output.get("text", "") + output.get("data", {}).get("text/plain", "")
            if output.get("output_type") in ("error",) or output.get("name") == "stderr":
                found.append(f"cell {index}: {output.get('output_type')} {text[:200]}")
            elif re.search(r"Warning|<Figure size|ipykernel_|Loading weights|it/s\]", text):
                found.append(f"cell {index}: {text[:200]}")
    return found


def _embedded_images(page: str) -> list[str]:
    return re.findall(r'<img[^>]*? src="data:image/png;base64,([^"]+)"', page)


def test_report_shows_no_stderr_warnings_or_figure_reprs(two_runs) -> None:
    first, _ = two_runs
    assert _unwanted_outputs(first) == []


def test_every_chart_is_embedded_in_the_page(two_runs) -> None:
    first, _ = two_runs
    page = first.html.read_text(encoding="utf-8")
    charts = {Path(entry["path"]).stem for entry in first.manifest["outputs"]["figures"]}
    assert charts == set(EXPECTED_FIGURES)
    assert len(_embedded_images(page)) == len(charts)
    for name in charts:
        assert f'id="figure-{name}"' in page, name


def test_page_reads_as_a_report(two_runs) -> None:
    first, _ = two_runs
    page = first.html.read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    heading = re.search(r"<h1[^>]*>(.*?)<a", page).group(1)
    assert title == heading == "How the news frames Donald Trump: The Ukraine peace process"
    # the summary (computed last) opens the page, then the contents, then the sections
    positions = [page.index(marker) for marker in
                 ('id="Summary"', 'class="framing-contents"', 'id="Corpus"', 'id="Files"',
                  'id="About-this-run"')]
    assert positions == sorted(positions)
    summary = page[positions[0]:positions[1]]
    assert re.search(r"\d\.\d\d \[\d\.\d\d, \d\.\d\d\] in ", summary)  # quoted intervals
    assert "on the 400 annotated passages" in summary
    assert "Note (Frame prevalence by outlet and month)" in summary
    # every entry of the contents leads to a heading of the page
    nav = re.search(r'<nav class="framing-contents">(.*?)</nav>', page, re.S).group(1)
    anchors = re.findall(r'href="#([^"]+)"', nav)
    assert len(anchors) >= 8
    for anchor in anchors:
        assert f'id="{anchor}"' in page, anchor
    # code hidden here; the other page has it, with the parameters actually used
    assert 'class="jp-CodeMirrorEditor' not in page and "from framing.report import" not in page
    code = first.html_with_code.read_text(encoding="utf-8")
    assert 'class="jp-CodeMirrorEditor' in code and "framing.report" in code
    assert "injected-parameters" in code and "papermill replaces this" not in code
    assert first.html_with_code.name in page and first.html.name in code
    # formatted tables: no pandas index column, no long decimals, intervals inline
    assert 'class="dataframe"' not in page
    assert not re.search(r"<td[^>]*>\d\.\d{4,}</td>", page)
    assert re.search(r"<td[^>]*>0\.\d\d \[0\.\d\d, 0\.\d\d\]</td>", page)


def test_page_links_every_figure_table_and_the_manifest(two_runs) -> None:
    first, _ = two_runs
    page = first.html.read_text(encoding="utf-8")
    links = set(re.findall(r'href="([^"#][^"]*)"', page))
    links = {link for link in links if "://" not in link}
    for link in links:
        assert (first.path / link).is_file(), link
    outputs = first.manifest["outputs"]
    wanted = {entry["path"] for kind in ("figures", "tables") for entry in outputs[kind]}
    assert wanted | {"manifest.json", first.manifest["notebook"]} <= links


def test_no_temporary_path_in_the_report(two_runs) -> None:
    first, _ = two_runs
    for name in (first.manifest["html"], first.manifest["html_with_code"],
                 first.manifest["notebook"]):
        text = (first.path / name).read_text(encoding="utf-8")
        # atomic_directory builds the run in ".<name>.<random>.tmp" beside it
        assert not re.search(rf"\.{first.path.name}\.\w+\.tmp", text), name
        assert "ipykernel_" not in text, name


def _browser() -> str:
    import os
    import shutil

    found = next((shutil.which(name) for name in ("chromium", "chromium-browser",
                                                  "google-chrome") if shutil.which(name)), None)
    if found is None:
        if os.environ.get("FRAMING_REQUIRE_BROWSER"):
            pytest.fail("FRAMING_REQUIRE_BROWSER is set but no chromium is installed "
                        "(apt-get install chromium)")
        pytest.skip("no chromium to render the report (CI installs Debian's chromium)")
    return found


def _chromium(browser: str, profile: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--no-first-run",
         "--disable-sync", f"--user-data-dir={profile}", "--hide-scrollbars", *arguments],
        capture_output=True, text=True, timeout=180, check=False)


def test_sample_report_renders_in_a_browser(two_runs, tmp_path) -> None:
    """The page as a reader sees it: headless Chromium loads it, every chart is an image that
    decodes, and the screenshot shows the charts' colours (it is not blank)."""
    import base64
    from io import BytesIO

    import numpy as np
    from PIL import Image

    first, _ = two_runs
    browser = _browser()
    url = first.html.resolve().as_uri()
    dom = _chromium(browser, tmp_path / "profile-dom", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    images = _embedded_images(dom.stdout)
    charts = {Path(entry["path"]).stem for entry in first.manifest["outputs"]["figures"]}
    assert len(images) == len(charts) == len(EXPECTED_FIGURES)
    for data in images:
        with Image.open(BytesIO(base64.b64decode(data))) as image:
            pixels = np.asarray(image.convert("L"))
            assert min(image.size) > 300 and pixels.std() > 10  # a drawing, not a blank
    shot = tmp_path / "page.png"
    result = _chromium(browser, tmp_path / "profile-shot", f"--screenshot={shot}",
                       "--window-size=1400,16000", url)
    assert result.returncode == 0 and shot.is_file(), result.stderr[-2000:]
    with Image.open(shot) as image:
        rgb = np.asarray(image.convert("RGB")).astype(int)
        hsv = np.asarray(image.convert("HSV")).astype(int)
    assert (rgb.min(axis=2) < 245).mean() > 0.03  # not blank: text, tables and charts
    # the charts' series colours (Okabe-Ito blue and orange) cover real areas of the page. By
    # hue, not exact RGB: the over-time chart draws its monthly points translucent, so the
    # series colour reaches the page blended with white (same hue, still saturated).
    for colour in ((0x00, 0x72, 0xB2), (0xE6, 0x9F, 0x00)):
        with Image.new("RGB", (1, 1), colour) as swatch:
            hue = int(np.asarray(swatch.convert("HSV"))[0, 0, 0])
        distance = np.abs(hsv[..., 0] - hue)
        distance = np.minimum(distance, 256 - distance)
        near = ((distance < 8) & (hsv[..., 1] > 80) & (hsv[..., 2] > 100)).sum()
        assert near > 2000, colour


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
    # the fixture put the user's own first.failed.ipynb beside it: that file is kept, and the
    # failed run's notebook takes the next free name
    assert "first.failed-2.ipynb" in str(caught.value)
    assert first.path.with_name("first.failed-2.ipynb").is_file()
    users = first.path.with_name("first.failed.ipynb").read_text(encoding="utf-8")
    assert users == _USERS_NOTEBOOK


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
