"""Applying a frame model to every passage of a Parquet input, batch by batch, on any engine.

:func:`apply_frames` cuts the passages into batches of ``batch_size`` rows (a plan of file
slices, see :mod:`framing.corpus._engine`), scores each batch with the fitted model, locally or
as Dask tasks, writes each batch's scores as a part in ``<out>.partial`` and finally joins the
parts, in batch order, into the single Parquet file ``out``. Memory is set by the batch size;
a run stopped midway resumes from its completed batches.

Both engines score the same batches with the same model, so they give the same table. With
TF-IDF features or static embeddings a passage's scores do not depend on the other passages
of its batch at all. With transformer embeddings they can, by float rounding only: the
embedder encodes a batch's texts in length-sorted groups and reuses a vector it already holds
for a text seen in an earlier batch of the same process, so a repeated text's vector may come
from another group on another worker (cosine > 0.9999 in float32, see
:mod:`framing.frames._embeddings`).
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from framing._types import PathLike
from framing.corpus import InputError, atomic_write
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
from framing.frames._embeddings import progress_if


def passage_files(path: PathLike) -> list[Path]:
    """The Parquet files of a passages input: a passages folder's parts, or one file.

    Raises
    ------
    InputError
        ``path`` is neither a passages folder nor a ``.parquet`` file.
    """
    source = Path(path)
    if source.is_dir():
        if (source / "manifest.json").is_file() and (source / "passages").is_dir():
            return sorted((source / "passages").glob("part-*.parquet"))
        raise InputError("not a passages folder (no manifest.json and passages/); write one "
                         "with `framing passages extract`", path=source)
    if source.is_file() and source.suffix.lower() == ".parquet":
        return [source]
    raise InputError("expected a passages folder or a .parquet file (a CSV can be applied by "
                     "the local engine only, without resume)", path=source)


@dataclass(frozen=True)
class _ApplySettings:
    """What every batch of an apply run needs (sent once to each Dask worker)."""

    model: Any
    keep_text: bool
    folder: Path
    source: str
    progress: bool = False


def _scores_of_batch(number: int, slices: list[ParquetSlice],
                     settings: _ApplySettings) -> dict[str, Any]:
    """Score batch ``number`` and write its part (on any engine)."""
    try:
        batch = read_slices(slices).to_pandas()
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"cannot read the passages ({exc})", path=slices[0].file) from exc
    for column in ("passage_id", settings.model.text_column):
        if column not in batch.columns:
            raise InputError("the passages have no such column", path=settings.source,
                             field=column)
    batch["passage_id"] = batch["passage_id"].astype(str)
    with progress_if(settings.progress):  # the passages embedded, under the batches' bar
        table = settings.model.predict(batch)  # every column but the text, then the frames
    if settings.keep_text:
        table.insert(len(batch.columns) - 1, settings.model.text_column,
                     batch[settings.model.text_column].to_numpy())
    write_part(table, settings.folder / f"part-{number:06d}.parquet")
    return {"rows": len(table)}


def apply_frames(
    model: Any,
    passages: PathLike,
    out: PathLike,
    *,
    batch_size: int = 20_000,
    keep_text: bool = False,
    engine: Engine = "local",
    scheduler: str | None = None,
    force: bool = False,
    progress: bool = True,
) -> dict[str, Any]:
    """Score every passage with a fitted frame model and write one Parquet file.

    Parameters
    ----------
    model : FrameClassifier or SingleLabelClassifier
        A fitted model (``predict`` gives the passage columns but the text, then the frames).
    passages : path
        A passages folder (``framing passages extract``) or a Parquet file with
        ``passage_id`` and the model's text column.
    out : path
        The Parquet file to write (atomically; its parts wait in ``<out>.partial``).
    batch_size : int, default=20_000
        Passages per batch: the unit of memory, of work and of resuming.
    keep_text : bool, default=False
        Keep the text column in the output.
    engine : {"local", "dask"}, default="local"
        ``"dask"`` scores the batches on dask.distributed workers (``framing[dask]``), each
        reading its own rows; the model is sent to each worker once.
    scheduler : str, optional
        The Dask scheduler's address; ``None`` starts a 2-worker LocalCluster.
    force : bool, default=False
        Replace an existing ``out``, and start over a work folder of another run.
    progress : bool, default=True
        Show a progress bar (passages scored) and, on the local engine, one of the passages
        embedded in each batch (``embeddings``, the vectors not cached yet).

    Returns
    -------
    dict
        ``rows`` scored, ``batches`` and ``resumed`` (batches found done).

    Raises
    ------
    InputError
        No passages, a missing column, or an unknown engine.
    StoreExistsError
        ``out`` exists and ``force`` is False.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> from framing.frames import FrameClassifier
    >>> folder = Path(tempfile.mkdtemp())
    >>> cues = {"peacemaker": "Trump vowed to broker a peace deal.",
    ...         "isolationist": "Trump said Europe must pay its share.",
    ...         "skeptic": "Trump doubted the aid would work."}
    >>> toy = pd.DataFrame([{"passage_id": f"d{i}:0", "text": cues[f] + f" Day {i}.",
    ...                      **{g: int(g == f) for g in cues}}
    ...                     for i, f in enumerate(list(cues) * 12)])
    >>> model = FrameClassifier(features="tfidf", min_df=1).fit(toy)
    >>> toy[["passage_id", "text"]].to_parquet(folder / "passages.parquet")
    >>> apply_frames(model, folder / "passages.parquet", folder / "frames.parquet",
    ...              batch_size=10, progress=False)["rows"]
    36
    >>> pd.read_parquet(folder / "frames.parquet")["is_peacemaker"].sum()
    np.int64(12)
    """
    target = check_batched_run(engine, batch_size, out, force=force)
    files = passage_files(passages)
    plan = plan_batches(files, batch_size)
    if not plan:
        raise InputError("no passages to apply the model to", path=passages)
    folder = open_work_folder(target, {
        "stage": "frames.apply", "batch_size": batch_size, "n_batches": len(plan),
        "input": file_fingerprint(files), "model_id": model.model_id_,
        "model_sha256": _model_hash(model), "keep_text": keep_text}, force=force)
    # Bars on Dask workers would write to the workers' logs, not to the user's terminal.
    settings = _ApplySettings(model, keep_text, folder, str(passages),
                              progress=progress and engine == "local")
    resumed = len(done_batches(folder))
    summaries = run_batches(_scores_of_batch, plan, folder, shared=settings, engine=engine,
                            scheduler=scheduler,
                            sizes=plan_rows(plan),
                            progress=progress, desc="frames", unit="passage")
    _join_parts(folder, len(plan), target, force=force)
    shutil.rmtree(folder, ignore_errors=True)
    return {"rows": sum(s["rows"] for s in summaries), "batches": len(plan),
            "resumed": resumed}


def _model_hash(model: Any) -> str:
    """The fitted model's identity beyond its id: thresholds and training data hash."""
    parts = [str(getattr(model, "model_id_", "")), str(getattr(model, "training_sha256_", "")),
             repr(getattr(model, "thresholds_", None))]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _join_parts(folder: Path, n_parts: int, target: Path, *, force: bool) -> None:
    """Write the parts, in batch order, as one Parquet file (one part in memory at a time)."""
    schema: pa.Schema | None = None
    with atomic_write(target, force=force, mode="wb") as handle:
        writer: pq.ParquetWriter | None = None
        try:
            for number in range(n_parts):
                table = pq.read_table(folder / f"part-{number:06d}.parquet", use_threads=False)
                if schema is None:
                    schema, writer = table.schema, pq.ParquetWriter(handle, table.schema)
                elif table.schema != schema:  # a column all null in one batch, say
                    table = table.cast(schema)
                writer.write_table(table)
        finally:
            if writer is not None:
                writer.close()
