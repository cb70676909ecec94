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

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from eventledger.models import Claim, Evidence, Speaker
from eventledger.pipeline import Document, register
from eventledger.stages.claims.rules import ClaimExtractor, _clean_content
from eventledger.stages.claims.tagger import KINDS, MODEL_VERSION, load_tagger

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = ["TaggedClaimExtractor", "char_spans", "tagged_spans", "unheld"]

Span = tuple[int, int]
# Tokens never a source on their own: a pronoun needs the rules to resolve it.
_PRONOUNS = frozenset(
    {"he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "us", "this", "that",
     "who", "which", "one", "some", "others", "both", "all"}
)  # fmt: skip
# Characters allowed between a new cue and its content ("tweeted early on Monday that").
_REACH = 40
# Share of a rule content a tagged content must keep to replace it.
# (0.8 keeps realnews figure claimants as the rules give them; tuned on PolNeAR dev.)
_COVER = 0.8
# Characters from the end of a claim to a quotation that carries it on (tuned on
# PolNeAR dev: about two sentences).
_CONTINUE_REACH = 300
_OPENING_QUOTES = frozenset("\"“'‘")
_NEGATED = re.compile(r"\b(?:not|never)\b|n['’]t\b", re.IGNORECASE)
# A dateline opening a report: "TRIPOLI, Lebanon — ", "KHARKIV - ".
_DATELINE = re.compile(r"[A-Z][A-Z .'’-]{1,40}(?:,[^—–\n]{1,40})?\s+[—–-]\s+")
_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s")


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def tagged_spans(doc: Document, tagger: Any = None) -> dict[str, list[Span]]:
    """Char spans per kind (sorted) that the tagger finds in the document's paragraphs."""
    tagger = tagger or load_tagger()
    return char_spans(doc, tagger.tag([sdoc for _, sdoc in doc.paragraphs]))


def char_spans(doc: Document, tagged: list[dict[str, list[Span]]]) -> dict[str, list[Span]]:
    """Char spans per kind (sorted) of a tagger's token spans, one dict per paragraph
    of `doc.paragraphs`."""
    out: dict[str, list[Span]] = {k: [] for k in KINDS}
    text = doc.text
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


def _a_place(doc: Document, span: Span) -> bool:
    """Whether the span is only a place the report names ("Colombia", "Gaza")."""
    a, b = span
    name = doc.text[a:b].strip(' ,."“”')
    return any(
        m.start <= a + 1 and b - 1 <= m.end and doc.text[m.start : m.end].strip() == name
        for m in doc.places
    )


def unheld(doc: Document, spans: list[Span], held: list[Evidence]) -> Iterator[tuple[Span, Any]]:
    """Each span of `spans` that overlaps none of `held` (read as it grows), with
    its sentence; spans outside every sentence are left out."""
    for a, b in spans:
        if any(a < e.end and e.start < b for e in held):
            continue
        sent = doc.sentence_at(a)
        if sent is not None:
            yield (a, b), doc.sentences[sent]


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

    def __init__(self, settings: Settings, tagger: Any = None) -> None:
        self.rules = ClaimExtractor(settings)
        # any span tagger with `tag(paragraph Docs)`; v4 injects the BiLSTM one
        self.tagger = tagger if tagger is not None else load_tagger()
        self.lexicon = self.rules.lexicon

    def __call__(self, doc: Document) -> Document:
        self.rules(doc)
        spans = tagged_spans(doc, self.tagger)
        used_cues: set[Span] = set()
        # Every rule claim stays, seen by the tagger or not: dropping the ones it
        # missed raises PolNeAR precision but loses real claims in conflict reports.
        for claim in doc.claims:
            self._adjust(doc, claim, spans, used_cues)
        new = self._new_claims(doc, spans, used_cues)
        if new:
            doc.claims = sorted([*doc.claims, *new], key=lambda c: c.evidence[0].start)
        more = self._continued_quotes(doc, spans)
        if more:
            doc.claims = sorted([*doc.claims, *more], key=lambda c: c.evidence[0].start)
        return doc

    # -- quotes that go on after their attribution ---------------------------

    def _continued_quotes(self, doc: Document, spans: dict[str, list[Span]]) -> list[Claim]:
        """A tagged quotation with no cue or source of its own in its sentence, close
        after a claim, goes on with that claim's speaker and cue (a quote carried
        over into the next sentence or paragraph; the rules pair quotation marks
        within a paragraph only). Scare quotes of one or two words are left out."""
        out: list[Claim] = []
        claims = [c for c in doc.claims if c.speaker is not None]
        if not claims:
            return out
        taken = [c.content_evidence or c.evidence[0] for c in doc.claims]
        ends = sorted((c.evidence[0].end, i) for i, c in enumerate(claims))
        end_at = [e for e, _ in ends]
        text = doc.text
        for (a, b), s in unheld(doc, spans["content"], taken):
            if text[a] not in _OPENING_QUOTES or len(text[a:b].split()) < 3:
                continue
            if any(s.start <= x < s.end for kind in ("cue", "source") for x, _ in spans[kind]):
                continue
            i = bisect_right(end_at, a) - 1
            if i < 0 or a - end_at[i] > _CONTINUE_REACH:
                continue
            prev = claims[ends[i][1]]
            content_ev = doc.evidence(a, b)
            extra = [prev.cue_evidence] if prev.cue_evidence is not None else []
            out.append(
                Claim(
                    id=doc.new_id("cl"),
                    document_id=doc.id,
                    speaker=replace(prev.speaker),
                    cue=prev.cue,
                    stance=prev.stance,
                    content=_clean_content(content_ev.text),
                    direct=True,
                    evidence=[content_ev, *extra],
                    cue_evidence=prev.cue_evidence,
                    content_evidence=content_ev,
                    source_evidence=prev.source_evidence,
                    channel=prev.channel,
                )
            )
            taken.append(content_ev)
        return out

    # -- rule claims, tagged boundaries --------------------------------------

    def _adjust(
        self, doc: Document, claim: Claim, spans: dict[str, list[Span]], used: set[Span]
    ) -> bool:
        """Tagged boundaries for the claim's spans; False when the tagger saw no cue there."""
        cue = _overlapping(spans["cue"], claim.cue_evidence)
        if cue is not None:
            used.add(cue)
            claim.cue_evidence = doc.evidence(*cue)
        content = _overlapping(spans["content"], claim.content_evidence)
        if (
            content is not None
            and not self._crosses(content, claim.cue_evidence)
            and self._covers(content, claim.content_evidence)
            and not self._reaches_back(doc, content, claim)
        ):
            claim.content_evidence = doc.evidence(*content)
            if not claim.direct:
                claim.content = _clean_content(claim.content_evidence.text)
        mention = claim.source_evidence
        if mention is None and claim.speaker is not None and claim.speaker.evidence:
            mention = claim.speaker.evidence[0]
        source = _overlapping(spans["source"], mention)
        if source is not None and not self._crosses(source, claim.cue_evidence):
            claim.source_evidence = doc.evidence(*source)
        return cue is not None

    @staticmethod
    def _reaches_back(doc: Document, span: Span, claim: Claim) -> bool:
        """Whether a tagged content starts in a sentence before the rule's, over
        what another claim says there: the tagger ran two attributions into one
        ("The office said it had opened an investigation ... . At least five
        journalists have been killed, according to press freedom groups"). A
        quotation of two sentences before one cue is one content."""
        ev = claim.content_evidence
        if ev is None or span[0] >= ev.start:
            return False
        if doc.sentence_at(span[0]) == doc.sentence_at(ev.start):
            return False
        return any(
            other is not claim
            and other.content_evidence is not None
            and span[0] < other.content_evidence.end
            and other.content_evidence.start < ev.start
            for other in doc.claims
        )

    @staticmethod
    def _covers(span: Span, ev: Evidence | None) -> bool:
        """Whether `span` keeps most of `ev`: a tagged content that holds only part
        of the rule's (one clause of two) would drop what the rest says."""
        if ev is None:
            return True
        shared = min(span[1], ev.end) - max(span[0], ev.start)
        return shared >= _COVER * (ev.end - ev.start)

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
            if _NEGATED.search(text[cue[0] : cue[1]]):
                continue  # "did not say who ...": no claim made
            content = self._content_next_to(text, cue, contents, starts)
            if content is None:
                continue
            if content[1] <= cue[0]:
                content = self._from_sentence_start(doc, content, spans["cue"])
                if content is None:
                    continue
            source = self._source_for(doc, cue, content, spans["source"])
            if source is None:
                continue
            if text[cue[0] : cue[1]].strip() == ":" and _a_place(doc, source):
                continue  # "Colombia: ELN attack kills two soldiers": a headline's topic
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
        text: str, cue: Span, contents: list[Span], starts: list[int], reach: int = _REACH
    ) -> Span | None:
        """The tagged content after the cue ("said that ...", "tweeted on Monday that
        ..."), else the one before it ("..., he said"): the nearest within `reach`
        characters, with no sentence end between."""
        i = bisect_right(starts, cue[1] - 1)
        if i < len(contents):
            c = contents[i]
            gap = text[cue[1] : c[0]]
            if len(gap) <= reach and not _SENTENCE_END.search(gap):
                return c
        before = [c for c in contents[:i] if c[1] <= cue[0]]
        if before:
            c = max(before, key=lambda c: c[1])
            gap = text[c[1] : cue[0]]
            if len(gap) <= reach and not _SENTENCE_END.search(gap.rstrip(" \n\"”'’")):
                return c
        return None

    @staticmethod
    def _from_sentence_start(doc: Document, content: Span, cues: list[Span]) -> Span | None:
        """A content before its cue ("..., the hospital said") runs from the start of
        its sentence, past a dateline ("TRIPOLI, Lebanon - "), when no other cue
        comes first: the tagger sometimes keeps only the last clause of it. None
        when the sentence does not follow a sentence end (the parse split a
        sentence in two, so where the content starts is unknown)."""
        sent = doc.sentence_at(content[0])
        if sent is None:
            return None
        start = doc.sentences[sent].start
        before = doc.text[:start].rstrip()
        if before and not before.endswith((".", "!", "?", '"', "”", "’", ":", "\n")):
            if "\n" not in doc.text[len(before) : start]:
                return None
        if start >= content[0] or any(start <= a < content[0] for a, _ in cues):
            return content
        head = doc.text[start : content[0]]
        m = _DATELINE.match(head)
        if m is not None:
            start += m.end()
        while start < content[0] and doc.text[start].isspace():
            start += 1
        return (start, content[1]) if start < content[0] else content

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
