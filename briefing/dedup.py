"""Recognise a story republished by another site: character shingles, MinHash, LSH bands.

Sites republish a story with a new header, a new title and light edits, so an exact
hash misses it. Two articles are the same story when the Jaccard similarity of their
5-character shingle sets is at least :data:`SIMILARITY`. MinHash estimates that
similarity from a short signature; LSH bands of the signature, stored in the store's
index, find the few stored articles worth comparing without reading them all.

Measured on the samples (``tests/test_dedup.py``): s06/s07 share 0.64 of their
shingles; unrelated sample pairs share at most 0.02.
"""

from __future__ import annotations

import hashlib
import re
import zlib

import numpy as np

SHINGLE = 5
"""Characters per shingle: long enough that unrelated Chinese texts share few."""
SIMILARITY = 0.4
"""Jaccard similarity from which two articles are one story."""
PERMUTATIONS = 120
BAND_ROWS = 3
"""Signature rows per LSH band: 40 bands of 3 find a pair at 0.4 with p ≈ 0.93, at 0.1 with p ≈ 0.04."""

_MERSENNE = np.uint64((1 << 61) - 1)
_RANDOM = np.random.default_rng(20201214)
_A = _RANDOM.integers(1, (1 << 61) - 1, PERMUTATIONS, dtype=np.uint64)
_B = _RANDOM.integers(0, (1 << 61) - 1, PERMUTATIONS, dtype=np.uint64)
_NOT_TEXT = re.compile(r"[\s\W_]+")


def shingles(text: str) -> set[str]:
    """Character n-grams of ``text`` with whitespace and punctuation removed."""
    compact = _NOT_TEXT.sub("", text)
    return {compact[i : i + SHINGLE] for i in range(max(len(compact) - SHINGLE + 1, 1))}


def jaccard(a: set[str], b: set[str]) -> float:
    """Exact Jaccard similarity of two shingle sets."""
    return len(a & b) / len(a | b) if a and b else 0.0


def signature(text: str) -> np.ndarray:
    """MinHash signature of ``text`` (:data:`PERMUTATIONS` unsigned 64-bit values).

    Shingles are hashed with CRC-32 (stable across runs, unlike ``hash()``), then
    permuted as ``(a·x + b) mod p``; 32-bit inputs keep ``a·x`` inside 64 bits only
    after reducing ``a``, so the product is taken modulo 2**64 and then mod p, which
    is still a family of random hash functions.
    """
    found = shingles(text)
    hashes = np.fromiter(map(zlib.crc32, map(str.encode, found)), dtype=np.uint64, count=len(found))
    if hashes.size == 0:
        return np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    permuted = np.outer(hashes, _A)  # in place from here: a fresh array per step costs more than the arithmetic
    permuted += _B
    permuted %= _MERSENNE
    return permuted.min(axis=0)


def estimated_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The share of equal signature rows: an estimate of the Jaccard similarity."""
    return float(np.mean(a == b))


def most_similar(sig: np.ndarray, stored: list[bytes]) -> int | None:
    """Index of the stored signature (:func:`to_bytes`) most like ``sig``, the last of equals; ``None`` below :data:`SIMILARITY`."""
    if not stored:
        return None
    equal_rows = np.count_nonzero(np.frombuffer(b"".join(stored), dtype="<u8").reshape(len(stored), -1) == sig, axis=1)
    best = len(stored) - 1 - int(np.argmax(equal_rows[::-1]))
    return best if equal_rows[best] / PERMUTATIONS >= SIMILARITY else None


def bands(sig: np.ndarray) -> list[int]:
    """LSH band keys of a signature; articles sharing any key are candidates.

    Each band's number and rows are hashed to one signed 64-bit key, so the store
    finds candidates with one indexed ``key IN (...)`` lookup.
    """
    rows = sig.astype("<u8").reshape(-1, BAND_ROWS)
    return [
        int.from_bytes(hashlib.blake2b(bytes([band]) + row.tobytes(), digest_size=8).digest(), "little", signed=True)
        for band, row in enumerate(rows)
    ]


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u8").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u8").astype(np.uint64)
