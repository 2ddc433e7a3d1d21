"""framing: discourse and framing analysis of news.

The pipeline runs corpus -> text -> topics / frames -> measure -> viz / report; each stage is a
subpackage that takes a table and returns a table, with the document metadata on every row.
"""

from __future__ import annotations

__version__ = "0.1.0"

from framing.corpus import Corpus, import_corpus, read_corpus  # noqa: E402

__all__ = ["Corpus", "__version__", "import_corpus", "read_corpus"]
