"""Duplicates: signatures equal datasketch's, candidates equal MinHashLSH's, policies hold."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from datasketch import MinHash, MinHashLSH

from framing.corpus import import_corpus, read_corpus
from framing.corpus._dedup import (
    _LSH_WEIGHTS,
    Deduplication,
    Fingerprints,
    _pairs_in_runs,
    shingle_hashes,
)

WORDS = ("summit ceasefire talks security guarantees europe ukraine russia washington kyiv "
         "moscow president leaders troops deal sanctions aid weapons border frontline envoy "
         "meeting agreement proposal negotiators officials minister said would could").split()


def _texts(n: int, seed: int = 0, length: int = 120) -> list[str]:
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(WORDS, size=length)) for _ in range(n)]


def _edit(text: str, n_words: int, seed: int) -> str:
    rng = np.random.default_rng(seed)
    words = text.split()
    for position in rng.choice(len(words), size=n_words, replace=False):
        words[position] = "changed"
    return " ".join(words)


def test_signatures_equal_datasketch(tmp_path: Path) -> None:
    texts = _texts(20) + ["short", ""]
    fingerprints = Fingerprints(Deduplication(num_perm=64, random_state=7), tmp_path)
    ours = fingerprints.signatures(texts)
    hashes, offsets = shingle_hashes(texts, 5)
    bounds = [*offsets.tolist(), len(hashes)]
    for i in range(len(texts)):
        theirs = MinHash(num_perm=64, seed=7, hashfunc=int, scheme="affine32")
        theirs.update_batch(hashes[bounds[i]:bounds[i + 1]].tolist())
        assert np.array_equal(theirs.hashvalues, ours[i]), i


def test_candidate_pairs_equal_minhashlsh(tmp_path: Path) -> None:
    base = _texts(30, seed=1)
    texts = base + [_edit(t, k, seed=k) for k, t in enumerate(base[:15], start=1)]
    settings = Deduplication(threshold=0.7, num_perm=128)
    fingerprints = Fingerprints(settings, tmp_path)
    signatures = fingerprints.signatures(texts)
    keys = fingerprints._band_keys(signatures)
    ours = {tuple(p) for b in range(keys.shape[1]) for p in _pairs_in_runs(keys[:, b]).tolist()}
    lsh = MinHashLSH(threshold=0.7, num_perm=128, weights=_LSH_WEIGHTS)
    minhashes = []
    for i, values in enumerate(signatures):
        m = MinHash(num_perm=128, hashvalues=values, scheme="affine32")
        minhashes.append(m)
        lsh.insert(i, m)
    theirs = {
        tuple(sorted((i, j))) for i, m in enumerate(minhashes) for j in lsh.query(m) if i != j
    }
    # We list each bucket as a chain, not all its pairs: the groups must be the same.
    assert theirs, "the edited copies should collide with their originals"
    assert _groups(ours, len(texts)) == _groups(theirs, len(texts))


def _groups(pairs: set[tuple[int, int]], n: int) -> set[frozenset[int]]:
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for a, b in pairs:
        parent[root(a)] = root(b)
    groups: dict[int, set[int]] = {}
    for i in range(n):
        groups.setdefault(root(i), set()).add(i)
    return {frozenset(g) for g in groups.values()}


def _import(tmp_path: Path, frame: pd.DataFrame, **kwargs) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame.to_csv(tmp_path / "n.csv", index=False)
    corpus = import_corpus(tmp_path / "n.csv", tmp_path / "store", progress=False, force=True,
                           **kwargs)
    return read_corpus(tmp_path / "store"), corpus.dropped()


def _wire_frame() -> pd.DataFrame:
    story, other = _texts(2, seed=3, length=300)
    return pd.DataFrame({
        "doc_id": ["orig", "copy-b", "copy-c", "again-a", "other", "exact-b"],
        "outlet": ["A", "B", "C", "A", "B", "B"],
        "date": ["2025-03-02", "2025-03-02", "2025-03-03", "2025-03-04", "2025-03-01",
                 "2025-03-01"],
        "text": [story, "(Wire) " + _edit(story, 3, seed=1), _edit(story, 5, seed=2),
                 story.upper(), other, other],
    })


def test_keep_earliest(tmp_path: Path) -> None:
    docs, dropped = _import(tmp_path, _wire_frame())
    assert docs["doc_id"].tolist() == ["orig", "other"]
    by_id = dropped.set_index("doc_id")
    assert by_id.loc["copy-b", "reason"] == "near_duplicate"
    assert by_id.loc["copy-b", "duplicate_of"] == "orig"
    assert by_id.loc["again-a", "reason"] == "exact_duplicate"  # case differs only
    assert by_id.loc["exact-b", "duplicate_of"] == "other"
    assert by_id.loc["copy-c", "detail"].startswith("estimated similarity 0.")
    assert docs.set_index("doc_id").loc["orig", "duplicate_group"] == "orig"


def test_keep_one_per_outlet(tmp_path: Path) -> None:
    docs, dropped = _import(tmp_path, _wire_frame(), keep="one_per_outlet")
    assert docs["doc_id"].tolist() == ["orig", "copy-b", "copy-c", "other"]
    assert set(docs["duplicate_group"].dropna()) == {"orig", "other"}
    assert dropped["doc_id"].tolist() == ["again-a", "exact-b"]


@pytest.mark.parametrize(("mode", "kept"), [("exact", 4), ("none", 6)])
def test_modes(tmp_path: Path, mode: str, kept: int) -> None:
    docs, _ = _import(tmp_path, _wire_frame(), dedup=mode)
    assert len(docs) == kept


def test_threshold_is_respected(tmp_path: Path) -> None:
    story = _texts(1, seed=9, length=200)[0]
    frame = pd.DataFrame({"outlet": ["A", "B"], "date": ["2025-01-01", "2025-01-02"],
                          "text": [story, _edit(story, 20, seed=4)]})
    strict, _ = _import(tmp_path, frame, near_duplicate_threshold=0.95)
    loose, _ = _import(tmp_path, frame, near_duplicate_threshold=0.3)
    assert (len(strict), len(loose)) == (2, 1)
