"""Real labelled passages for the frame-model measurements (tests and measure_frames.py).

* :func:`entity_role_passages`: SemEval-2025 Task 10 entity framing, Ukraine-war articles
  (domain ``UA``): one passage per annotated entity mention (the mention's sentence with one
  sentence either side), labelled with the entity's main role (protagonist / antagonist /
  innocent) and its fine roles (peacemaker, guardian, victim, instigator, ...).
* :func:`trump_tone_passages`: NewsMTSC sentences whose target is Trump, labelled with the
  tone toward him (favourable / unfavourable; neutral is the none category).

Each reads ``../shared/data`` through ``tests.conftest.shared_path`` (skips when absent).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from framing.text import split_sentences
from tests.conftest import shared_path

HERE = Path(__file__).resolve().parent
ENTITY_MAIN_CODEBOOK = HERE / "data" / "entity_main_roles.yaml"
ENTITY_FINE_CODEBOOK = HERE / "data" / "entity_fine_roles.yaml"
TONE_CODEBOOK = HERE / "data" / "actor_tone.yaml"
MAIN_ROLES = ("protagonist", "antagonist", "innocent")
FINE_ROLES = {"peacemaker": "Peacemaker", "guardian": "Guardian", "victim": "Victim",
              "instigator": "Instigator", "foreign_adversary": "Foreign Adversary"}


def entity_role_passages(domain: str = "UA", *, mark_entity: bool = False) -> pd.DataFrame:
    """Entity-mention passages with 0/1 main-role and fine-role columns.

    Columns: ``passage_id`` (``doc_id:n``), ``doc_id``, ``outlet`` (the document: the data
    has no outlet), ``entity``, ``text``, one column per main role and per fine role. With
    ``mark_entity``, the text starts with ``"<entity>: "``, so passages about two entities
    of one sentence differ.
    """
    folder = shared_path("semeval2025_t10_entity_framing")
    docs = pd.read_parquet(folder / "documents.parquet")
    roles = pd.read_parquet(folder / "entity_roles.parquet").merge(
        docs[["doc_id", "domain", "raw_text"]], on="doc_id", validate="many_to_one")
    roles = roles[roles["domain"] == domain].sort_values(["doc_id", "start"], kind="stable")
    rows = []
    sentences_of: dict[str, list] = {}
    for n, row in enumerate(roles.itertuples(index=False)):
        text = row.raw_text
        if row.doc_id not in sentences_of:
            sentences_of[row.doc_id] = split_sentences(text)
        sentences = sentences_of[row.doc_id]
        at = next((i for i, s in enumerate(sentences) if s.start <= row.start < s.end),
                  len(sentences) - 1)
        first, last = max(at - 1, 0), min(at + 1, len(sentences) - 1)
        entry = {"passage_id": f"{row.doc_id}:{n}", "doc_id": row.doc_id,
                 "outlet": row.doc_id, "entity": row.entity,
                 "text": (f"{row.entity}: " if mark_entity else "")
                 + " ".join(text[s.start:s.end] for s in sentences[first:last + 1])}
        for role in MAIN_ROLES:
            entry[role] = int(row.main_role.lower() == role)
        for name, label in FINE_ROLES.items():
            entry[name] = int(label in list(row.fine_roles))
        rows.append(entry)
    return pd.DataFrame(rows)


def trump_tone_passages(*, split: str = "train", n: int | None = None,
                        random_state: int = 0) -> pd.DataFrame:
    """NewsMTSC sentences about Trump: ``favourable`` / ``unfavourable`` 0/1 columns.

    ``doc_id`` is the article part of the sentence id; ``n`` draws that many sentences
    (seeded) from the split.
    """
    table = pd.read_parquet(shared_path("newsmtsc", "targets.parquet"))
    table = table[(table["split"] == split)
                  & table["mention"].str.contains(r"\bTrump\b", regex=True)]
    table = table.drop_duplicates("sentence").reset_index(drop=True)
    if n is not None and n < len(table):
        keep = np.sort(np.random.default_rng(random_state).choice(len(table), n, replace=False))
        table = table.iloc[keep].reset_index(drop=True)
    # The sentence id starts with the article's: allsides_<n>_... or polusa_v1_<n>_...
    doc_id = table["primary_gid"].str.extract(r"^((?:polusa_v\d+|allsides)_\d+)")[0]
    return pd.DataFrame({
        "passage_id": table["primary_gid"], "doc_id": doc_id,
        "outlet": table["source_corpus"], "text": table["sentence"],
        "favourable": (table["polarity"] == "positive").astype(int),
        "unfavourable": (table["polarity"] == "negative").astype(int)})
