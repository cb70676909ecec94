"""Claims from the rules, with span boundaries and missed cues from the trained tagger.

The rules (`rules.ClaimExtractor`) find attributions, resolve speakers
(pronouns, bare nominals, media channels), read stances and denials; the
tagger (`tagger.py`, trained on PolNeAR) draws source, cue and content spans
the way annotators do. The two are combined so that each does what it is good
at:

- a rule claim keeps its speaker, stance and links; where a tagged span of the
  same kind overlaps one of its spans, the tagged boundaries replace the rule's
  ("has opposed" for "opposed", a content that stops at the clause's end);
- a tagged cue that no rule claim has becomes a claim only with a tagged
  content right next to it and a tagged source in the same sentence that
  names someone (a pronoun takes the speaker of the latest named claim before
  it): precision of published claims matters more than recall, so
  half-found attributions are left out.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING, Any

from eventledger.models import Claim, Evidence, Speaker
from eventledger.pipeline import Document, register
from eventledger.stages.claims.rules import ClaimExtractor, _clean_content
from eventledger.stages.claims.tagger import KINDS, MODEL_VERSION, load_tagger

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = ["TaggedClaimExtractor", "tagged_spans"]

Span = tuple[int, int]
# Tokens never a source on their own: a pronoun needs the rules to resolve it.
_PRONOUNS = frozenset(
    {"he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "us", "this", "that",
     "who", "which", "one", "some", "others", "both", "all"}
)  # fmt: skip
_GAP = 3  # characters of white space / punctuation allowed between a new cue and its content


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def tagged_spans(doc: Document, tagger: Any = None) -> dict[str, list[Span]]:
    """Char spans per kind (sorted) that the tagger finds in the document's paragraphs."""
    tagger = tagger or load_tagger()
    out: dict[str, list[Span]] = {k: [] for k in KINDS}
    text = doc.text
    tagged = tagger.tag([sdoc for _, sdoc in doc.paragraphs])
    for (offset, sdoc), found in zip(doc.paragraphs, tagged, strict=True):
        for kind, spans in found.items():
            for a, b in spans:
                start = offset + sdoc[a].idx
                end = offset + sdoc[b - 1].idx + len(sdoc[b - 1].text)
                span = _trim(text, start, end)
                if span is not None:
                    out[kind].append(span)
    for spans in out.values():
        spans.sort()
    return out


def _overlapping(spans: list[Span], ev: Evidence | None) -> Span | None:
    """The span of `spans` sharing the most characters with `ev`."""
    if ev is None:
        return None
    best, most = None, 0
    for a, b in spans:
        if a >= ev.end:
            break
        shared = min(b, ev.end) - max(a, ev.start)
        if shared > most:
            best, most = (a, b), shared
    return best


@register(f"claims.model.v{MODEL_VERSION}")
class TaggedClaimExtractor:
    """Fill `doc.claims`: the rules' attributions with the tagger's span boundaries."""

    requires: tuple[str, ...] = ("doc.paragraphs", "doc.sentences")
    assigns: tuple[str, ...] = ("doc.claims",)

    def __init__(self, settings: Settings) -> None:
        self.rules = ClaimExtractor(settings)
        self.tagger = load_tagger()
        self.lexicon = self.rules.lexicon

    def __call__(self, doc: Document) -> Document:
        self.rules(doc)
        spans = tagged_spans(doc, self.tagger)
        used_cues: set[Span] = set()
        for claim in doc.claims:
            self._adjust(doc, claim, spans, used_cues)
        new = self._new_claims(doc, spans, used_cues)
        if new:
            doc.claims = sorted([*doc.claims, *new], key=lambda c: c.evidence[0].start)
        return doc

    # -- rule claims, tagged boundaries --------------------------------------

    def _adjust(
        self, doc: Document, claim: Claim, spans: dict[str, list[Span]], used: set[Span]
    ) -> None:
        cue = _overlapping(spans["cue"], claim.cue_evidence)
        if cue is not None:
            used.add(cue)
            claim.cue_evidence = doc.evidence(*cue)
        content = _overlapping(spans["content"], claim.content_evidence)
        if content is not None and not self._crosses(content, claim.cue_evidence):
            claim.content_evidence = doc.evidence(*content)
            if not claim.direct:
                claim.content = _clean_content(claim.content_evidence.text)
        mention = claim.source_evidence
        if mention is None and claim.speaker is not None and claim.speaker.evidence:
            mention = claim.speaker.evidence[0]
        source = _overlapping(spans["source"], mention)
        if source is not None and not self._crosses(source, claim.cue_evidence):
            claim.source_evidence = doc.evidence(*source)

    @staticmethod
    def _crosses(span: Span, ev: Evidence | None) -> bool:
        return ev is not None and span[0] < ev.end and ev.start < span[1]

    # -- tagged cues the rules missed ----------------------------------------

    def _new_claims(
        self, doc: Document, spans: dict[str, list[Span]], used: set[Span]
    ) -> list[Claim]:
        taken = [c.cue_evidence for c in doc.claims if c.cue_evidence is not None]
        contents = spans["content"]
        starts = [a for a, _ in contents]
        out = []
        text = doc.text
        for cue in spans["cue"]:
            if cue in used or any(cue[0] < e.end and e.start < cue[1] for e in taken):
                continue
            content = self._content_next_to(text, cue, contents, starts)
            if content is None:
                continue
            source = self._source_for(doc, cue, content, spans["source"])
            if source is None:
                continue
            speaker = self._speaker(doc, source, [*doc.claims, *out])
            if speaker is None:
                continue
            out.append(self._claim(doc, cue, content, source, speaker))
        return out

    @staticmethod
    def _speaker(doc: Document, source: Span, claims: list[Claim]) -> Speaker | None:
        """The speaker a tagged source names; a pronoun ("he", "they") is the speaker
        of the latest claim before it with a named one, as the rules resolve it,
        and no claim at all when there is none."""
        ev = doc.evidence(*source)
        name = ev.text.strip().rstrip(",")
        if name.lower() not in _PRONOUNS:
            return Speaker(name=name, evidence=[ev])
        before = [
            c
            for c in claims
            if c.speaker is not None
            and c.speaker.name.lower() not in _PRONOUNS
            and c.evidence[0].start < source[0]
        ]
        if not before:
            return None
        base = max(before, key=lambda c: c.evidence[0].start).speaker
        return Speaker(
            name=base.name,
            normalized=base.normalized,
            type=base.type,
            role=base.role,
            affiliation=base.affiliation,
            evidence=[ev, *base.evidence],
        )

    @staticmethod
    def _content_next_to(
        text: str, cue: Span, contents: list[Span], starts: list[int]
    ) -> Span | None:
        """The tagged content right after the cue ("said that ..."), else right before it
        ("..., he said")."""
        i = bisect_right(starts, cue[1]) - 1
        after = [c for c in contents[max(i, 0) : i + 2] if c[0] >= cue[1]]
        for c in after:
            if not text[cue[1] : c[0]].strip(" ,:\n"):
                return c
        before = [c for c in contents if c[1] <= cue[0]]
        if before and len(text[before[-1][1] : cue[0]]) <= 60:
            gap = text[before[-1][1] : cue[0]]
            if gap.strip(" ,\n\"”'’.") == "" or gap.rstrip().endswith((",", '"', "”")):
                return before[-1]
        return None

    def _source_for(
        self, doc: Document, cue: Span, content: Span, sources: list[Span]
    ) -> Span | None:
        """A tagged, named source in the cue's sentence, outside the content: the nearest."""
        sent = doc.sentence_at(cue[0])
        if sent is None:
            return None
        s = doc.sentences[sent]
        best = None
        for a, b in sources:
            if b <= s.start or a >= s.end or (a < content[1] and content[0] < b):
                continue
            if a < cue[1] and cue[0] < b:
                continue
            dist = cue[0] - b if b <= cue[0] else a - cue[1]
            if best is None or dist < best[0]:
                best = (dist, (a, b))
        return best[1] if best else None

    def _claim(
        self, doc: Document, cue: Span, content: Span, source: Span, speaker: Speaker
    ) -> Claim:
        text = doc.text
        cue_text = text[cue[0] : cue[1]]
        stance = "assert"
        for word in cue_text.lower().split():
            verb = self.lexicon.verbs.get(word) or self.lexicon.verbs.get(word.rstrip("sd"))
            if verb is not None:
                stance = verb[0]
                break
        source_ev = doc.evidence(*source)
        content_ev = doc.evidence(*content)
        start, end = min(cue[0], content[0], source[0]), max(cue[1], content[1], source[1])
        direct = content_ev.text[:1] in '"“'
        return Claim(
            id=doc.new_id("cl"),
            document_id=doc.id,
            speaker=speaker,
            cue=cue_text,
            stance=stance,
            content=_clean_content(content_ev.text),
            direct=direct,
            evidence=[doc.evidence(start, end)],
            cue_evidence=doc.evidence(*cue),
            content_evidence=content_ev,
            source_evidence=source_ev,
        )
