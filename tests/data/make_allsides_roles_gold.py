"""Assemble the coded frame-role set from the two coders' sheets and the adjudication.

Run from the repository root (after ``make_allsides_roles_sample.py``)::

    .venv/bin/python tests/data/make_allsides_roles_gold.py CODING_FOLDER
    .venv/bin/python tests/data/make_allsides_roles_gold.py --blind2 CODING_FOLDER
    .venv/bin/python tests/data/make_allsides_roles_gold.py --blind3 CODING_FOLDER

``CODING_FOLDER`` holds what the coders and the adjudicator wrote, one sheet per coder and
part: ``coder_{a,b}_{dev,test,dev2}.csv`` (``dev2``: the dev supplement), and
``adjudicated_<part>.csv`` for each part where the coders differed; each with
``passage_id``, ``peacemaker``, ``isolationist``, ``skeptic`` and a note or reason. It writes

* ``allsides_trump_roles_coder_a.csv`` / ``_coder_b.csv``: each coder's codes and notes;
* ``allsides_trump_roles.csv``: the candidates with the gold codes (agreed, or adjudicated
  where the coders differed: ``adjudicated`` 1) and the adjudicator's reason.

With ``--blind2`` it assembles the second blind part the same way, from
``coder_{a,b}_blind2.csv`` and ``adjudicated_blind2.csv`` against
``allsides_trump_roles_blind2_candidates.csv``, into ``allsides_trump_roles_blind2.csv`` and
``allsides_trump_roles_blind2_coder_{a,b}.csv``; ``--blind3`` the third blind part, the same
way with ``blind3`` in every name.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
ROLES = ["peacemaker", "isolationist", "skeptic"]
PARTS = ("dev", "test", "dev2")


def main(folder: Path, *, blind: str | None = None) -> None:
    """``blind``: ``"blind2"`` or ``"blind3"`` for a later blind part, None for the first set."""
    stem = f"allsides_trump_roles_{blind}" if blind else "allsides_trump_roles"
    parts = (blind,) if blind else PARTS
    candidates = pd.read_csv(HERE / f"{stem}_candidates.csv")
    coders = {}
    for coder in ("a", "b"):
        sheets = [pd.read_csv(folder / f"coder_{coder}_{part}.csv") for part in parts]
        sheet = pd.concat(sheets, ignore_index=True)
        sheet = candidates[["passage_id", "split"]].merge(sheet, on="passage_id",
                                                          validate="one_to_one")
        sheet["note"] = sheet["note"].fillna("")
        sheet.to_csv(HERE / f"{stem}_coder_{coder}.csv", index=False)
        coders[coder] = sheet.set_index("passage_id")
    a, b = coders["a"], coders["b"]
    gold = candidates.set_index("passage_id")
    differ = (a[ROLES] != b[ROLES]).any(axis=1)
    for role in ROLES:
        gold[role] = a[role]
    gold["adjudicated"] = differ.astype(int)
    gold["adjudication"] = ""
    part_of = (gold["phase"].where(gold["phase"].isin(["blind2", "blind3"]), gold["split"])
               .where(gold["phase"] != "supplement", "dev2"))
    for part in parts:
        path = folder / f"adjudicated_{part}.csv"
        disputed = set(differ[differ & (part_of == part)].index)
        if not path.exists():
            if disputed:
                raise SystemExit(f"{path}: missing, and the coders differ on {part} passages")
            continue
        decided = pd.read_csv(path).set_index("passage_id")
        if set(decided.index) != disputed:
            raise SystemExit(f"{path}: must decide exactly the {part} passages the coders "
                             "differ on")
        gold.loc[decided.index, ROLES] = decided[ROLES]
        gold.loc[decided.index, "adjudication"] = decided["reason"]
    gold.reset_index().to_csv(HERE / f"{stem}.csv", index=False)
    print(gold.groupby(["split", "phase"])[ROLES + ["adjudicated"]].sum())


if __name__ == "__main__":
    flags = [flag.removeprefix("--") for flag in sys.argv[1:-1]]
    main(Path(sys.argv[-1]), blind=next((f for f in flags if f in ("blind2", "blind3")), None))
