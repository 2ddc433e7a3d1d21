"""`frames import` over an earlier annotations table never loses annotations unseen: a batch
is merged (--merge), a replacement that drops earlier annotations is refused (without
--drop-earlier), changed cells are listed with their old and new labels."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from framing.cli import main
from framing.frames import load_codebook, read_annotations

FRAMES = load_codebook("trump_ukraine_roles").frame_names
VERSION = load_codebook("trump_ukraine_roles").version


def _batch(path: Path, passages: range, *, coder: str = "ana", flip: str | None = None) -> Path:
    rows = [{"passage_id": f"d{n}:0", "coder": coder, "frame": frame,
             "label": int(frame == FRAMES[n % len(FRAMES)]) ^ int(f"d{n}:0" == flip),
             "annotated_at": "", "sample": "random", "codebook_version": VERSION}
            for n in passages for frame in FRAMES[:2]]
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _import(*argv: object) -> int:
    return main(["frames", "import", *map(str, argv)])


@pytest.fixture
def earlier(tmp_path: Path) -> Path:
    out = tmp_path / "annotations.csv"
    assert _import(_batch(tmp_path / "first.csv", range(6)), "--out", out) == 0
    return out


def test_an_existing_table_is_refused_without_merge_or_force(earlier: Path, tmp_path: Path,
                                                             capsys) -> None:
    before = earlier.read_bytes()
    assert _import(_batch(tmp_path / "second.csv", range(6, 9)), "--out", earlier) == 2
    assert "pass --merge to add these annotations to it, or --force" in capsys.readouterr().err
    assert earlier.read_bytes() == before


def test_merge_keeps_the_earlier_annotations_and_counts(earlier: Path, tmp_path: Path,
                                                        capsys) -> None:
    capsys.readouterr()
    # 3 new passages, 2 already there with the same labels
    assert _import(_batch(tmp_path / "second.csv", range(4, 9)), "--out", earlier,
                   "--merge") == 0
    out = capsys.readouterr().out
    assert "12 earlier annotations, 10 imported (6 new, 4 already there)" in out
    merged = read_annotations(earlier)
    assert len(merged) == 18
    assert sorted(set(merged["passage_id"])) == [f"d{n}:0" for n in range(9)]


def test_merge_lists_changed_cells_and_writes_nothing(earlier: Path, tmp_path: Path,
                                                      capsys) -> None:
    before = earlier.read_bytes()
    assert _import(_batch(tmp_path / "second.csv", range(4, 9), flip="d5:0"), "--out", earlier,
                   "--merge") == 2
    err = capsys.readouterr().err
    assert "2 cells of" in err and "labelled differently" in err
    for frame in FRAMES[:2]:
        was = int(frame == FRAMES[5 % len(FRAMES)])
        assert f"passage 'd5:0', coder 'ana', frame '{frame}': {was} -> {1 - was}" in err
    assert earlier.read_bytes() == before


def test_force_refuses_to_drop_earlier_annotations(earlier: Path, tmp_path: Path,
                                                   capsys) -> None:
    before = earlier.read_bytes()
    second = _batch(tmp_path / "second.csv", range(2, 9))
    assert _import(second, "--out", earlier, "--force") == 2
    assert ("--force would drop 4 of the 12 annotations" in capsys.readouterr().err)
    assert earlier.read_bytes() == before
    assert _import(second, "--out", earlier, "--force", "--drop-earlier") == 0
    assert "replacing" in capsys.readouterr().out and len(read_annotations(earlier)) == 14
    # a superset replaces without a flag: nothing is lost
    assert _import(_batch(tmp_path / "all.csv", range(9)), "--out", earlier, "--force") == 0
    assert len(read_annotations(earlier)) == 18


def test_conflicts_across_the_files_are_listed(tmp_path: Path, capsys) -> None:
    one = _batch(tmp_path / "one.csv", range(3))
    two = _batch(tmp_path / "two.csv", range(3), flip="d1:0")
    assert _import(one, two, "--out", tmp_path / "a.csv") == 2
    err = capsys.readouterr().err
    assert f"passage 'd1:0', coder 'ana', frame '{FRAMES[0]}': labels 0,1" in err
    assert not (tmp_path / "a.csv").exists()


def test_an_input_is_never_the_output(earlier: Path, capsys) -> None:
    assert _import(earlier, "--out", earlier, "--merge") == 2
    assert "the output would replace the input" in capsys.readouterr().err
