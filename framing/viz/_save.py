"""Save a figure as PDF, SVG and PNG: atomically, deterministically, never over a file unasked."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure

from framing._types import PathLike
from framing.corpus import InputError, Interval, StoreExistsError, atomic_write, validate_params
from framing.viz._theme import SAVE_RC

_FORMATS = ("pdf", "svg", "png")
# No dates (they change every run); the producer string holds matplotlib's version, which the
# report manifest records anyway.
_METADATA = {
    "pdf": {"CreationDate": None, "ModDate": None},
    "svg": {"Date": None},
    "png": {},
}


def save_figure(fig: Figure, path_stem: PathLike, *, formats: Sequence[str] = _FORMATS,
                dpi: int = 300, force: bool = False) -> list[Path]:
    """Write ``fig`` to ``<path_stem>.pdf``, ``.svg`` and ``.png``, each atomically.

    Every target is checked before anything is written, so a refused call writes nothing. Each
    file is rendered in memory, then written to a temp file beside the target and renamed into
    place. PDF embeds its fonts as TrueType (Type 42), SVG draws glyphs as paths, and neither
    records a date, so the same figure gives byte-identical files on every run.

    Parameters
    ----------
    fig : matplotlib Figure
        The figure, e.g. from one of the ``plot_*`` functions.
    path_stem : str or PathLike
        Target without its extension (``figures/prevalence``); a trailing ``.pdf``, ``.svg`` or
        ``.png`` is dropped. Missing folders are created.
    formats : sequence of {"pdf", "svg", "png"}, default=("pdf", "svg", "png")
        The files to write, in this order.
    dpi : int, default=300
        Resolution of the PNG (vector formats ignore it except for embedded images).
    force : bool, default=False
        Replace existing files; otherwise an existing target raises ``StoreExistsError``.

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``.

    Raises
    ------
    InputError
        Not a figure, an unknown or repeated format, or a dpi out of range.
    StoreExistsError
        A target exists and ``force`` is False (nothing is written then).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(2, 1))
    >>> _ = fig.add_subplot().plot([0, 1], [0, 1])
    >>> stem = pathlib.Path(tempfile.mkdtemp()) / "line"
    >>> [p.name for p in save_figure(fig, stem, formats=("pdf", "png"))]
    ['line.pdf', 'line.png']
    """
    if not isinstance(fig, Figure):
        raise InputError(f"save_figure needs a matplotlib Figure; got {type(fig).__name__}")
    validate_params("save_figure", {"dpi": dpi}, {"dpi": [Interval(int, 50, 2400)]})
    if isinstance(formats, str):
        formats = (formats,)
    formats = tuple(str(f).lower().lstrip(".") for f in formats)
    unknown = [f for f in formats if f not in _FORMATS]
    if unknown or not formats or len(set(formats)) != len(formats):
        raise InputError(f"formats must be distinct values among {', '.join(_FORMATS)}; "
                         f"got {formats!r}", field="formats")
    stem = Path(path_stem)
    if stem.suffix.lower().lstrip(".") in _FORMATS:
        stem = stem.with_suffix("")
    targets = [stem.parent / f"{stem.name}.{fmt}" for fmt in formats]
    if not force:
        for target in targets:
            if target.exists():
                raise StoreExistsError(f"{target} exists; pass force=True to replace it")
    for fmt, target in zip(formats, targets, strict=True):
        buffer = io.BytesIO()
        with mpl.rc_context(SAVE_RC):
            fig.savefig(buffer, format=fmt, dpi=dpi, metadata=_METADATA[fmt])
        with atomic_write(target, force=force, mode="wb") as handle:
            handle.write(buffer.getvalue())
    return targets
