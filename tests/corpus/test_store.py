"""The store: layout, manifest, accounting, order, atomic replacement, streaming."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from framing.corpus import (
    BundleError,
    Corpus,
    InputError,
    StoreExistsError,
    atomic_directory,
    atomic_write,
    import_corpus,
    load_manifest,
    read_corpus,
)


def _frame(n: int = 30) -> pd.DataFrame:
    return pd.DataFrame({
        "doc_id": [f"d{i:03d}" for i in range(n)],
        "outlet": [["Harbor Daily", "harbordaily.com", "The Meridian"][i % 3] for i in range(n)],
        "date": [f"2025-{(i * 5) % 12 + 1:02d}-{i % 27 + 1:02d}" for i in range(n)],
        "text": [f"Article {i} on talks in Kyiv, item {i * 7} and point {i * 13}."
                 for i in range(n)],
        "section": ["world" if i % 2 else "politics" for i in range(n)],
        "n_words": list(range(n)),
    })


@pytest.fixture
def store(tmp_path: Path) -> Path:
    _frame().to_csv(tmp_path / "news.csv", index=False)
    import_corpus(tmp_path / "news.csv", tmp_path / "store", progress=False,
                  outlet_aliases={"harbordaily.com": "Harbor Daily"})
    return tmp_path / "store"


def test_layout_and_manifest(store: Path) -> None:
    months = sorted(p.name for p in (store / "documents").iterdir())
    assert months == [f"month=2025-{m:02d}" for m in range(1, 13)]
    manifest = load_manifest(store)
    assert manifest["schema_version"] == 1
    assert manifest["rows"] == {"read": 30, "kept": 30, "dropped": 0, "dropped_by_reason": {}}
    (source,) = manifest["inputs"]
    expected = __import__("hashlib").sha256(Path(source["path"]).read_bytes()).hexdigest()
    assert source["sha256"] == expected
    assert source["format"] == "csv" and source["encoding"] == "utf-8"
    assert manifest["parameters"]["threshold"] == 0.8
    assert manifest["parameters"]["keep"] == "earliest"
    assert {"framing", "pandas", "pyarrow", "datasketch"} <= set(manifest["library_versions"])
    assert manifest["outlets"] == ["Harbor Daily", "The Meridian"]
    outlets = pd.read_csv(store / "outlets.csv")
    assert outlets["n_documents"].sum() == 30


def test_read_back_types_and_metadata(store: Path) -> None:
    docs = read_corpus(store)
    assert str(docs["date"].dtype) == "datetime64[ns]"
    assert isinstance(docs["outlet"].dtype, pd.CategoricalDtype)
    assert list(docs["outlet"].cat.categories) == ["Harbor Daily", "The Meridian"]
    assert docs["section"].notna().all() and "n_words" in docs
    assert docs["doc_id"].is_unique
    assert list(docs.columns[:4]) == ["doc_id", "outlet", "date", "text"]


def test_stable_order_month_then_input(store: Path) -> None:
    docs = read_corpus(store)
    months = docs["date"].dt.strftime("%Y-%m")
    assert months.is_monotonic_increasing
    for _, group in docs.groupby(months):
        assert group["source_row"].is_monotonic_increasing


@pytest.mark.parametrize("batch_size", [1, 7, 30, 1000])
def test_chunked_equals_unchunked(store: Path, batch_size: int) -> None:
    whole = read_corpus(store)
    corpus = Corpus(store)
    batches = list(corpus.iter_batches(batch_size=batch_size))
    assert all(len(b) <= batch_size for b in batches)
    pd.testing.assert_frame_equal(pd.concat(batches, ignore_index=True), whole)
    # Restartable: a second pass gives the same rows.
    assert sum(len(b) for b in corpus) == sum(len(b) for b in corpus) == len(whole)


def test_import_batch_size_does_not_change_the_store(tmp_path: Path) -> None:
    _frame().to_csv(tmp_path / "news.csv", index=False)
    for size in (1, 4, 1000):
        import_corpus(tmp_path / "news.csv", tmp_path / f"s{size}", progress=False,
                      batch_size=size)
    first = read_corpus(tmp_path / "s1")
    for size in (4, 1000):
        pd.testing.assert_frame_equal(read_corpus(tmp_path / f"s{size}"), first)


def test_same_input_same_tables(tmp_path: Path) -> None:
    _frame().to_csv(tmp_path / "news.csv", index=False)
    import_corpus(tmp_path / "news.csv", tmp_path / "a", progress=False)
    import_corpus(tmp_path / "news.csv", tmp_path / "b", progress=False)
    pd.testing.assert_frame_equal(read_corpus(tmp_path / "a"), read_corpus(tmp_path / "b"))
    for name in ("documents/month=2025-03/part-0.parquet", "dropped.parquet", "outlets.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_existing_store_needs_force(store: Path) -> None:
    source = Path(load_manifest(store)["inputs"][0]["path"])
    with pytest.raises(StoreExistsError, match="exists; pass force=True"):
        import_corpus(source, store, progress=False)
    before = read_corpus(store)
    import_corpus(source, store, progress=False, force=True, dedup="exact",
                  outlet_aliases={"harbordaily.com": "Harbor Daily"})
    pd.testing.assert_frame_equal(read_corpus(store), before)
    assert load_manifest(store)["parameters"]["dedup"] == "exact"


def test_failed_import_leaves_the_old_store(store: Path, tmp_path: Path) -> None:
    before = read_corpus(store)
    bad = tmp_path / "bad.csv"
    bad.write_text("outlet,date,text\nA,2025-01-01,fine\nB,2025-02-30,bad date\n",
                   encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.csv: row 2, field 'date'"):
        import_corpus(bad, store, progress=False, force=True)
    pd.testing.assert_frame_equal(read_corpus(store), before)
    leftovers = [p.name for p in store.parent.iterdir() if p.name.startswith(".store")]
    assert leftovers == []


def test_several_sources_and_formats(tmp_path: Path) -> None:
    frame = _frame(10)
    frame.iloc[:5].to_csv(tmp_path / "a.csv", index=False)
    frame.iloc[5:].to_json(tmp_path / "b.jsonl", orient="records", lines=True)
    corpus = import_corpus([tmp_path / "a.csv", tmp_path / "b.jsonl"], tmp_path / "s",
                           progress=False)
    assert corpus.manifest["rows"]["kept"] == 10
    assert [i["format"] for i in corpus.manifest["inputs"]] == ["csv", "jsonl"]
    docs = read_corpus(tmp_path / "s")
    assert set(docs["source_file"].map(lambda p: Path(p).name)) == {"a.csv", "b.jsonl"}
    # JSON numbers and CSV text in one metadata column unify to one type.
    assert docs["n_words"].map(str).str.isdigit().all()


def test_store_errors(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="no such corpus store"):
        Corpus(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(BundleError, match="not a corpus store"):
        read_corpus(tmp_path / "empty")


def test_store_of_another_schema_version_is_refused(store: Path) -> None:
    manifest = json.loads((store / "manifest.json").read_text())
    manifest["schema_version"] = 99
    (store / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BundleError, match="schema version 99"):
        Corpus(store)


def test_summary_counts(store: Path) -> None:
    summary = Corpus(store).summary()
    assert summary["n_documents"].sum() == 30
    assert set(summary.columns) == {"outlet", "month", "n_documents"}
    by_outlet = Corpus(store).summary(by=["outlet"]).set_index("outlet")["n_documents"]
    assert by_outlet.to_dict() == {"Harbor Daily": 20, "The Meridian": 10}


def test_atomic_write_keeps_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "table.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(StoreExistsError):
        with atomic_write(target) as handle:
            handle.write("new")
    with pytest.raises(RuntimeError), atomic_write(target, force=True) as handle:
        handle.write("half")
        raise RuntimeError("crash mid-write")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["table.csv"]
    with atomic_write(target, force=True) as handle:
        handle.write("new")
    assert target.read_text() == "new"


def test_atomic_directory_replaces_in_one_step(tmp_path: Path) -> None:
    target = tmp_path / "store"
    with atomic_directory(target) as tmp:
        (tmp / "manifest.json").write_text("{}")
        (tmp / "a").write_text("1")
    with pytest.raises(RuntimeError), atomic_directory(target, force=True) as tmp:
        (tmp / "b").write_text("2")
        raise RuntimeError("crash")
    assert sorted(p.name for p in target.iterdir()) == ["a", "manifest.json"]
    with atomic_directory(target, force=True) as tmp:
        (tmp / "b").write_text("2")
    assert sorted(p.name for p in target.iterdir()) == ["b"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_atomic_writes_get_ordinary_permissions(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    os.umask(mask)
    with atomic_write(tmp_path / "f.txt") as handle:
        handle.write("x")
    with atomic_directory(tmp_path / "d"):
        pass
    assert (tmp_path / "f.txt").stat().st_mode & 0o777 == 0o666 & ~mask
    assert (tmp_path / "d").stat().st_mode & 0o777 == 0o777 & ~mask


def test_worker_processes_give_the_same_store(tmp_path: Path) -> None:
    _frame(60).to_csv(tmp_path / "news.csv", index=False)
    import_corpus(tmp_path / "news.csv", tmp_path / "one", progress=False, batch_size=7)
    import_corpus(tmp_path / "news.csv", tmp_path / "two", progress=False, batch_size=7,
                  n_jobs=2)
    pd.testing.assert_frame_equal(read_corpus(tmp_path / "two"), read_corpus(tmp_path / "one"))
    one, two = load_manifest(tmp_path / "one"), load_manifest(tmp_path / "two")
    assert one["rows"] == two["rows"] and one["counts"] == two["counts"]


def test_errors_and_warnings_cross_from_workers(tmp_path: Path) -> None:
    frame = _frame(20)
    frame.loc[13, "date"] = "2025-02-30"
    frame.to_csv(tmp_path / "news.csv", index=False)
    with pytest.raises(InputError, match=r"news\.csv: row 14, field 'date'") as caught:
        import_corpus(tmp_path / "news.csv", tmp_path / "s", progress=False, batch_size=5,
                      n_jobs=2)
    assert (caught.value.row, caught.value.field) == (14, "date")
    from framing.corpus import BadRowWarning

    with pytest.warns(BadRowWarning, match=r"row 14, field 'date'"):
        corpus = import_corpus(tmp_path / "news.csv", tmp_path / "s", progress=False,
                               batch_size=5, n_jobs=2, on_bad_rows="warn")
    assert corpus.manifest["rows"]["dropped_by_reason"] == {"bad_row": 1}


def test_row_groups_are_bounded_so_reading_stays_flat(tmp_path: Path, monkeypatch) -> None:
    """A reader decodes a row group at a time: the store caps their size (at 3 rows here),
    and batches read across the groups equal the whole."""
    import pyarrow.parquet as pq

    import framing.corpus._import as importer

    monkeypatch.setattr(importer, "ROW_GROUP_SIZE", 3)
    frame = _frame(60)
    frame["date"] = "2025-03-04"  # one month: one file
    frame.to_csv(tmp_path / "news.csv", index=False)
    import_corpus(tmp_path / "news.csv", tmp_path / "store", progress=False)
    (part,) = (tmp_path / "store").rglob("documents/**/*.parquet")
    metadata = pq.ParquetFile(part).metadata
    assert metadata.num_rows == 60
    assert metadata.num_row_groups == 20
    batches = list(Corpus(tmp_path / "store").iter_batches(batch_size=7))
    assert [len(b) for b in batches] == [7] * 8 + [4]
    pd.testing.assert_frame_equal(pd.concat(batches, ignore_index=True),
                                  read_corpus(tmp_path / "store"))
