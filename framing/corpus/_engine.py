"""Running a stage batch by batch: locally or on Dask, resumable, in bounded memory.

A stage that streams a Parquet input cuts it into a **plan**: batch ``k`` is rows
``k * batch_size`` to ``(k + 1) * batch_size`` of the input files taken in order, as a list of
:class:`ParquetSlice` (a file and a row range). The plan depends on the input and the batch
size only, so every engine sees the same batches and gives the same tables; a batch reads its
own rows (the row groups they lie in), so memory is set by the batch size, not the input.

:func:`run_batches` runs a stage's batch function for every batch not yet done:

* ``engine="local"``: one after the other in this process;
* ``engine="dask"``: as tasks on a ``dask.distributed`` cluster (the scheduler at ``scheduler``,
  or a ``LocalCluster`` started for the run), at most two per worker in flight. The workers
  read their batch from the input and write their parts themselves, so the input and the output
  folder must be on a filesystem every worker sees (one machine, or a shared disk).

The batch function ``work(k, items[k], shared)`` writes its parts into the run's **work
folder** (``<out>.partial``) and returns a small JSON summary, which the driver records in
``done/batch-NNNNNN.json`` once the batch is complete. A run that stops (Ctrl-C, a killed
worker, an error) leaves the work folder; the same call again finds the plan it wrote
(``plan.json``: the stage, its parameters and the input's fingerprint) and runs only the
batches not done. A work folder left by another plan is refused unless ``force=True``, which
starts over.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from joblib import Parallel, delayed
from tqdm.auto import tqdm

from framing._types import PathLike
from framing.corpus._errors import FramingError, InputError, StoreExistsError

logger = logging.getLogger(__name__)

Engine = Literal["local", "dask"]
ENGINES = ("local", "dask")
DASK_INSTALL_HINT = "pip install framing[dask]"
_PLAN = "plan.json"
_DONE = "done"


class DaskUnavailableError(FramingError, ImportError):
    """``engine="dask"`` was asked for, but dask.distributed (``framing[dask]``) is missing."""


@dataclass(frozen=True)
class ParquetSlice:
    """Rows ``start`` to ``stop`` (0-based, stop excluded) of one Parquet file."""

    file: str
    start: int
    stop: int


def check_batched_run(engine: str, batch_size: object, out: PathLike, *,
                      force: bool) -> Path:
    """The checks every batched stage makes before any work: the engine, the batch size, and
    that ``out`` does not exist unless ``force``. Returns ``out`` as a Path.

    Examples
    --------
    >>> check_batched_run("local", 500, "/nonexistent/out", force=False).name
    'out'
    >>> try:
    ...     check_batched_run("spark", 500, "/nonexistent/out", force=False)
    ... except InputError as error:
    ...     print(error.field, "|", error.reason)
    engine | engine must be one of local, dask; got 'spark'
    """
    if engine not in ENGINES:
        raise InputError(f"engine must be one of {', '.join(ENGINES)}; got {engine!r}",
                         field="engine")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise InputError(f"batch_size must be an int >= 1, got {batch_size!r}",
                         field="batch_size")
    target = Path(out)
    if target.exists() and not force:
        raise StoreExistsError(f"{target} exists; pass force=True (--force) to replace it")
    return target


def plan_batches(files: Sequence[PathLike], batch_size: int) -> list[list[ParquetSlice]]:
    """Cut the rows of ``files`` (in order) into batches of ``batch_size`` rows.

    Only the files' footers are read. The last batch may be shorter; empty files give no slice.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> folder = Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"x": range(3)}).to_parquet(folder / "a.parquet")
    >>> pd.DataFrame({"x": range(4)}).to_parquet(folder / "b.parquet")
    >>> plan = plan_batches([folder / "a.parquet", folder / "b.parquet"], 5)
    >>> [[(Path(s.file).name, s.start, s.stop) for s in batch] for batch in plan]
    [[('a.parquet', 0, 3), ('b.parquet', 0, 2)], [('b.parquet', 2, 4)]]
    """
    batches: list[list[ParquetSlice]] = []
    current: list[ParquetSlice] = []
    room = batch_size
    for file in files:
        rows = pq.ParquetFile(file).metadata.num_rows
        start = 0
        while start < rows:
            take = min(room, rows - start)
            current.append(ParquetSlice(str(file), start, start + take))
            start += take
            room -= take
            if room == 0:
                batches.append(current)
                current, room = [], batch_size
    if current:
        batches.append(current)
    return batches


def plan_rows(plan: Sequence[Sequence[ParquetSlice]]) -> list[int]:
    """Rows in each batch of a plan (for progress bars counting rows, not batches)."""
    return [sum(piece.stop - piece.start for piece in batch) for batch in plan]


def read_slices(slices: Sequence[ParquetSlice], *,
                columns: Sequence[str] | None = None) -> pa.Table:
    """The rows of ``slices`` as one table, reading only the row groups they lie in.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> file = Path(tempfile.mkdtemp()) / "a.parquet"
    >>> pd.DataFrame({"x": range(10)}).to_parquet(file, row_group_size=4)
    >>> read_slices([ParquetSlice(str(file), 3, 6)]).column("x").to_pylist()
    [3, 4, 5]
    """
    tables = []
    for piece in slices:
        reader = pq.ParquetFile(piece.file)
        groups, offset, first_row = [], 0, None
        for group in range(reader.metadata.num_row_groups):
            rows = reader.metadata.row_group(group).num_rows
            if offset + rows > piece.start and offset < piece.stop:
                groups.append(group)
                first_row = offset if first_row is None else first_row
            offset += rows
        table = reader.read_row_groups(groups, columns=None if columns is None
                                       else list(columns), use_threads=False)
        tables.append(table.slice(piece.start - (first_row or 0), piece.stop - piece.start))
    return pa.concat_tables(tables) if len(tables) > 1 else tables[0]


def file_fingerprint(files: Sequence[PathLike]) -> str:
    """A hash of files' names, sizes and modification times: which input a plan was made for."""
    digest = hashlib.sha256()
    for file in files:
        stat = os.stat(file)
        digest.update(f"{Path(file).name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()[:16]


def work_folder(out: PathLike) -> Path:
    """The work folder of a run writing ``out``: ``<out>.partial`` beside it."""
    target = Path(out)
    return target.with_name(target.name + ".partial")


def open_work_folder(out: PathLike, plan: dict[str, Any], *, force: bool = False) -> Path:
    """Create the work folder of ``out`` for ``plan``, or reopen it when it holds that plan.

    Raises
    ------
    InputError
        The work folder holds another plan (other parameters or input) and ``force`` is False.
    """
    folder = work_folder(out)
    plan_file = folder / _PLAN
    wanted = json.loads(json.dumps(plan, default=str))
    if folder.exists():
        found = None
        with contextlib.suppress(OSError, ValueError):
            found = json.loads(plan_file.read_text(encoding="utf-8"))
        if found == wanted:
            return folder
        if not force:
            raise InputError("an interrupted run with other parameters or another input left "
                             "this work folder; rerun with its parameters to resume it, or "
                             "pass force (--force) to start over", path=folder)
        shutil.rmtree(folder)
    (folder / _DONE).mkdir(parents=True)
    write_json_atomic(plan_file, wanted)
    return folder


def write_json_atomic(path: Path, content: Any) -> None:
    """Write JSON to ``path`` through a temp file and a rename (a reader never sees half)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(content, indent=2, default=str) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def done_batches(folder: Path) -> dict[int, dict[str, Any]]:
    """The summaries of the batches a work folder has completed, by batch number."""
    done = {}
    for marker in (folder / _DONE).glob("batch-*.json"):
        done[int(marker.stem.split("-")[1])] = json.loads(marker.read_text(encoding="utf-8"))
    return done


def dask_available() -> bool:
    """Whether dask.distributed (the ``framing[dask]`` extra) imports.

    Examples
    --------
    >>> isinstance(dask_available(), bool)
    True
    """
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, *, n_workers: int = 2,
                threads_per_worker: int = 1) -> Iterator[Any]:
    """A ``distributed.Client``: to ``scheduler``, or to a ``LocalCluster`` started for the run.

    The local cluster has ``n_workers`` processes of ``threads_per_worker`` threads each and no
    dashboard server of its own beyond distributed's default; its dashboard link is logged.

    Raises
    ------
    DaskUnavailableError
        dask.distributed is not installed.
    InputError
        The scheduler at ``scheduler`` cannot be reached.
    """
    try:
        import distributed
    except ImportError as exc:
        raise DaskUnavailableError(f"engine='dask' needs dask.distributed: "
                                   f"{DASK_INSTALL_HINT}") from exc
    if scheduler is None:
        cluster = distributed.LocalCluster(n_workers=n_workers,
                                           threads_per_worker=threads_per_worker,
                                           processes=True, dashboard_address=":0")
        with cluster, distributed.Client(cluster) as client:
            logger.info("Dask LocalCluster of %d workers; dashboard: %s", n_workers,
                        client.dashboard_link)
            yield client
        return
    try:
        client = distributed.Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler} ({exc})",
                         field="scheduler") from exc
    with client:
        logger.info("Dask scheduler %s; dashboard: %s", scheduler, client.dashboard_link)
        yield client


def _write_marker(folder: Path, number: int, summary: dict[str, Any]) -> None:
    write_json_atomic(folder / _DONE / f"batch-{number:06d}.json", summary)


BatchWork = Callable[[int, Any, Any], dict[str, Any]]


def run_batches(
    work: BatchWork,
    items: Sequence[Any],
    folder: Path,
    *,
    shared: Any = None,
    engine: Engine = "local",
    scheduler: str | None = None,
    sizes: Sequence[int] | None = None,
    n_jobs: int = 1,
    progress: bool = True,
    desc: str = "batches",
    unit: str = "row",
) -> list[dict[str, Any]]:
    """Run ``work(k, items[k], shared)`` for every batch ``k`` the work folder has not done.

    Parameters
    ----------
    work : callable
        Writes batch ``k``'s parts into ``folder`` and returns a JSON-able summary. On Dask it
        is pickled to the workers: a module-level function.
    items : sequence
        What each batch reads (its file slices): task ``k`` is sent ``items[k]`` only.
    folder : Path
        The work folder (:func:`open_work_folder`).
    shared : object, optional
        What every batch needs (a fitted model, the stage's settings): on Dask it is sent to
        each worker once (scattered), not with every task.
    engine : {"local", "dask"}, default="local"
        Where the batches run.
    scheduler : str, optional
        The Dask scheduler's address (``engine="dask"``); ``None`` starts a LocalCluster.
    sizes : sequence of int, optional
        Rows per batch, for the progress bar (else it counts batches).
    n_jobs : int, default=1
        Local engine: worker processes (joblib) running batches side by side.
    progress : bool, default=True
        Show a progress bar (on Dask too: it advances as the workers finish batches, and the
        dashboard's link is written above it).

    Returns
    -------
    list of dict
        The summary of every batch, in batch order (those done earlier read back).
    """
    if engine not in ENGINES:
        raise InputError(f"engine must be one of {', '.join(ENGINES)}; got {engine!r}",
                         field="engine")
    done = done_batches(folder)
    todo = [k for k in range(len(items)) if k not in done]
    if done:
        logger.info("%s: resuming, %d of %d batches already done", folder, len(done),
                    len(items))
    weight = (lambda k: sizes[k]) if sizes is not None else (lambda k: 1)
    with tqdm(total=sum(weight(k) for k in range(len(items))),
              initial=sum(weight(k) for k in done), desc=desc,
              unit=unit if sizes is not None else "batch", disable=not progress,
              leave=False) as bar:
        if engine == "local":
            # Worker processes finish batches in any order; each is recorded as it ends.
            runner = Parallel(n_jobs=n_jobs, return_as="generator_unordered")
            for number, summary in runner(delayed(_numbered)(work, k, items[k], shared)
                                          for k in todo):
                done[number] = summary
                _write_marker(folder, number, summary)
                bar.update(weight(number))
        elif todo:
            with dask_client(scheduler) as client:
                if progress:
                    bar.write(f"Dask dashboard: {client.dashboard_link}")
                done.update(_run_on_dask(client, work, items, shared, todo, folder, bar,
                                         weight))
    return [done[k] for k in range(len(items))]


def _numbered(work: BatchWork, number: int, item: Any, shared: Any) -> tuple[int, Any]:
    return number, work(number, item, shared)


def _run_on_dask(client: Any, work: BatchWork, items: Sequence[Any], shared: Any,
                 todo: list[int], folder: Path, bar: Any,
                 weight: Callable[[int], int]) -> dict[int, Any]:
    from distributed import as_completed

    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    in_flight = 2 * n_workers  # enough to keep every worker busy, few summaries waiting
    run = uuid.uuid4().hex[:12]  # task keys unique to this run, on a long-lived scheduler too
    common = client.scatter(shared, broadcast=True, hash=False)
    pending = iter(todo)
    finished: dict[int, Any] = {}
    numbers: dict[str, int] = {}

    def submit(number: int) -> Any:
        # pure=False: a batch is a side effect (its parts on disk), never deduplicated.
        future = client.submit(work, number, items[number], common,
                               key=f"framing-batch-{run}-{number}", pure=False, retries=1)
        numbers[future.key] = number
        return future

    futures = as_completed([submit(k) for k in _take(pending, in_flight)])
    try:
        for future in futures:
            number = numbers.pop(future.key)
            finished[number] = future.result()  # a task's error is raised here, as is
            _write_marker(folder, number, finished[number])
            bar.update(weight(number))
            for following in _take(pending, 1):
                futures.add(submit(following))
    finally:
        for future in list(futures.futures):
            future.cancel()
    return finished


def _take(iterator: Iterator[int], n: int) -> list[int]:
    return [value for _, value in zip(range(n), iterator, strict=False)]


def write_part(table: pd.DataFrame, target: Path) -> None:
    """Write one batch's table as a Parquet part, whole or not at all (temp file, rename)."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    table.to_parquet(temporary, index=False)
    os.replace(temporary, target)


def map_in_order(function: Callable[..., Any], calls: Iterable[tuple[Any, ...]], *,
                 client: Any = None, n_jobs: int = 1) -> Iterator[Any]:
    """``function(*call)`` for every call, results yielded in the calls' order.

    Without ``client`` the calls run in joblib workers (``n_jobs``); with a dask.distributed
    ``client`` they run as tasks, at most two per worker in flight, the arguments shipped from
    this process (for stages whose input this process reads, such as import).

    Examples
    --------
    >>> list(map_in_order(pow, [(2, 3), (3, 2)]))
    [8, 9]
    """
    if client is None:
        yield from Parallel(n_jobs=n_jobs, return_as="generator")(
            delayed(function)(*call) for call in calls)
        return
    import collections

    in_flight = 2 * max(1, len(client.scheduler_info().get("workers", {})))
    queue: collections.deque = collections.deque()
    try:
        for call in calls:
            queue.append(client.submit(function, *call, pure=False, retries=1))
            if len(queue) >= in_flight:
                yield queue.popleft().result()
        while queue:
            yield queue.popleft().result()
    finally:
        for future in queue:
            future.cancel()
