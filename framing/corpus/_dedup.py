"""Exact and near-duplicate detection: normalized-text hashes, and MinHash LSH.

Signatures are datasketch MinHash signatures (scheme ``affine32``: the same permutations and
arithmetic, so a signature here equals ``datasketch.MinHash(num_perm, seed).update_batch`` of
the same shingle hashes, which the tests check), computed for a whole batch at once in numpy:
datasketch's per-document loop takes about 0.3 ms an article, too slow for a million rows. The
banding (``b`` bands of ``r`` rows) is datasketch's ``MinHashLSH`` choice for the threshold; its
index keeps several hundred bytes per document in Python dicts, so bands are kept here as one
uint64 key per band per document, in one file per band, and candidate pairs found by sorting
one band at a time. Each candidate pair is
then verified: its estimated Jaccard similarity must reach the threshold.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from framing._types import KeepPolicy

_WORD = re.compile(r"\w+")
_MASK32 = np.uint64(0xFFFFFFFF)
_SHINGLES_PER_CHUNK = 60_000
# Candidates are verified against the threshold, so false positives cost only a comparison:
# weight false negatives heavily. At threshold 0.8 and 128 permutations this gives 16 bands of
# 8 rows, finding a pair of similarity 0.8 with probability 0.95 and 0.85 with 0.99 (datasketch's
# default weights give 0.40 and 0.69).
_LSH_WEIGHTS = (0.05, 0.95)


@dataclass(frozen=True)
class Deduplication:
    """How duplicates are found and which copy is kept (recorded in the manifest)."""

    mode: str = "near"  # "near" (exact + near), "exact", or "none"
    threshold: float = 0.8
    num_perm: int = 128
    shingle_words: int = 5
    keep: KeepPolicy = "earliest"
    random_state: int = 0


def _fmix32(hv: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, as datasketch applies it before its affine permutations."""
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


def normalized_text_hash(text: str) -> bytes:
    """16-byte hash of the text with case and whitespace differences removed."""
    return hashlib.blake2b(" ".join(text.casefold().split()).encode(), digest_size=16).digest()


def shingle_hashes(texts: list[str], shingle_words: int) -> tuple[np.ndarray, np.ndarray]:
    """32-bit hashes of each text's word n-grams, flat, and the start offset of each text.

    A text shorter than ``shingle_words`` words gives one shingle of all its words; an empty
    text gives none.
    """
    tokens = [_WORD.findall(t.casefold()) for t in texts]
    lengths = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
    flat = [w for doc in tokens for w in doc]
    if not flat:
        return np.zeros(0, dtype=np.uint32), np.zeros(len(texts), dtype=np.int64)
    # pandas' hash_array is SipHash with a fixed key: stable across runs and machines.
    word = pd.util.hash_array(np.array(flat, dtype=object))
    k = shingle_words
    n_shingles = np.where(lengths >= k, lengths - k + 1, np.minimum(lengths, 1))
    doc_start = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    out_start = np.concatenate([[0], np.cumsum(n_shingles)[:-1]])
    positions = np.repeat(doc_start - out_start, n_shingles) + np.arange(n_shingles.sum())
    span = np.repeat(np.minimum(lengths, k), n_shingles)
    combined = np.zeros(len(positions), dtype=np.uint64)
    multipliers = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                            0x85EBCA77C2B2AE63, 0x27D4EB2F165667C5, 0xFF51AFD7ED558CCD,
                            0xC4CEB9FE1A85EC53, 0x94D049BB133111EB], dtype=np.uint64)
    for j in range(k):
        take = j < span
        value = word[np.minimum(positions + j, len(word) - 1)] * multipliers[j % 8]
        combined = combined + np.where(take, value, np.uint64(0))
    folded = ((combined >> np.uint64(32)) ^ (combined & _MASK32)).astype(np.uint32)
    return folded, out_start


@dataclass
class Hasher:
    """Computes a batch's fingerprints; small and picklable, so worker processes can run it."""

    settings: Deduplication
    n_bands: int = 0
    rows_per_band: int = 0
    a: np.ndarray | None = None
    b: np.ndarray | None = None
    band_mix: np.ndarray | None = None

    @classmethod
    def for_settings(cls, settings: Deduplication) -> Hasher:
        if settings.mode != "near":
            return cls(settings)
        # datasketch loads scipy (seconds): only when near-duplicates are searched
        from datasketch import MinHash, MinHashLSH

        lsh = MinHashLSH(threshold=settings.threshold, num_perm=settings.num_perm,
                         weights=_LSH_WEIGHTS)
        permutations = MinHash(
            num_perm=settings.num_perm, seed=settings.random_state, scheme="affine32"
        )
        a, b = permutations.permutations
        rng = np.random.default_rng(settings.random_state)
        band_mix = rng.integers(1, 2**63, size=lsh.r, dtype=np.uint64) | 1
        return cls(settings, lsh.b, lsh.r, a, b, band_mix)

    def compute(
        self, texts: list[str]
    ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """Exact hashes (n x 2 uint64), MinHash signatures and LSH band keys of ``texts``."""
        digests = b"".join(normalized_text_hash(t) for t in texts)
        exact = np.frombuffer(digests, dtype=np.uint64).reshape(-1, 2).copy()
        if self.settings.mode != "near":
            return exact, None, None
        signatures = self.signatures(texts)
        return exact, signatures, self.band_keys(signatures)

    def signatures(self, texts: list[str]) -> np.ndarray:
        """MinHash signatures, shape (len(texts), num_perm), dtype uint32."""
        out = np.full((len(texts), self.settings.num_perm), np.uint32(0xFFFFFFFF), dtype=np.uint32)
        start = 0
        while start < len(texts):
            # Chunks of documents small enough that shingles x permutations stays ~30 MB.
            stop, budget = start, 0
            while stop < len(texts) and (budget < _SHINGLES_PER_CHUNK or stop == start):
                budget += len(texts[stop]) // 6 + 1
                stop += 1
            hashes, offsets = shingle_hashes(texts[start:stop], self.settings.shingle_words)
            if len(hashes):
                # Permutations along rows, shingles along columns: reduceat over contiguous
                # memory is ten times faster than over the other axis.
                permuted = self.a[:, None] * _fmix32(hashes)[None, :] + self.b[:, None]
                counts = np.diff(np.append(offsets, len(hashes)))
                has = counts > 0
                out[start:stop][has] = np.minimum.reduceat(permuted, offsets[has], axis=1).T
            start = stop
        return out

    def band_keys(self, signatures: np.ndarray) -> np.ndarray:
        r = self.rows_per_band
        keys = np.empty((len(signatures), self.n_bands), dtype=np.uint64)
        for band in range(self.n_bands):
            block = signatures[:, band * r:(band + 1) * r].astype(np.uint64)
            keys[:, band] = (block * self.band_mix).sum(axis=1, dtype=np.uint64) + np.uint64(band)
        return keys


class RowFile:
    """Fixed-width values, one per row, appended to a file batch by batch and read back whole.

    What an import keeps per row goes here rather than into per-batch arrays in memory: small
    arrays kept across batches sit between each batch's large transient ones and pin the heap,
    so freed memory could not go back to the system and the process grew with the corpus.

    Examples
    --------
    >>> import tempfile
    >>> values = RowFile(Path(tempfile.mkdtemp()) / "dates.i64", np.int64)
    >>> values.append(np.array([3, 1])); values.append(np.array([2]))
    >>> values.read().tolist()
    [3, 1, 2]
    """

    def __init__(self, path: Path, dtype: np.dtype | type, width: int = 1) -> None:
        self.path = path
        self.dtype = np.dtype(dtype)
        self.width = width
        self.n = 0

    def append(self, values: np.ndarray) -> None:
        with open(self.path, "ab") as handle:
            np.ascontiguousarray(values, dtype=self.dtype).tofile(handle)
        self.n += len(values)

    def read(self) -> np.ndarray:
        """All values, in row order (shape ``(n,)``, or ``(n, width)`` when wider than one)."""
        shape = (-1, self.width) if self.width > 1 else (-1,)
        if self.n == 0:
            return np.zeros((0, self.width) if self.width > 1 else 0, dtype=self.dtype)
        return np.fromfile(self.path, dtype=self.dtype).reshape(shape)


class Fingerprints:
    """Per-document fingerprints, collected batch by batch, with bounded memory.

    All on disk in ``workdir`` until the duplicates are decided: the 16-byte exact hashes (read
    back whole, once), the LSH band keys (one uint64 per band, one file per band, read back one
    band at a time) and the MinHash signatures (``num_perm`` uint32 each, read back only for the
    candidate pairs).
    """

    def __init__(self, settings: Deduplication, workdir: Path) -> None:
        self.settings = settings
        self.hasher = Hasher.for_settings(settings)
        self._exact = RowFile(workdir / "exact.u64", np.uint64, width=2)
        self._exact_read: np.ndarray | None = None
        self.n = 0
        self.workdir = workdir
        self.signature_path = workdir / "signatures.u32"

    def add(self, texts: list[str]) -> None:
        """Fingerprint the next batch of (cleaned) texts."""
        if texts:
            self.append(*self.hasher.compute(texts))

    def append(
        self, exact: np.ndarray, signatures: np.ndarray | None, bands: np.ndarray | None
    ) -> None:
        """Keep fingerprints computed by :meth:`Hasher.compute` (perhaps in another process)."""
        self._exact.append(exact)
        if signatures is not None:
            with open(self.signature_path, "ab") as handle:
                signatures.tofile(handle)
            for band in range(bands.shape[1]):
                with open(self._band_path(band), "ab") as handle:
                    np.ascontiguousarray(bands[:, band]).tofile(handle)
        self.n += len(exact)

    def _band_path(self, band: int) -> Path:
        return self.workdir / f"band-{band:03d}.u64"

    def band(self, band: int) -> np.ndarray:
        """Every document's key in one LSH band (read into memory, not mapped: see
        :meth:`read_signatures`)."""
        if self.n == 0:
            return np.zeros(0, dtype=np.uint64)
        return np.fromfile(self._band_path(band), dtype=np.uint64)

    def signatures(self, texts: list[str]) -> np.ndarray:
        """MinHash signatures, shape (len(texts), num_perm), dtype uint32."""
        return self.hasher.signatures(texts)

    def _band_keys(self, signatures: np.ndarray) -> np.ndarray:
        return self.hasher.band_keys(signatures)

    @property
    def n_bands(self) -> int:
        return self.hasher.n_bands

    def all_exact(self) -> np.ndarray:
        """Every document's exact hash (n x 2 uint64), read from disk on the first call."""
        if self._exact_read is None or len(self._exact_read) != self.n:
            self._exact_read = self._exact.read()
        return self._exact_read

    def read_signatures(self, rows: np.ndarray) -> np.ndarray:
        """The signatures of ``rows``, read from disk row by row (no memory map: the pages of
        a map would count against the process's memory)."""
        width = self.settings.num_perm * 4
        out = np.empty((len(rows), self.settings.num_perm), dtype=np.uint32)
        with open(self.signature_path, "rb") as handle:
            descriptor = handle.fileno()
            for i, row in enumerate(rows.tolist()):
                out[i] = np.frombuffer(os.pread(descriptor, width, row * width), dtype=np.uint32)
        return out


@dataclass
class DuplicateDecision:
    """The copies and the duplicate groups found, by document index (input order).

    Only the documents concerned are listed (a few per cent of a corpus), so the decision's
    memory follows the duplicates, not the corpus.
    """

    copies: np.ndarray  # indices of the documents dropped as copies, ascending
    duplicate_of: np.ndarray  # for each copy, the index of the copy kept in its place
    reason: np.ndarray  # for each copy, "exact_duplicate" or "near_duplicate"
    similarity: np.ndarray  # for each copy, estimated Jaccard similarity (1.0 for exact)
    grouped: np.ndarray  # indices of the documents in a duplicate group, ascending
    group: np.ndarray  # for each of them, the index of its group's earliest document

    @classmethod
    def empty(cls) -> DuplicateDecision:
        none = np.zeros(0, dtype=np.int64)
        return cls(none, none, np.zeros(0, dtype=object), np.zeros(0), none, none)


def _pairs_in_runs(keys: np.ndarray) -> np.ndarray:
    """Pairs of positions that share a key: each member with its run's first and predecessor.

    Called once per LSH band over every document: it holds at most the order, the sorted keys
    and one flag per document at once (about 17 bytes a document besides ``keys``).
    """
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    del keys
    same_as_previous = np.zeros(len(sorted_keys), dtype=bool)
    np.equal(sorted_keys[1:], sorted_keys[:-1], out=same_as_previous[1:])
    del sorted_keys
    members = np.flatnonzero(same_as_previous)
    if not len(members):
        return np.zeros((0, 2), dtype=np.int64)
    starts = np.flatnonzero(~same_as_previous)
    run_start = starts[np.searchsorted(starts, members, side="right") - 1]
    del starts
    first = np.stack([order[run_start], order[members]], axis=1)
    previous = np.stack([order[members - 1], order[members]], axis=1)
    return np.unique(np.concatenate([first, previous]), axis=0)


def find_duplicates(
    fingerprints: Fingerprints,
    *,
    dates: np.ndarray,
    outlets: np.ndarray,
    eligible: np.ndarray | None = None,
    progress: bool = False,
) -> DuplicateDecision:
    """Group duplicates and choose which copy each group keeps.

    ``dates`` (int64 ns) and ``outlets`` (int codes) are in input order. ``keep="earliest"``
    keeps the earliest document of each group (ties: the first in input order);
    ``keep="one_per_outlet"`` keeps the earliest of each outlet within a group, so a wire story
    run by several outlets stays once per outlet. Documents not ``eligible`` (already dropped for
    another reason) take no part. ``progress`` shows a bar over the LSH bands searched.
    """
    n = fingerprints.n
    settings = fingerprints.settings
    if settings.mode == "none" or n < 2:
        return DuplicateDecision.empty()
    exact = fingerprints.all_exact()
    exact_key = exact[:, 0] ^ (exact[:, 1] * np.uint64(0x9E3779B97F4A7C15))
    edges = [_pairs_in_runs(exact_key)]
    del exact_key
    near = settings.mode == "near"
    if near:
        searched = tqdm(range(fingerprints.n_bands), unit="band", desc="import: near-duplicates",
                        disable=not progress)
        # One band in memory at a time (8 bytes a document, and the sort's working arrays).
        candidates = np.unique(
            np.concatenate([_pairs_in_runs(fingerprints.band(b)) for b in searched]), axis=0
        )
        if len(candidates):
            estimated = _similarity(fingerprints, candidates)
            edges.append(candidates[estimated >= settings.threshold])
    pairs = np.concatenate(edges)
    if eligible is not None and len(pairs):
        pairs = pairs[eligible[pairs[:, 0]] & eligible[pairs[:, 1]]]
    if not len(pairs):
        return DuplicateDecision.empty()
    from scipy.sparse import coo_matrix  # scipy only when there are pairs to group
    from scipy.sparse.csgraph import connected_components

    # The graph is built over the documents that have a pair only (numbered densely), so
    # its size follows the duplicates, not the corpus.
    members, local = np.unique(pairs, return_inverse=True)
    local = local.reshape(pairs.shape)
    size = len(members)
    graph = coo_matrix((np.ones(len(pairs)), (local[:, 0], local[:, 1])), shape=(size, size))
    _, component = connected_components(graph, directed=False)
    frame = pd.DataFrame({
        "index": members, "component": component,
        "date": dates[members], "outlet": outlets[members],
    }).sort_values(["component", "date", "index"], kind="stable")
    index = frame["index"].to_numpy()
    earliest = frame.groupby("component")["index"].transform("first").to_numpy()
    scope = ["component"] if settings.keep == "earliest" else ["component", "outlet"]
    keeper = frame.groupby(scope)["index"].transform("first").to_numpy()
    by_index = np.argsort(index, kind="stable")
    grouped, group = index[by_index], earliest[by_index]
    keeper = keeper[by_index]
    is_copy = keeper != grouped
    copies, kept = grouped[is_copy], keeper[is_copy]
    same_text = (exact[copies] == exact[kept]).all(axis=1)
    reason = np.where(same_text, "exact_duplicate", "near_duplicate").astype(object)
    similarity = np.ones(len(copies))
    if near and (~same_text).any():
        pairs_near = np.stack([copies[~same_text], kept[~same_text]], axis=1)
        similarity[~same_text] = _similarity(fingerprints, pairs_near)
    return DuplicateDecision(copies, kept, reason, similarity, grouped, group)


def _similarity(fingerprints: Fingerprints, pairs: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity: the share of equal MinHash values, per pair."""
    out = np.empty(len(pairs))
    for start in range(0, len(pairs), 50_000):
        chunk = pairs[start:start + 50_000]
        rows, index = np.unique(chunk, return_inverse=True)
        signatures = fingerprints.read_signatures(rows)
        index = index.reshape(chunk.shape)
        out[start:start + len(chunk)] = (
            signatures[index[:, 0]] == signatures[index[:, 1]]
        ).mean(axis=1)
    return out
