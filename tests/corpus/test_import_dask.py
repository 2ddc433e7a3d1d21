"""import_corpus on Dask: the batches' normalizing and fingerprinting as tasks, the same store.

Runs a 2-worker LocalCluster (one thread each).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from framing.corpus import BadRowWarning, InputError, import_corpus, load_manifest
from framing.corpus._engine import dask_available
from tests.corpus.test_store import _frame

pytestmark = pytest.mark.skipif(not dask_available(),
                                reason="dask.distributed (framing[dask]) is not installed")


@pytest.fixture(scope="module")
def scheduler():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        yield cluster.scheduler_address


def _files(store: Path) -> dict[str, bytes]:
    return {str(p.relative_to(store)): p.read_bytes() for p in sorted(store.rglob("*"))
            if p.is_file() and p.name != "manifest.json"}


def test_dask_import_writes_the_local_store_byte_for_byte(tmp_path, scheduler) -> None:
    frame = _frame(60)
    frame.loc[5, "text"] = frame.loc[4, "text"]  # a duplicate across batches
    frame.to_csv(tmp_path / "news.csv", index=False)
    import_corpus(tmp_path / "news.csv", tmp_path / "local", progress=False, batch_size=7)
    import_corpus(tmp_path / "news.csv", tmp_path / "dask", progress=False, batch_size=7,
                  engine="dask", scheduler=scheduler)
    assert _files(tmp_path / "dask") == _files(tmp_path / "local")
    local, dask = load_manifest(tmp_path / "local"), load_manifest(tmp_path / "dask")
    assert local["rows"] == dask["rows"] and local["counts"] == dask["counts"]
    assert local["rows"]["dropped"] >= 1


def test_errors_and_warnings_cross_from_dask_workers(tmp_path, scheduler) -> None:
    frame = _frame(20)
    frame.loc[13, "date"] = "2025-02-30"
    frame.to_csv(tmp_path / "news.csv", index=False)
    with pytest.raises(InputError, match=r"news\.csv: row 14, field 'date'") as caught:
        import_corpus(tmp_path / "news.csv", tmp_path / "s", progress=False, batch_size=5,
                      engine="dask", scheduler=scheduler)
    assert (caught.value.row, caught.value.field) == (14, "date")
    with pytest.warns(BadRowWarning, match=r"row 14, field 'date'"):
        corpus = import_corpus(tmp_path / "news.csv", tmp_path / "s", progress=False,
                               batch_size=5, engine="dask", scheduler=scheduler,
                               on_bad_rows="warn")
    assert corpus.manifest["rows"]["dropped_by_reason"] == {"bad_row": 1}
