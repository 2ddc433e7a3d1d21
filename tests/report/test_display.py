"""What a report shows: formatted tables, embedded figures, notes and the summary sentences."""

from __future__ import annotations

import base64
import re
import warnings
from io import BytesIO

import pandas as pd
import pytest
from PIL import Image

from framing.corpus import InputError
from framing.report import (
    ReportNotes,
    ReportText,
    describe_changes,
    describe_classifier,
    describe_prevalence,
    format_interval,
    format_table,
    show_figure,
    summarize,
)


def prevalence() -> pd.DataFrame:
    return pd.DataFrame({
        "outlet": ["Harbor Daily", "Harbor Daily", "The Meridian Post", "The Meridian Post"],
        "frame": ["peacemaker", "skeptic"] * 2,
        "method": "pacc",
        "estimate": [0.8123, 0.2049, 0.2217, 0.6811],
        "ci_low": [0.7201, 0.1105, 0.1398, 0.5795],
        "ci_high": [0.8826, 0.3012, 0.2931, 0.7902],
        "n_passages": [361, 361, 397, 397],
        "is_thin": [False, False, False, True],
    })


@pytest.mark.parametrize(("args", "kwargs", "expected"), [
    ((0.4213, 0.3497, 0.4911), {}, "0.42 [0.35, 0.49]"),
    ((0.4213, 0.3497, 0.4911), {"decimals": 3}, "0.421 [0.350, 0.491]"),
    ((-0.29, -0.43, -0.15), {"signed": True}, "\u22120.29 [\u22120.43, \u22120.15]"),
    ((0.001, -0.002, 0.2), {"signed": True}, "0.00 [0.00, +0.20]"),  # no "+0.00" / "-0.00"
    ((float("nan"), 0.1, 0.2), {}, "\u2013"),
    ((0.5, float("nan"), 0.7), {}, "0.50"),
])
def test_format_interval(args: tuple, kwargs: dict, expected: str) -> None:
    assert format_interval(*args, **kwargs) == expected


def test_table_merges_intervals_drops_the_index_and_rounds() -> None:
    table = format_table(prevalence().set_index("outlet"))
    assert list(table.table.columns) == ["outlet", "frame", "method", "estimate [95% CI]",
                                         "passages", "thin cell"]
    assert table.table.iloc[0].tolist() == ["Harbor Daily", "peacemaker", "pacc",
                                            "0.81 [0.72, 0.88]", "361", "no"]
    html = table._repr_html_()
    assert "<th" in html and "ci_low" not in html and "0.8123" not in html
    assert "<tbody><tr><td" in html  # no index cells before the first column


def test_table_keeps_an_index_that_says_something() -> None:
    scores = pd.DataFrame({"f1": [0.82, 0.76]}, index=["peacemaker", "isolationist"])
    assert format_table(scores).table.values.tolist() == [["peacemaker", "0.82"],
                                                          ["isolationist", "0.76"]]
    numbered = pd.DataFrame({"f1": [0.82, 0.76]}, index=[5, 9])  # a filtered table's rows
    assert format_table(numbered).table.columns.tolist() == ["F1"]


def test_table_pivots_in_order_of_appearance() -> None:
    table = format_table(prevalence(), rows="outlet", across="frame")
    assert table.table.columns.tolist() == ["outlet", "peacemaker", "skeptic"]
    assert table.table["skeptic"].tolist() == ["0.20 [0.11, 0.30]", "0.68 [0.58, 0.79]"]
    counts = format_table(prevalence(), rows=["outlet", "frame"], across="method",
                          values="n_passages")
    assert counts.table.columns.tolist() == ["outlet", "frame", "pacc"]
    assert counts.table["pacc"].tolist() == ["361", "361", "397", "397"]


def test_table_formats_counts_p_values_and_word_lists() -> None:
    table = pd.DataFrame({"topic": [0, 1], "n_documents": [1234.0, 5.0],
                          "p_value": [0.0004, 0.25],
                          "word": [["ceasefire", "talks", "summit", "envoy"], ["oil", "price"]]})
    shown = format_table(table, labels={"word": "top words"}).table
    assert shown.columns.tolist() == ["topic", "documents", "p", "top words"]
    assert shown.iloc[0].tolist() == ["0", "1,234", "<0.001", "ceasefire, talks, summit, envoy"]
    assert shown.iloc[1].tolist() == ["1", "5", "0.250", "oil, price"]


def test_long_tables_say_how_many_rows_and_link_the_file(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tables").mkdir()
    source = tmp_path / "tables" / "long.csv"
    source.write_text("x\n")
    table = format_table(pd.DataFrame({"x": range(50)}), max_rows=10, source=source,
                         caption="Fifty rows")
    assert len(table.table) == 10
    html = table._repr_html_()
    assert "First 10 of 50 rows." in html
    assert '<a href="tables/long.csv">' in html  # relative to the report's folder
    assert "Fifty rows" in html and repr(table).startswith("Fifty rows")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"rows": "outlet"}, "give both rows= and across="),
    ({"rows": "outlet", "across": "nope"}, "no column 'nope' to pivot on"),
    ({"columns": ["nope"]}, "no column 'nope'; the table has"),
])
def test_table_errors_name_the_problem(kwargs: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        format_table(prevalence(), **kwargs)
    with pytest.raises(InputError, match="needs a pandas DataFrame; got list"):
        format_table([1, 2])


def test_show_figure_saves_the_files_and_embeds_the_image(tmp_path, monkeypatch) -> None:
    from framing.viz import plot_prevalence_by_outlet

    monkeypatch.chdir(tmp_path)
    shown = show_figure(plot_prevalence_by_outlet(prevalence()), "by_outlet", tmp_path,
                        caption="Share of passages by outlet.")
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == [
        "by_outlet.pdf", "by_outlet.png", "by_outlet.svg"]
    html = shown._repr_html_()
    for link in ("figures/by_outlet.pdf", "figures/by_outlet.svg", "figures/by_outlet.png"):
        assert f'href="{link}"' in html
    data = re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1)
    width = int(re.search(r'width="(\d+)"', html).group(1))
    with Image.open(BytesIO(base64.b64decode(data))) as image:
        assert abs(image.size[0] - 2 * width) <= 1  # drawn at twice the size it is shown
    assert 'alt="Share of passages by outlet."' in html and 'id="figure-by_outlet"' in html
    with pytest.raises(InputError, match="must be a plain file name"):
        show_figure(plot_prevalence_by_outlet(prevalence()), "../x", tmp_path)
    with pytest.raises(InputError, match="needs a matplotlib Figure; got str"):
        show_figure("chart", "x", tmp_path)


def test_notes_outside_a_kernel_warn_again() -> None:
    notes = ReportNotes()
    with pytest.warns(UserWarning, match="cells are thin"):
        with notes("Monthly shares"):
            warnings.warn("3 of 72 cells are thin", UserWarning, stacklevel=1)
    assert notes.messages == ["(Monthly shares) 3 of 72 cells are thin."]
    assert notes._repr_markdown_() == "> **Note (Monthly shares).** 3 of 72 cells are thin."
    with notes:
        pass
    assert len(notes.messages) == 1


def test_card_headings_move_under_the_section(tmp_path) -> None:
    card = tmp_path / "CARD.md"
    card.write_text("# Frame model x\n\n## Codebook\n\n- frames: a, b\n", encoding="utf-8")
    text = ReportText.from_file(card, top_level=3).markdown
    assert text.splitlines()[0] == "### Frame model x"
    assert "#### Codebook" in text and "- frames: a, b" in text


def test_prevalence_sentences_quote_the_extremes_with_intervals() -> None:
    text = describe_prevalence(prevalence())
    assert text.splitlines() == [
        "- **peacemaker**: from 0.22 [0.14, 0.29] in The Meridian Post to 0.81 [0.72, 0.88] "
        "in Harbor Daily (intervals apart).",
        "- **skeptic**: from 0.20 [0.11, 0.30] in Harbor Daily to 0.68 [0.58, 0.79] in "
        "The Meridian Post (intervals apart).",
    ]


def test_change_sentences_name_the_largest_clear_changes() -> None:
    changes = pd.DataFrame({
        "event": "Alaska summit", "outlet": ["A", "B", "C", "D"], "frame": "skeptic",
        "difference": [0.05, -0.29, 0.22, 0.40], "ci_low": [-0.1, -0.43, 0.10, -0.05],
        "ci_high": [0.2, -0.15, 0.36, 0.85]})
    text = describe_changes(changes, n=1)
    assert text.startswith("2 of 4 changes (outlet × frame × event) have a 95% interval that "
                           "excludes zero (about 0.2 would by chance)")
    assert "**B**, skeptic, at Alaska summit: \u22120.29 [\u22120.43, \u22120.15]." in text
    assert "**D**" not in text  # larger, but its interval includes zero
    quiet = describe_changes(changes.assign(ci_low=-1.0, ci_high=1.0))
    assert "0 of 4" in quiet and "The largest estimated change, skeptic in D" in quiet


def test_classifier_sentences_say_what_was_measured_on_what() -> None:
    scores = pd.DataFrame({"precision": [0.77, 0.73], "recall": [0.88, 0.80],
                           "f1": [0.82, 0.76]}, index=["peacemaker", "isolationist"])
    text = describe_classifier(scores, n_passages=400, n_documents=359, method="pacc")
    assert text.startswith("Macro-F1 **0.79**, measured by 5-fold cross-validation grouped by "
                           "article on the 400 annotated passages from 359 articles")
    assert "marks as isolationist, 73% were coded so" in text
    assert "(pacc) correct for these error rates" in text
    assert "do not correct" in describe_classifier(scores, n_passages=400, method="cc")
    with pytest.raises(InputError, match="needs a column 'f1'"):
        describe_classifier(scores.drop(columns="f1"), n_passages=400)


def test_summary_leaves_out_empty_sections_and_adds_notes() -> None:
    text = summarize({"Data": "12 passages.", "Changes": None, "Frames": "- **a**: x."},
                     notes=["(Monthly) 2 cells are thin."]).markdown
    assert text == ("## Summary\n\n**Data.** 12 passages.\n\n**Frames.**\n\n- **a**: x.\n\n"
                    "> **Note (Monthly).** 2 cells are thin.")
