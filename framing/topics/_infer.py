"""Topic inference over a token table on disk, batch by batch, on any engine.

:func:`infer_topics` cuts a token table (a ``.parquet`` file, or a token folder written by
:func:`framing.text.write_tokens`) into batches of ``batch_size`` rows (a plan of file slices,
see :mod:`framing.corpus._engine`), infers each batch's topic shares with a fitted
:class:`~framing.topics.TopicModel` and writes them as one Parquet part per batch, so memory is
set by the batch size, not the corpus. The parts form the folder ``<out>/doc_topics`` beside a
``manifest.json`` with the row accounting; a run stopped midway resumes from its completed
batches.

A row's shares do not depend on the other rows of its batch (tomotopy infers each document on
its own, gensim reseeds per document), so any batch size and either engine give the same
table. On Dask the workers load the model from a bundle the driver saves in the run's work
folder (a tomotopy model cannot be pickled), so the work folder must be on a disk every worker
sees, as the input and output are.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from framing._types import PathLike
from framing.corpus import InputError, atomic_directory
from framing.corpus._engine import (
    Engine,
    ParquetSlice,
    check_batched_run,
    done_batches,
    file_fingerprint,
    open_work_folder,
    plan_batches,
    plan_rows,
    read_slices,
    run_batches,
    write_part,
)

#: The folder of a doc-topics output that holds its Parquet parts (``pd.read_parquet`` it).
DOC_TOPICS_FOLDER = "doc_topics"


def token_files(path: PathLike) -> list[Path]:
    """The Parquet files of a token table: a token folder's parts, or one ``.parquet`` file.

    Raises
    ------
    InputError
        ``path`` is neither a token folder (``manifest.json`` and ``tokens/``) nor a
        ``.parquet`` file.
    """
    source = Path(path)
    if source.is_dir():
        if (source / "manifest.json").is_file() and (source / "tokens").is_dir():
            return sorted((source / "tokens").glob("part-*.parquet"))
        raise InputError("not a token folder (no manifest.json and tokens/); write one with "
                         "framing.text.write_tokens", path=source)
    if source.is_file() and source.suffix.lower() == ".parquet":
        return [source]
    raise InputError("expected a token folder or a .parquet token table", path=source)


def read_tokens(tokens: PathLike, *, n_sample: int | None = None,
                random_state: int = 0) -> pd.DataFrame:
    """A token table on disk as a DataFrame: whole, or a seeded random sample of its rows.

    The sample is what a topic model of a large corpus is fitted on (fit on a sample, infer on
    all with :func:`infer_topics`): ``n_sample`` rows drawn without replacement, uniformly,
    returned in input order; only they are read (``pyarrow.dataset``'s ``take``), so memory
    is set by the sample, not the table.

    Parameters
    ----------
    tokens : path
        A token folder (:func:`framing.text.write_tokens`) or a ``.parquet`` token table.
    n_sample : int, optional
        Rows to draw; ``None`` (or at least the table's rows) reads every row.
    random_state : int, default=0
        Seed of the draw.

    Returns
    -------
    DataFrame
        The rows read, every column, in input order (``tokens`` as arrays of str).

    Raises
    ------
    InputError
        ``tokens`` is not a token table, cannot be read, or ``n_sample`` is not an int >= 1.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"doc_id": [f"d{i}" for i in range(10)],
    ...               "tokens": [["war"], ["peace"]] * 5}).to_parquet(folder / "t.parquet")
    >>> read_tokens(folder / "t.parquet", n_sample=3, random_state=1)["doc_id"].tolist()
    ['d3', 'd4', 'd7']
    >>> len(read_tokens(folder / "t.parquet"))
    10
    """
    import numpy as np
    import pyarrow.dataset as ds

    if n_sample is not None and (isinstance(n_sample, bool) or not isinstance(n_sample, int)
                                 or n_sample < 1):
        raise InputError(f"n_sample must be an int >= 1, got {n_sample!r}", field="n_sample")
    files = token_files(tokens)
    try:
        dataset = ds.dataset([str(f) for f in files], format="parquet")
        n_rows = dataset.count_rows()
        if n_sample is None or n_sample >= n_rows:
            return dataset.to_table().to_pandas()
        picked = np.sort(np.random.default_rng(random_state).choice(n_rows, size=n_sample,
                                                                    replace=False))
        return dataset.take(picked).to_pandas()
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"cannot read the token table ({exc})", path=tokens) from exc


@dataclass(frozen=True)
class _InferSettings:
    """What every batch needs: the model (local engine) or its bundle (Dask), the folder."""

    folder: Path
    source: str
    model: Any = None
    bundle: str | None = None


@functools.lru_cache(maxsize=2)
def _load_bundle(path: str) -> Any:
    """A worker's copy of the model, loaded once per process."""
    from framing.topics._model import TopicModel

    return TopicModel.load(path)


def _shares_of_batch(number: int, slices: list[ParquetSlice],
                     settings: _InferSettings) -> dict[str, Any]:
    """Infer batch ``number``'s topic shares and write its part (on any engine)."""
    model = settings.model if settings.model is not None else _load_bundle(settings.bundle)
    try:
        batch = read_slices(slices).to_pandas()
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"cannot read the token table ({exc})", path=slices[0].file) from exc
    table = model.transform(batch)
    write_part(table, settings.folder / DOC_TOPICS_FOLDER / f"part-{number:06d}.parquet")
    return {"rows": len(batch)}


def infer_topics(
    model: Any,
    tokens: PathLike,
    out: PathLike,
    *,
    batch_size: int = 10_000,
    engine: Engine = "local",
    scheduler: str | None = None,
    force: bool = False,
    progress: bool = True,
) -> dict[str, Any]:
    """Infer the topic shares of every row of a token table on disk, in bounded memory.

    Parameters
    ----------
    model : TopicModel
        A fitted model (on a sample of the corpus, say: fit on a sample, infer on all).
    tokens : path
        A token folder (:func:`framing.text.write_tokens`) or a ``.parquet`` token table with
        the key column, ``tokens`` and the columns the model's covariates need.
    out : path
        The folder to write (atomically): ``doc_topics/part-NNNNNN.parquet``, one part per
        batch in input order (``pd.read_parquet(out / "doc_topics")`` reads them all), and
        ``manifest.json``. Parts wait in ``<out>.partial`` until every batch is done.
    batch_size : int, default=10_000
        Rows per batch: the unit of memory, of work and of resuming.
    engine : {"local", "dask"}, default="local"
        ``"dask"`` infers the batches on dask.distributed workers (``framing[dask]``), each
        reading its own rows and loading the model once from a bundle in the work folder.
    scheduler : str, optional
        The Dask scheduler's address; ``None`` starts a 2-worker LocalCluster.
    force : bool, default=False
        Replace an existing ``out``, and start over a work folder of another run.
    progress : bool, default=True
        Show a progress bar (rows inferred).

    Returns
    -------
    dict
        ``rows`` read and written (every input row gets a row of shares), ``batches``,
        ``resumed`` (batches found done) and ``model_id``.

    Raises
    ------
    InputError
        No rows, a missing column, repeated keys within a batch, a bad ``batch_size`` or an
        unknown engine.
    StoreExistsError
        ``out`` exists and ``force`` is False.

    See Also
    --------
    TopicModel.transform : the same shares for a table in memory.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> from framing.topics import TopicModel
    >>> folder = Path(tempfile.mkdtemp())
    >>> words = [["tank", "drone", "front"], ["ballot", "poll", "senate"]] * 10
    >>> table = pd.DataFrame({"doc_id": [f"d{i}" for i in range(20)], "tokens": words})
    >>> table.to_parquet(folder / "tokens.parquet")
    >>> model = TopicModel(n_topics=2, n_iterations=20, min_df=1).fit(table)
    >>> infer_topics(model, folder / "tokens.parquet", folder / "topics", batch_size=8,
    ...              progress=False)["rows"]
    20
    >>> shares = pd.read_parquet(folder / "topics" / "doc_topics")
    >>> shares.equals(model.transform(table))
    True
    """
    from framing.topics._model import TopicModel

    if not isinstance(model, TopicModel) or not hasattr(model, "model_id_"):
        raise InputError("infer_topics needs a fitted TopicModel", field="model")
    target = check_batched_run(engine, batch_size, out, force=force)
    files = token_files(tokens)
    plan = plan_batches(files, batch_size)
    if not plan:
        raise InputError("no rows to infer topics for", path=tokens)
    folder = open_work_folder(target, {
        "stage": "topics.infer", "batch_size": batch_size, "n_batches": len(plan),
        "input": file_fingerprint(files), "model_id": model.model_id_,
        "labels": list(model.labels_)}, force=force)
    (folder / DOC_TOPICS_FOLDER).mkdir(exist_ok=True)
    bundle = None
    if engine == "dask":
        bundle = folder / "model"
        if not bundle.exists():
            model.save(bundle)
    settings = _InferSettings(folder, str(tokens), model=model if engine == "local" else None,
                              bundle=None if bundle is None else str(bundle))
    resumed = len(done_batches(folder))
    sizes = plan_rows(plan)
    summaries = run_batches(_shares_of_batch, plan, folder, shared=settings, engine=engine,
                            scheduler=scheduler, sizes=sizes, progress=progress,
                            desc="topics", unit="row")
    rows = sum(s["rows"] for s in summaries)
    manifest = {"created_by": "framing.topics.infer_topics", "model_id": model.model_id_,
                "topic_labels": list(model.labels_), "input": str(tokens),
                "rows": {"read": sum(sizes), "written": rows},
                "batches": {"batch_size": batch_size, "n_batches": len(plan)}}
    with atomic_directory(target, force=force) as tmp:
        os.replace(folder / DOC_TOPICS_FOLDER, tmp / DOC_TOPICS_FOLDER)
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n",
                                           encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    return {"rows": rows, "batches": len(plan), "resumed": resumed,
            "model_id": model.model_id_}
