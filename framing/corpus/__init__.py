"""The corpus stage and the core every other stage stands on.

Import any news corpus (CSV/TSV, JSONL, JSON, Parquet, text folders, Media Cloud exports) into
a validated, deduplicated, month-partitioned Parquet store with a manifest; read it back whole
(:func:`read_corpus`) or in batches (:class:`Corpus`). Also home of the shared core: the error
hierarchy, atomic writes and parameter validation.
"""

from __future__ import annotations

from framing.corpus._atomic import (
    atomic_directory,
    atomic_write,
    check_output,
    is_framing_output,
    recover_interrupted_write,
)
from framing.corpus._badrows import BadRowWarning
from framing.corpus._columns import parse_column_map
from framing.corpus._dates import parse_dates
from framing.corpus._errors import (
    BundleError,
    FramingError,
    InputError,
    StoreExistsError,
)
from framing.corpus._import import import_corpus
from framing.corpus._outlets import OutletAliases, outlet_key
from framing.corpus._params import NONE, InstanceOf, Interval, Options, validate_params
from framing.corpus._readers import Source
from framing.corpus._schema import (
    CORE_COLUMNS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    SCHEMA_VERSION,
)
from framing.corpus._store import Corpus, load_manifest, read_corpus
from framing.corpus._text_clean import clean_text

__all__ = [
    "CORE_COLUMNS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "SCHEMA_VERSION",
    "BadRowWarning",
    "BundleError",
    "Corpus",
    "FramingError",
    "InputError",
    "InstanceOf",
    "Interval",
    "NONE",
    "NotFittedError",
    "Options",
    "OutletAliases",
    "Source",
    "StoreExistsError",
    "atomic_directory",
    "atomic_write",
    "check_output",
    "clean_text",
    "import_corpus",
    "is_framing_output",
    "load_manifest",
    "outlet_key",
    "parse_column_map",
    "parse_dates",
    "read_corpus",
    "recover_interrupted_write",
    "validate_params",
]


def __getattr__(name: str) -> type:
    # NotFittedError subclasses scikit-learn's, and importing scikit-learn takes a second:
    # loaded on first use, so reading a corpus or `framing --help` never pays for it.
    if name == "NotFittedError":
        from framing.corpus._not_fitted import NotFittedError
        return NotFittedError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
