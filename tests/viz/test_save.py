"""save_figure: valid PDF / SVG / PNG, embedded fonts, atomic, byte-identical on reruns."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from PIL import Image

from framing.corpus import InputError, StoreExistsError
from framing.viz import plot_k_search, save_figure
from tests.viz.conftest import make_k_search


@pytest.fixture(scope="module")
def chart() -> Figure:
    return plot_k_search(make_k_search(), selected_k=20)


@pytest.fixture(scope="module")
def saved(chart: Figure, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return save_figure(chart, tmp_path_factory.mktemp("fig") / "k_search")


def test_writes_the_three_formats_in_order(saved: list[Path]) -> None:
    assert [p.name for p in saved] == ["k_search.pdf", "k_search.svg", "k_search.png"]
    assert all(p.stat().st_size > 1000 for p in saved)
    assert not [p for p in saved[0].parent.iterdir() if p.name.endswith(".tmp")]


def test_pdf_is_valid_with_embedded_truetype_fonts(saved: list[Path]) -> None:
    data = saved[0].read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert b"/FontFile2" in data  # TrueType (Type 42) font program embedded
    assert b"/Subtype /Type3" not in data  # no bitmap-like Type 3 fonts
    assert b"/CreationDate" not in data  # no date: reruns are identical


def test_svg_parses_and_draws_text_as_paths(saved: list[Path]) -> None:
    root = ET.parse(saved[1]).getroot()
    assert root.tag.endswith("svg")
    assert float(root.get("width").removesuffix("pt")) == pytest.approx(7.2 * 72)
    assert not list(root.iter("{http://www.w3.org/2000/svg}text"))  # glyphs are paths
    assert b"<dc:date>" not in saved[1].read_bytes()


def test_png_has_the_resolution_and_size_asked(chart: Figure, saved: list[Path]) -> None:
    with Image.open(saved[2]) as image:
        image.load()
        width_in, height_in = chart.get_size_inches()
        assert image.size == (int(width_in * 300), int(height_in * 300))  # matplotlib floors
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)


def test_png_dpi_parameter(chart: Figure, tmp_path: Path) -> None:
    (path,) = save_figure(chart, tmp_path / "low", formats=("png",), dpi=100)
    with Image.open(path) as image:
        assert image.size[0] == round(chart.get_size_inches()[0] * 100)


def test_reruns_are_byte_identical(saved: list[Path], tmp_path: Path) -> None:
    # A new figure from the same table, saved elsewhere, gives the same bytes.
    again = plot_k_search(make_k_search(), selected_k=20)
    rerun = save_figure(again, tmp_path / "k_search")
    for first, second in zip(saved, rerun, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.suffix


def test_refuses_to_overwrite_and_writes_nothing(chart: Figure, tmp_path: Path) -> None:
    svg = tmp_path / "fig.svg"
    svg.write_text("mine")
    with pytest.raises(StoreExistsError, match=r"fig\.svg exists"):
        save_figure(chart, tmp_path / "fig")
    assert svg.read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig.svg"]  # no PDF written either
    (path,) = save_figure(chart, tmp_path / "fig", formats=("svg",), force=True)
    assert path == svg and svg.read_bytes().startswith(b"<?xml")


def test_suffix_given_is_dropped(chart: Figure, tmp_path: Path) -> None:
    (path,) = save_figure(chart, tmp_path / "sub" / "fig.pdf", formats=["pdf"])
    assert path == tmp_path / "sub" / "fig.pdf" and path.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("formats", [("jpg",), (), ("pdf", "pdf")])
def test_bad_formats(chart: Figure, tmp_path: Path, formats: tuple[str, ...]) -> None:
    with pytest.raises(InputError, match="formats must be"):
        save_figure(chart, tmp_path / "x", formats=formats)


def test_not_a_figure(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="needs a matplotlib Figure; got DataFrame"):
        save_figure(make_k_search(), tmp_path / "x")


def test_bad_dpi(chart: Figure, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="'dpi' parameter of save_figure"):
        save_figure(chart, tmp_path / "x", dpi=10)
