"""Read what was selected (keyword in context) and measure it (an audit sheet, scored).

The audit sheet is a stratified random sample of sentences: sentences the extractor says are
about the actor, and sentences it says are not (from documents that name the actor, where
misses hide). A researcher marks each ``1`` (about the actor) or ``0``; :func:`score_audit`
turns the marks into precision and recall, weighting each stratum by its sampling fraction so
recall speaks for the whole corpus, with Wilson intervals.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from framing._types import PathLike
from framing.corpus import InputError
from framing.text._sentences import split_sentences

AUDIT_COLUMNS = [
    "audit_id", "doc_id", "sentence_id", "stratum", "weight", "outlet", "date", "before",
    "sentence", "after", "predicted", "resolved_by", "reason", "about_actor", "note",
]


def kwic(
    mentions: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    actor: str | None = None,
    passages: pd.DataFrame | None = None,
    counted_only: bool = True,
    width: int = 60,
) -> pd.DataFrame:
    """A keyword-in-context table: each mention with ``width`` characters on either side.

    Parameters
    ----------
    mentions : DataFrame
        ``Passages.mentions``.
    documents : DataFrame
        The documents table (``doc_id``, ``text`` and any metadata to show).
    actor : str, optional
        Only this actor's mentions.
    passages : DataFrame, optional
        ``Passages.passages``: only the mentions inside these passages (what was selected).
    counted_only : bool, default=True
        Only mentions that count toward passages (not decoys, institutions or unsure ones).
    """
    rows = mentions
    if passages is not None:
        rows = rows[_inside_passages(rows, passages)]
    if actor is not None:
        rows = rows[rows["actor"] == actor]
    if counted_only:
        rows = rows[rows["is_counted"]]
    extra = [c for c in ("outlet", "date") if c in documents.columns]
    merged = rows.merge(documents[["doc_id", *extra]], on="doc_id", how="left",
                        validate="many_to_one")
    # Each document's text once, sliced per mention: joining the text column onto the
    # mentions copied a long article once per mention (gigabytes for one 276k-character text).
    wanted = documents["doc_id"].isin(set(merged["doc_id"]))
    text_of = dict(zip(documents.loc[wanted, "doc_id"], documents.loc[wanted, "text"],
                       strict=True))
    left, right = [], []
    for doc_id, start, end in zip(merged["doc_id"], merged["start"], merged["end"], strict=True):
        text = text_of.get(doc_id, "")
        left.append(" ".join(text[max(0, start - width):start].split()))
        right.append(" ".join(text[end:end + width].split()))
    out = merged.assign(left=left, keyword=merged["surface"], right=right)
    columns = ["doc_id", *extra, "sentence_id", "left", "keyword", "right", "actor",
               "resolved_by", "confidence", "reason"]
    return out[columns].reset_index(drop=True)


def _inside_passages(mentions: pd.DataFrame, passages: pd.DataFrame) -> np.ndarray:
    """Which mentions lie wholly inside some passage of their document.

    Sorted by document and start, the passages before a mention's start include one that
    holds it exactly when the largest end among them reaches the mention's end: a running
    maximum and one binary search per mention, so time and memory grow with the rows, not
    with mentions x passages (a join on doc_id took minutes and gigabytes on one long article).
    """
    codes = pd.Index(pd.unique(passages["doc_id"]))
    passage_doc = codes.get_indexer(passages["doc_id"])
    order = np.lexsort((passages["start"].to_numpy(), passage_doc))
    passage_doc = passage_doc[order]
    starts = passages["start"].to_numpy(dtype=np.int64)[order]
    ends = passages["end"].to_numpy(dtype=np.int64)[order]
    # the running maximum of the end, restarted at each document
    reach = pd.Series(ends).groupby(passage_doc).cummax().to_numpy()
    mention_doc = codes.get_indexer(mentions["doc_id"])
    mention_start = mentions["start"].to_numpy(dtype=np.int64)
    # the last passage (in document, start order) starting at or before the mention, found on
    # one int64 key: document code x (largest offset + 1) + start
    span = int(max(starts.max(initial=0), mention_start.max(initial=0))) + 1
    last = np.searchsorted(passage_doc * span + starts, mention_doc * span + mention_start,
                           side="right") - 1
    found = (mention_doc >= 0) & (last >= 0)
    found[found] &= passage_doc[last[found]] == mention_doc[found]
    inside = np.zeros(len(mentions), dtype=bool)
    inside[found] = reach[last[found]] >= mentions["end"].to_numpy(dtype=np.int64)[found]
    return inside


@dataclass
class KwicView:
    """A KWIC table that renders in Jupyter with the keyword highlighted."""

    table: pd.DataFrame

    #: Rows a notebook shows (``to_html`` writes them all).
    max_rows: int = 200

    def _repr_html_(self) -> str:
        return self._html(self.max_rows)

    def _html(self, max_rows: int | None) -> str:
        rows = []
        table = self.table if max_rows is None else self.table.head(max_rows)
        where = [c for c in ("outlet", "date") if c in table.columns]
        for row in table.itertuples(index=False):
            source = " ".join(
                pd.Timestamp(v).strftime("%Y-%m-%d") if c == "date" and pd.notna(v) else str(v)
                for c, v in ((c, getattr(row, c)) for c in where))
            rows.append(
                "<tr>"
                f"<td style='color:#555;white-space:nowrap'>{html.escape(source)}</td>"
                f"<td style='text-align:right;color:#555'>{html.escape(str(row.left))}</td>"
                f"<td><mark title='{html.escape(str(row.reason))}'>"
                f"{html.escape(str(row.keyword))}</mark></td>"
                f"<td style='text-align:left;color:#555'>{html.escape(str(row.right))}</td>"
                f"<td>{html.escape(str(row.resolved_by))}</td>"
                f"<td>{float(row.confidence):.2f}</td>"
                f"<td>{html.escape(str(row.doc_id))}</td></tr>"
            )
        head = ("<tr><th>source</th><th>left</th><th>mention</th><th>right</th>"
                "<th>resolved by</th><th>confidence</th><th>doc</th></tr>")
        more = (f"<p style='color:#666'>{len(self.table) - len(table):,} more rows; "
                "to_html writes them all</p>" if len(table) < len(self.table) else "")
        return (f"<p><b>Key words in context</b>: {len(self.table):,} mentions</p>"
                f"<table style='font-size:13px'>{head}{''.join(rows)}</table>{more}")

    def to_html(self, path: PathLike, *, force: bool = False) -> Path:
        """Write the table as a standalone HTML page (an existing file only with ``force``)."""
        from framing.corpus import atomic_write

        with atomic_write(path, force=force) as handle:
            handle.write("<!doctype html><meta charset='utf-8'><title>KWIC</title>"
                         + self._html(None))
        return Path(path)


def audit_sheet(
    mentions: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    actor: str,
    n_selected: int = 100,
    n_unselected: int = 100,
    random_state: int = 0,
) -> pd.DataFrame:
    """Sample sentences to audit: ``n_selected`` the extractor counts as about ``actor`` and
    ``n_unselected`` it does not, drawn from the documents that name the actor at all.

    The ``about_actor`` column is left empty for the researcher (1 = about the actor, 0 = not).
    ``weight`` is the number of sentences each sampled one stands for.
    """
    rng = np.random.default_rng(random_state)
    counted = mentions[(mentions["actor"] == actor) & mentions["is_counted"]]
    named = mentions[mentions["actor"] == actor]["doc_id"].unique()
    texts = documents.set_index("doc_id")
    selected_keys = set(zip(counted["doc_id"], counted["sentence_id"], strict=True))
    sentences = []
    for doc_id in sorted(named):
        text = texts.at[doc_id, "text"]
        for sentence in split_sentences(text):
            sentences.append((doc_id, sentence.sentence_id, sentence.start, sentence.end))
    frame = pd.DataFrame(sentences, columns=["doc_id", "sentence_id", "start", "end"])
    if frame.empty:
        raise InputError(f"no document mentions {actor!r}: nothing to audit")
    frame["predicted"] = [
        (d, s) in selected_keys for d, s in zip(frame["doc_id"], frame["sentence_id"],
                                                strict=True)
    ]
    parts = []
    for stratum, wanted, is_selected in (("selected", n_selected, True),
                                         ("unselected", n_unselected, False)):
        pool = frame[frame["predicted"] == is_selected]
        take = min(wanted, len(pool))
        chosen = pool.iloc[np.sort(rng.choice(len(pool), size=take, replace=False))]
        parts.append(chosen.assign(stratum=stratum, weight=len(pool) / max(take, 1)))
    sample = pd.concat(parts, ignore_index=True)
    by_sentence = counted.groupby(["doc_id", "sentence_id"]).agg(
        resolved_by=("resolved_by", lambda v: ";".join(sorted(set(v)))),
        reason=("reason", lambda v: "; ".join(dict.fromkeys(v))),
    )
    sample = sample.join(by_sentence, on=["doc_id", "sentence_id"])
    rows = []
    for row in sample.itertuples(index=False):
        text = texts.at[row.doc_id, "text"]
        rows.append({
            "before": " ".join(text[max(0, row.start - 300):row.start].split()),
            "sentence": text[row.start:row.end],
            "after": " ".join(text[row.end:row.end + 150].split()),
            "outlet": texts.at[row.doc_id, "outlet"] if "outlet" in texts else None,
            "date": str(texts.at[row.doc_id, "date"])[:10] if "date" in texts else None,
        })
    sheet = pd.concat([sample.reset_index(drop=True), pd.DataFrame(rows)], axis=1)
    sheet["predicted"] = sheet["predicted"].astype(int)
    sheet["audit_id"] = np.arange(1, len(sheet) + 1)
    sheet["about_actor"] = ""
    sheet["note"] = ""
    order = rng.permutation(len(sheet))  # shuffled, so the coder cannot see the stratum order
    return sheet.iloc[order][AUDIT_COLUMNS].reset_index(drop=True)


def _wilson(successes: float, n: float, z: float = 1.96) -> tuple[float, float]:
    if n <= 0:
        return (math.nan, math.nan)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def score_audit(sheet: pd.DataFrame | PathLike) -> pd.DataFrame:
    """Precision and recall from a marked audit sheet, with 95% Wilson intervals.

    Returns one row per measure (precision, recall) and, for precision, per resolution type.
    Rows whose ``about_actor`` is blank are left out and counted in ``n_unmarked``.
    """
    path = None
    if not isinstance(sheet, pd.DataFrame):
        path = Path(sheet)
        try:
            sheet = pd.read_csv(path, dtype={"about_actor": str})
        except (OSError, pd.errors.ParserError) as exc:
            raise InputError(f"cannot read the audit sheet ({exc})", path=path) from exc
    missing = {"stratum", "weight", "predicted", "about_actor"} - set(sheet.columns)
    if missing:
        raise InputError(f"not an audit sheet: no column(s) {sorted(missing)}", path=path)
    marks = sheet["about_actor"].astype(str).str.strip().replace({"nan": "", "None": ""})
    bad = ~marks.isin(["", "0", "1"])
    if bad.any():
        row = int(np.flatnonzero(bad)[0]) + 1
        raise InputError(f"mark {marks[bad].iloc[0]!r} is not 1 (about the actor) or 0 (not)",
                         path=path, row=row, field="about_actor")
    marked = sheet[marks != ""].assign(mark=marks[marks != ""].astype(int))
    selected = marked[marked["predicted"] == 1]
    unselected = marked[marked["predicted"] == 0]
    rows = []
    tp = selected["mark"].sum()
    low, high = _wilson(tp, len(selected))
    rows.append(("precision", "all", tp / len(selected) if len(selected) else math.nan, low,
                 high, len(selected)))
    if "resolved_by" in selected:
        for kind, group in selected.groupby(selected["resolved_by"].fillna("none")):
            low, high = _wilson(group["mark"].sum(), len(group))
            rows.append(("precision", kind, group["mark"].mean(), low, high, len(group)))
    # Recall over the population: weight each sampled sentence by what it stands for.
    found = (selected["mark"] * selected["weight"]).sum()
    missed = (unselected["mark"] * unselected["weight"]).sum()
    recall = found / (found + missed) if found + missed > 0 else math.nan
    effective = len(selected) + len(unselected)
    low, high = _wilson(recall * effective, effective) if not math.isnan(recall) else (
        math.nan, math.nan)
    rows.append(("recall", "all", recall, low, high, effective))
    out = pd.DataFrame(rows, columns=["measure", "resolved_by", "estimate", "ci_low", "ci_high",
                                      "n"])
    out["n_unmarked"] = int((marks == "").sum())
    return out
