"""The documents table: its columns, their types, and the names reserved for the system.

Every table after ``documents`` carries these columns too, so results can be grouped by any of
them. User metadata travels beside them under its own names.
"""

from __future__ import annotations

import pyarrow as pa

#: Bumped whenever the on-disk layout of a corpus store changes.
SCHEMA_VERSION = 1

REQUIRED_COLUMNS: tuple[str, ...] = ("doc_id", "outlet", "date", "text")
OPTIONAL_COLUMNS: tuple[str, ...] = ("title", "url", "author", "language")
#: Columns the importer adds; user metadata may not use these names.
SYSTEM_COLUMNS: tuple[str, ...] = (
    "published_at", "source_file", "source_row", "duplicate_group"
)
#: Names used by later stages' tables; kept free in the documents table too.
RESERVED_COLUMNS: frozenset[str] = frozenset(
    {"passage_id", "sentence_id", "paragraph_id", "mention_id", "month", "model_id"}
)
CORE_COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS + SYSTEM_COLUMNS

#: Arrow types of the core columns in a store. ``date`` is the UTC day (midnight, no zone);
#: ``published_at`` keeps the time of day in UTC when the source gave one.
CORE_TYPES: dict[str, pa.DataType] = {
    "doc_id": pa.string(),
    "outlet": pa.string(),
    "date": pa.timestamp("ns"),
    "text": pa.string(),
    "title": pa.string(),
    "url": pa.string(),
    "author": pa.string(),
    "language": pa.string(),
    "published_at": pa.timestamp("ns", tz="UTC"),
    "source_file": pa.string(),
    "source_row": pa.int64(),
    "duplicate_group": pa.string(),
}

#: Names a source may use for a core column; used only when the core name itself is absent and
#: exactly one of these is present. The import manifest records every inference.
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "doc_id": ("id", "article_id", "story_id", "stories_id", "document_id", "uid", "guid"),
    "outlet": ("source", "media_name", "publication", "publisher", "outlet_name", "media",
               "newspaper", "source_name", "domain"),
    "date": ("publish_date", "published", "pub_date", "published_at", "publication_date",
             "datetime", "timestamp", "date_published", "pubdate"),
    "text": ("body", "content", "full_text", "article_text", "content_original", "article",
             "maintext", "story_text"),
    "title": ("headline", "heading"),
    "url": ("link", "article_url", "web_url", "permalink"),
    "author": ("authors", "byline", "creator", "writer"),
    "language": ("lang", "language_code"),
}


#: The passages table (``framing passages import``): our columns, in order. Only ``text`` is
#: required; ``passage_id`` and ``doc_id`` are made when absent, ``outlet`` and ``date`` may be
#: missing altogether (grouping by them then says so).
PASSAGE_COLUMNS: tuple[str, ...] = (
    "passage_id", "doc_id", "outlet", "date", "text", "title", "url", "author", "language"
)
PASSAGE_REQUIRED: tuple[str, ...] = ("text",)
#: As for documents, but a bare ``id`` names the passage (one row = one coded passage), and an
#: article id names its document.
PASSAGE_SYNONYMS: dict[str, tuple[str, ...]] = {
    **COLUMN_SYNONYMS,
    "passage_id": ("id", "passage", "unit_id", "segment_id", "uid"),
    "doc_id": ("article_id", "story_id", "stories_id", "document_id", "doc"),
}
