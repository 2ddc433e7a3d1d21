"""Properties of the annotation readers on random coded sheets and Label Studio exports.

Whatever the cells, encoding and layout, a coded sheet either reads into exactly the labels it
holds (blank cells not coded, never 0), or is refused with an InputError naming the file, the
first bad cell's row in the sheet's own numbering, and its column. A Label Studio export
either reads the choices its tasks hold or is refused naming the file.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing.corpus import InputError
from framing.frames import read_labelstudio, read_sheet

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
FRAMES = ["peacemaker", "isolationist", "skeptic"]
LABELS = {"peacemaker": "Peacemaker", "isolationist": "Isolationist", "skeptic": "Skeptic"}
GOOD_CELLS = ["1", "0", "", "1.0", "0.0"]
BAD_CELLS = ["yes", "2", "0.5", "x", "-1"]
coders = st.sampled_from(["ana", "José Núñez", "Zoë", "李"])
cells = st.one_of(st.sampled_from(GOOD_CELLS), st.sampled_from(BAD_CELLS))


@st.composite
def sheets(draw: st.DrawFn) -> tuple[list[list[str]], str]:
    n_rows = draw(st.integers(1, 12))
    rows = [[f"p{i}", draw(coders), draw(st.sampled_from(["random", "active"])),
             *(draw(cells) for _ in FRAMES)] for i in range(n_rows)]
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    if encoding == "cp1252":
        for row in rows:
            row[1] = row[1].replace("李", "Li")
    return rows, encoding


@SETTINGS
@given(sheet=sheets())
def test_a_sheet_reads_exactly_or_names_the_first_bad_cell(sheet) -> None:
    rows, encoding = sheet
    text = "passage_id,coder,sample," + ",".join(FRAMES) + "\n" + "".join(
        ",".join(r) + "\n" for r in rows)
    bad = [(number, FRAMES[k]) for number, row in enumerate(rows, start=1)
           for k, cell in enumerate(row[3:]) if cell in BAD_CELLS]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "coded.csv"
        path.write_bytes(text.encode(encoding))
        if bad:
            row, column = bad[0]
            with pytest.raises(InputError, match=rf"coded\.csv: row {row}, field '{column}': "
                                                 "expected 1, 0 or blank"):
                read_sheet(path)
            return
        found = read_sheet(path).annotations
    expected = {(f"p{i}", frame, row[1]): int(float(cell))
                for i, row in enumerate(rows) for frame, cell in zip(FRAMES, row[3:], strict=True)
                if cell != ""}
    got = {(p, f, c): int(v) for p, f, c, v in
           zip(found["passage_id"], found["frame"], found["coder"], found["label"], strict=True)}
    assert got == expected


@st.composite
def exports(draw: st.DrawFn) -> list[dict]:
    tasks = []
    for i in range(draw(st.integers(1, 6))):
        choices = draw(st.lists(st.sampled_from(list(LABELS.values())), unique=True))
        tasks.append({"id": i, "data": {"passage_id": f"p{i}", "sample": "random",
                                        "text": draw(st.text(max_size=20))},
                      "annotations": [{"completed_by": draw(st.integers(1, 3)), "result": [
                          {"from_name": "frames", "type": "choices",
                           "value": {"choices": choices}}]}]})
    return tasks


@SETTINGS
@given(tasks=exports(), encoding=st.sampled_from(["utf-8", "utf-8-sig"]))
def test_a_labelstudio_export_reads_its_choices(tasks: list[dict], encoding: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.json"
        path.write_bytes(json.dumps(tasks).encode(encoding))
        found = read_labelstudio(path, codebook="trump_ukraine_roles").annotations
    chosen = {(t["data"]["passage_id"], frame)
              for t in tasks for frame, label in LABELS.items()
              if label in t["annotations"][0]["result"][0]["value"]["choices"]}
    positive = {(p, f) for p, f, v in zip(found["passage_id"], found["frame"], found["label"],
                                          strict=True) if v == 1}
    assert positive == chosen
    assert set(found["passage_id"]) == {t["data"]["passage_id"] for t in tasks}
