"""Syndicated copies: one wire story carried by several outlets is one source.

A document is a copy of an earlier one when their normalised texts are equal
(hash), or when MinHash LSH proposes the pair and the estimated containment
of the smaller text in the larger reaches `min_containment` (reprints that
retitle, add a credit line or cut the last paragraphs). The LSH band keys are
stored in an indexed table (see storage), so finding the copies of a new
document costs a few index look-ups whatever the size of the ledger.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from dataclasses import dataclass
from typing import Any, Protocol

from datasketch import MinHash

__all__ = [
    "Fingerprint",
    "SyndicationIndex",
    "SyndicationStore",
    "containment",
    "fingerprint",
    "normalise",
]

NUM_PERM = 128
# 32 bands of 4 rows: a pair with Jaccard 0.5 is proposed with probability
# 0.88, one with 0.3 with probability 0.23; containment then decides.
BANDS, ROWS = 32, 4
SHINGLE = 5  # words per shingle
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise(text: str) -> list[str]:
    """The words of a text, casefolded and accent-stripped: what two copies share."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _WORD.findall(text.casefold())


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What is stored per document: exact hash, shingle count, signature, band keys."""

    norm_hash: str
    shingles: int
    signature: list[int]
    band_keys: list[str]


def fingerprint(text: str) -> Fingerprint:
    """The text hash, MinHash signature and LSH band keys of one document's text."""
    words = normalise(text)
    norm_hash = hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()
    n = max(1, len(words) - SHINGLE + 1)
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(n)} if words else set()
    mh = MinHash(num_perm=NUM_PERM, seed=1)
    mh.update_batch([s.encode("utf-8") for s in shingles])
    signature = [int(v) for v in mh.hashvalues]
    keys = []
    for b in range(BANDS):
        rows = signature[b * ROWS : (b + 1) * ROWS]
        digest = hashlib.blake2b(struct.pack(f"<{ROWS}Q", *rows), digest_size=12).hexdigest()
        keys.append(f"{b}:{digest}")
    return Fingerprint(norm_hash, len(shingles), signature, keys if shingles else [])


def containment(sig_a: list[int], size_a: int, sig_b: list[int], size_b: int) -> float:
    """Estimated share of the smaller shingle set contained in the larger one.

    From the MinHash Jaccard estimate J: |A∩B| = J(|A|+|B|)/(1+J); divided by min(|A|,|B|).
    """
    if not size_a or not size_b or len(sig_a) != len(sig_b):
        return 0.0
    jaccard = sum(1 for x, y in zip(sig_a, sig_b, strict=True) if x == y) / len(sig_a)
    inter = jaccard * (size_a + size_b) / (1 + jaccard)
    return min(1.0, inter / min(size_a, size_b))


# A new document is compared with at most this many members of each story
# its LSH bands propose (the earliest stored), and keeps at most this many
# exact copies: a story reprinted a thousand times must not make its next
# reprint a thousand times dearer.
PER_STORY = 4
MAX_COPIES = 8


class SyndicationStore(Protocol):
    """What the syndication index needs from storage (see storage.Ledger)."""

    def document_text(self, document_id: str) -> tuple[str, str] | None: ...
    def save_syndication(
        self,
        document_id: str,
        *,
        norm_hash: str,
        shingles: int,
        signature: list[int],
        band_keys: list[str],
        source_id: str,
    ) -> None: ...
    def syndication_copies(
        self, *, norm_hash: str, exclude_key: str, limit: int
    ) -> list[dict[str, Any]]: ...
    def syndication_candidates(
        self, *, band_keys: list[str], exclude_key: str, exclude_hash: str, per_source: int
    ) -> list[dict[str, Any]]: ...


class SyndicationIndex:
    """Assign each new document to the story (source) it is a copy of, or to a new one."""

    def __init__(self, store: SyndicationStore, *, min_containment: float = 0.8) -> None:
        self.store = store
        self.min_containment = min_containment

    def register(
        self,
        document_id: str,
        *,
        key: str | None = None,
        text: str | None = None,
    ) -> tuple[str, list[str]]:
        """Fingerprint and store one document; return (source_id, ids of the copies matched).

        `key` and `text` (the document's, as stored) spare reading it back.
        """
        if key is None or text is None:
            stored = self.store.document_text(document_id)
            if stored is None:
                return document_id, []
            key, text = stored
        fp = fingerprint(text)
        # Equal texts are copies: the earliest decides the story (it was
        # itself compared with every story its bands proposed).
        matched = [
            c
            for c in self.store.syndication_copies(
                norm_hash=fp.norm_hash, exclude_key=key, limit=MAX_COPIES
            )
            if c["document_id"] != document_id
        ]
        if not matched:
            for cand in self.store.syndication_candidates(
                band_keys=fp.band_keys,
                exclude_key=key,
                exclude_hash=fp.norm_hash,
                per_source=PER_STORY,
            ):
                if cand["document_id"] == document_id:
                    continue
                score = containment(fp.signature, fp.shingles, cand["signature"], cand["shingles"])
                if score >= self.min_containment:
                    matched.append(cand)
        # The story is named after the earliest stored member: stable as copies arrive.
        source_id = matched[0]["source_id"] if matched else document_id
        self.store.save_syndication(
            document_id,
            norm_hash=fp.norm_hash,
            shingles=fp.shingles,
            signature=fp.signature,
            band_keys=fp.band_keys,
            source_id=source_id,
        )
        return source_id, [c["document_id"] for c in matched]
