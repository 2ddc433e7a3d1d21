"""Atomic outputs: the swap has no window, a killed swap is repaired, force replaces only ours."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

import framing.corpus._atomic as atomic
from framing.corpus import (
    InputError,
    StoreExistsError,
    atomic_directory,
    atomic_write,
    check_output,
    is_framing_output,
    recover_interrupted_write,
)

DEAD_PID = 999_999_999  # above any pid_max: never a running process


def _write_output(target: Path, value: str, *, force: bool = True) -> None:
    with atomic_directory(target, force=force) as tmp:
        (tmp / "manifest.json").write_text(json.dumps({"value": value}))


def _value(target: Path) -> str:
    return json.loads((target / "manifest.json").read_text())["value"]


def test_a_reader_always_finds_the_old_or_the_new_output(tmp_path: Path) -> None:
    if atomic._exchange is None:
        pytest.skip("this system has no atomic exchange of two paths")
    target = tmp_path / "store"
    _write_output(target, "0", force=False)
    missing: list[int] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                _value(target)
            except (FileNotFoundError, ValueError):
                missing.append(1)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(1, 150):
            _write_output(target, str(n))
    finally:
        stop.set()
        reader.join()
    assert missing == []
    assert _value(target) == "149"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_without_exchange_an_interrupted_swap_puts_the_old_output_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "store"
    _write_output(target, "old", force=False)
    monkeypatch.setattr(atomic, "_exchange", None)

    def interrupt() -> None:
        assert not target.exists()  # the two-rename swap's window
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic, "_between_renames", interrupt)
    with pytest.raises(KeyboardInterrupt):
        _write_output(target, "new")
    assert _value(target) == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]
    monkeypatch.setattr(atomic, "_between_renames", lambda: None)
    _write_output(target, "new")
    assert _value(target) == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


@pytest.mark.parametrize("new_survived", [True, False])
def test_a_swap_killed_between_its_renames_is_finished_by_the_next_write(
    tmp_path: Path, new_survived: bool
) -> None:
    # the state a SIGKILL between the two renames leaves: the old output moved aside, the new
    # one complete under its temp name, the journal naming both
    target = tmp_path / "store"
    old = tmp_path / f".store.framing-{DEAD_PID}-abc.old"
    new = tmp_path / f".store.framing-{DEAD_PID}-abc.tmp"
    for folder, value in ((old, "old"), (new, "new")):
        folder.mkdir()
        (folder / "manifest.json").write_text(json.dumps({"value": value}))
    if not new_survived:
        (new / "manifest.json").unlink()
        new.rmdir()
    (tmp_path / ".store.framing-swap.json").write_text(
        json.dumps({"pid": DEAD_PID, "new": new.name, "old": old.name}))
    recover_interrupted_write(target)
    assert _value(target) == ("new" if new_survived else "old")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_a_journal_of_a_running_swap_is_left_alone(tmp_path: Path) -> None:
    journal = tmp_path / ".store.framing-swap.json"
    journal.write_text(json.dumps({"pid": os.getppid(), "new": "x", "old": "y"}))
    recover_interrupted_write(tmp_path / "store")
    assert journal.exists() and not (tmp_path / "store").exists()


def test_only_a_dead_writers_leftovers_are_removed(tmp_path: Path) -> None:
    dead_tmp = tmp_path / f".store.framing-{DEAD_PID}-x1.tmp"
    dead_old = tmp_path / f".store.framing-{DEAD_PID}-x2.old"
    dead_file = tmp_path / f".table.csv.framing-{DEAD_PID}-x3.tmp"
    alive = tmp_path / f".store.framing-{os.getppid()}-x4.tmp"
    user = [tmp_path / ".store.x5.tmp", tmp_path / ".store.framing-notes.tmp",
            tmp_path / f".other.framing-{DEAD_PID}-x6.tmp"]
    for folder in (dead_tmp, dead_old, alive, *user):
        folder.mkdir()
    dead_file.write_text("half")
    _write_output(tmp_path / "store", "1", force=False)
    with atomic_write(tmp_path / "table.csv") as handle:
        handle.write("a,b\n")
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(["store", "table.csv", alive.name, *(p.name for p in user)])


def test_force_replaces_only_a_folder_framing_wrote(tmp_path: Path) -> None:
    mine = tmp_path / "data"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(StoreExistsError, match="framing did not write"):
        _write_output(mine, "x")
    assert (mine / "notes.txt").read_text() == "keep me"
    (tmp_path / "empty").mkdir()
    _write_output(tmp_path / "empty", "x")
    assert is_framing_output(tmp_path / "empty")
    (tmp_path / "file").write_text("mine")
    with pytest.raises(StoreExistsError, match="file framing did not write"):
        _write_output(tmp_path / "file", "x")
    assert not is_framing_output(tmp_path / "file")


def test_check_output_refuses_the_input_and_its_folder(tmp_path: Path) -> None:
    source = tmp_path / "data" / "news.jsonl"
    source.parent.mkdir()
    source.write_text("{}\n")
    for out in (tmp_path / "data", source, tmp_path):
        with pytest.raises(InputError, match="the output would replace the input"):
            check_output(out, force=True, folder=out != source, inputs=[source])
    with pytest.raises(StoreExistsError, match="exists"):
        check_output(tmp_path / "data", inputs=[tmp_path / "other.csv"], folder=True)
    with pytest.raises(StoreExistsError, match="is a folder"):
        check_output(tmp_path / "data", force=True)
    check_output(tmp_path / "new", inputs=[source], folder=True)


def _legacy_output(folder: Path, value: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({"value": value}))
    return folder


def test_leftovers_of_earlier_versions_are_removed_only_when_provably_ours(
    tmp_path: Path,
) -> None:
    # before the pid-marked names: .NAME.<8 random>.tmp / .old (the old output in previous/)
    _write_output(tmp_path / "store", "current", force=False)
    ours = [_legacy_output(tmp_path / ".store.abcd1234.tmp", "half"),
            _legacy_output(tmp_path / ".store.abcd1235.old" / "previous", "older").parent]
    (tmp_path / ".store.abcd1236.old").mkdir()  # killed before the move: holds nothing
    ours.append(tmp_path / ".store.abcd1236.old")
    users = [tmp_path / ".store.abcd1237.tmp",  # no manifest: could be anyone's
             tmp_path / ".store.abcd1238.old",  # holds more than a previous output
             tmp_path / ".store.abcd1239.tmp.d",  # not the pattern
             tmp_path / ".store.notes123.tmp.bak"]
    for folder in users:
        folder.mkdir()
    (tmp_path / ".store.abcd1237.tmp" / "draft.txt").write_text("mine")
    _legacy_output(tmp_path / ".store.abcd1238.old" / "previous", "older")
    (tmp_path / ".store.abcd1238.old" / "notes.txt").write_text("mine")
    (tmp_path / ".store.abcd1240.tmp").write_text("a file: never provably ours")
    recover_interrupted_write(tmp_path / "store")
    assert [p for p in ours if p.exists()] == []
    assert all(p.exists() for p in users) and (tmp_path / ".store.abcd1240.tmp").is_file()
    assert (tmp_path / ".store.abcd1237.tmp" / "draft.txt").read_text() == "mine"
    assert _value(tmp_path / "store") == "current"


def test_a_swap_an_earlier_version_left_half_done_is_rolled_back(tmp_path: Path) -> None:
    # killed between its two moves: the old output in .old/previous, the new one in .tmp
    _legacy_output(tmp_path / ".store.k1ll3d00.old" / "previous", "old")
    _legacy_output(tmp_path / ".store.k1ll3d01.tmp", "new")
    recover_interrupted_write(tmp_path / "store")
    assert _value(tmp_path / "store") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_an_earlier_versions_old_folder_of_user_files_is_not_restored(tmp_path: Path) -> None:
    (tmp_path / ".store.abcdefgh.old" / "previous").mkdir(parents=True)
    (tmp_path / ".store.abcdefgh.old" / "previous" / "mine.txt").write_text("mine")
    recover_interrupted_write(tmp_path / "store")
    assert not (tmp_path / "store").exists()
    assert (tmp_path / ".store.abcdefgh.old" / "previous" / "mine.txt").read_text() == "mine"
