"""Document-topic tables streamed to Parquet batch by batch, with the model's metadata.

The file carries the model id, the topic labels and the key column in its schema metadata
under pandas' ``PANDAS_ATTRS`` key, so ``pd.read_parquet`` gives them back as ``.attrs``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from framing._types import PathLike
from framing.corpus import InputError, atomic_write


def doc_topic_attrs(model: Any) -> dict[str, Any]:
    """What a document-topic table says about the model that made it (its ``.attrs``)."""
    return {"model_id": model.model_id_, "id_column": model.id_column_,
            "n_topics": int(model.n_topics_), "topic_labels": list(model.labels_)}


def iter_batches(X: pd.DataFrame | Iterable[pd.DataFrame],
                 batch_size: int) -> Iterator[pd.DataFrame]:
    """``X`` in slices of at most ``batch_size`` rows (a table, or an iterable of tables)."""
    frames = [X] if isinstance(X, pd.DataFrame) else X
    for number, frame in enumerate(frames, start=1):
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"batch {number}: expected a token table (DataFrame), got "
                            f"{type(frame).__name__}")
        for start in range(0, len(frame), batch_size):
            yield frame.iloc[start:start + batch_size]


def write_batches(batches: Iterable[pd.DataFrame], transform: Callable[[pd.DataFrame],
                  pd.DataFrame], path: PathLike, attrs: dict[str, Any], *,
                  force: bool = False) -> Path:
    """Transform each batch and append it to one Parquet file, written atomically.

    Only one batch is held at a time. The first batch fixes the schema; later batches are
    cast to it, so a column must keep its type from batch to batch.
    """
    target = Path(path)
    writer = None
    n_rows = 0
    with atomic_write(target, force=force, mode="wb") as handle:
        try:
            for batch in batches:
                table = transform(batch).reset_index(drop=True)
                if writer is None:
                    arrow = pa.Table.from_pandas(table, preserve_index=False)
                    metadata = {**(arrow.schema.metadata or {}),
                                b"PANDAS_ATTRS": json.dumps(attrs).encode("utf-8")}
                    schema = arrow.schema.with_metadata(metadata)
                    writer = pq.ParquetWriter(handle, schema)
                    arrow = arrow.replace_schema_metadata(metadata)
                else:
                    try:
                        arrow = pa.Table.from_pandas(table, schema=schema, preserve_index=False)
                    except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError) as exc:
                        raise InputError(f"rows {n_rows + 1}-{n_rows + len(table)} do not fit "
                                         f"the first batch's column types ({exc})",
                                         path=target) from exc
                writer.write_table(arrow)
                n_rows += len(table)
            if writer is None:
                raise InputError("no rows to transform", path=target)
        finally:
            # closed before atomic_write closes (and on error discards) the file under it
            if writer is not None:
                writer.close()
    return target
