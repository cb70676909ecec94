"""`claims.model.v6`: v5's claims, for a fraction of v5's cost.

v5 (`retuned.py`) is the most accurate claims stage, but its BiLSTM tagger cost
about four times the rest of the stage. v6 gives v5's claims exactly (the same
spans, speakers and links; checked on PolNeAR dev and the example articles)
and saves in how the tagger runs:

- the stage's `pipe` tags the paragraphs of a whole batch of documents
  together, shortest to longest in groups, so each of the LSTM's and the
  decoder's steps (a few numpy calls) serves many paragraphs instead of one
  article's; the tagger reads each paragraph on its own (its features, LSTM
  and decoding stop at the paragraph's edges), so its companions change
  nothing;
- the LSTM's products run on one BLAS thread: they are small, and OpenBLAS's
  threads cost more in waiting than they save (v5's stage took three times
  the CPU time on a busy 2-core machine with them);
- the forward pass itself (`lstm.bilstm`, `lstm.embedded`, shared with v4 and
  v5) gathers and steps without padded copies.

Running the tagger only on paragraphs that hold a cue word or a quotation mark
was tried and not kept: on PolNeAR dev those held 89% of the tokens, and the
rest held cues the tagger knows beyond the lexicon ("imposed sanctions",
"filed suit", headlines "Pence: ..."), 36 claims in all (exact F1 -0.6 / -0.4
/ -0.1; docs/models.md, "v6").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from threadpoolctl import ThreadpoolController

from eventledger.pipeline import Document, register
from eventledger.stages.claims.combined import Span, char_spans
from eventledger.stages.claims.retuned import RetunedClaimExtractor
from eventledger.stages.claims.tagger import KINDS

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = ["BatchedClaimExtractor", "length_groups"]

# Padded token slots (paragraphs x the longest) tagged at once: bounds the arrays
# the LSTM and the decoder hold, so one long paragraph is not padded out to with
# hundreds of short ones.
_GROUP_SLOTS = 8192


def length_groups(lengths: list[int], slots: int = _GROUP_SLOTS) -> list[list[int]]:
    """Indices of paragraphs (their token counts `lengths`; empty ones left out) in
    groups to tag together: shortest first, each group as many as `slots` padded
    tokens allow (one at least)."""
    groups: list[list[int]] = []
    group: list[int] = []
    for i in sorted((i for i, n in enumerate(lengths) if n), key=lambda i: lengths[i]):
        if group and (len(group) + 1) * lengths[i] > slots:
            groups.append(group)
            group = []
        group.append(i)
    if group:
        groups.append(group)
    return groups


@register("claims.model.v6")
class BatchedClaimExtractor(RetunedClaimExtractor):
    """Fill `doc.claims` as v5 does, tagging a batch's paragraphs together."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        # The BLAS libraries numpy loaded, to run the LSTM on one of their threads.
        self._blas = ThreadpoolController()

    def __call__(self, doc: Document) -> Document:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        """The documents' claims, their paragraphs tagged together."""
        batch = list(docs)
        for doc in batch:
            self.rules(doc)
        where = [(d, i) for d, doc in enumerate(batch) for i in range(len(doc.paragraphs))]
        sdocs = [batch[d].paragraphs[i][1] for d, i in where]
        found: list[list[dict[str, list[Span]]]] = [
            [{k: [] for k in KINDS} for _ in doc.paragraphs] for doc in batch
        ]
        with self._blas.limit(limits=1, user_api="blas"):
            for group in length_groups([len(s) for s in sdocs]):
                tagged = self.tagger.tag([sdocs[j] for j in group])
                for j, spans in zip(group, tagged, strict=True):
                    d, i = where[j]
                    found[d][i] = spans
        for doc, spans in zip(batch, found, strict=True):
            yield self._finish(doc, char_spans(doc, spans))
