"""Who said what: direct and indirect attributions from quotes and the parse.

Direct quotes are paired on the raw text (`quotes.pair_quotes`); the cue and
speaker next to each quote come from the parse. Indirect speech comes from cue
verbs (lexicon in `data/cues.toml`) and the dependents that hold their content,
"according to X", "in a statement" and content nouns ("claims that ...").
Speakers are resolved in text order: pronouns and bare nominals ("the
official", "the ministry") take the most recent compatible named speaker.
Media outlets (`type = "media"` in `data/actors.toml`) become a claim's
`channel`, never its speaker.

Speaker evidence: `evidence[0]` is the mention in this attribution (the tight
source span: "he", "Youssef Haddad"); when the mention was resolved to an
earlier speaker, the span where that speaker's name appears follows it.
`source_evidence` is the whole source noun phrase (apposition, party label,
closing comma: PolNeAR's source spans), cut where it would run into the cue.
Signed quotes (`"..." ― Name`) and transcript turns (`PENCE: ...`) are direct
claims too.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from eventledger.data import load_toml
from eventledger.errors import ConfigError
from eventledger.models import Claim, Evidence, Speaker
from eventledger.pipeline import Document, register
from eventledger.stages.annotate.parse_fixes import counted_subject
from eventledger.stages.claims.quotes import Quote, pair_quotes

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = [
    "ClaimExtractor",
    "CueLexicon",
    "load_cue_lexicon",
    "load_media_names",
    "paragraph_length",
]

_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
# Nouns that name a claim made before them: "..., a claim Hamas rejected".
_CLAIM_NOUNS = frozenset(
    {"claim", "allegation", "accusation", "assertion", "charge", "account", "version", "statement"}
)


# Institutions named after a person: the name before them is no one who speaks.
_NAMED_AFTER = frozenset(
    {"school", "hospital", "university", "college", "mosque", "church", "clinic", "institute",
     "academy", "stadium", "centre", "center", "camp", "street", "road", "square", "bridge",
     "airport", "foundation", "complex", "district", "neighbourhood", "neighborhood"}
)  # fmt: skip


@lru_cache(maxsize=1)
def _country_labels() -> frozenset[str]:
    """Country names and aliases, upper-cased: what a headline's "KENYA:" names."""
    from eventledger.stages.places.gazetteer import COUNTRY_ALIASES, country_table

    names = {c["name"] for c in country_table().values()}
    names |= {alias for alias, _ in COUNTRY_ALIASES}
    return frozenset(n.upper() for n in names)


def _country_label(name: str) -> bool:
    return name.upper().rstrip(".") in _country_labels()


def _accused_subject(tok: Any) -> bool:
    """Whether the subject of an accusing verb is the accused: a passive ("X was
    accused of", "X has been blamed for"; with "by residents" too, which the
    stages do not yet read as the speaker), or a headline's "X accused of
    killing 15", where no object follows the verb."""
    kids = list(tok.children)
    if any(c.dep_ in ("nsubjpass", "auxpass", "agent") for c in kids):
        return True
    return (
        tok.tag_ in ("VBN", "VBD")
        and not any(c.dep_ in ("dobj", "ccomp", "dative") for c in kids)
        and any(c.dep_ == "prep" and c.lower_ in ("of", "for") for c in kids)
    )


def _rebutted(tok: Any) -> list[Any] | None:
    """The content of "X said the hospital was a base, a claim Y rejected": the
    clause the claim noun stands beside (a cue's clause if the sentence has one,
    else what comes before the noun)."""
    noun = tok.head
    if tok.dep_ != "relcl" or noun.lemma_.lower() not in _CLAIM_NOUNS or noun.i > tok.i:
        return None
    if any(c.dep_ in ("dobj", "ccomp") for c in tok.children):
        return None
    sent = tok.sent
    before = [t for t in sent if t.i < noun.left_edge.i]
    while before and (before[-1].is_punct or before[-1].dep_ == "cc"):
        before.pop()
    clauses = [t for t in before if t.dep_ == "ccomp" and t.head.i < t.i]
    if clauses:
        inner = set(noun.subtree)
        before = [t for t in clauses[-1].subtree if t not in inner and t.i < noun.left_edge.i]
        while before and before[-1].is_punct:
            before.pop()
    return before or None


_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
_ORG_PRONOUNS = frozenset({"it", "they"})
# Dependents that are never part of a speaker's name.
_NOT_NAME = frozenset({"appos", "relcl", "acl", "punct", "cc", "conj", "advmod", "prep"})
# Prepositions that carry an affiliation: "an official from/at/with/of/for X".
_AFFILIATION_PREPS = frozenset({"from", "at", "with", "of", "for", "in"})
# Edge tokens trimmed off a content span.
_TRIM = frozenset({",", ";", ":", "-", "—", "–", "that", '"', "“", "”", "'"})
# Content evidence keeps a leading "that", as PolNeAR draws content spans.
_LEAD_TRIM = _TRIM - {"that"}
_DOUBLE_MARKS = frozenset('"“”„«»')
_SENT_END = frozenset({".", "!", "?"})
_DENIED_NOUNS = frozenset({"accusation", "allegation", "claim", "charge", "report"})
# Verbs whose xcomp says nothing: "declined to comment", "refused to elaborate".
_NO_CONTENT = frozenset(
    {"comment", "elaborate", "speak", "say", "discuss", "answer", "respond", "disclose"}
)
_WH = frozenset({"who", "what", "when", "where", "why", "how", "whether", "if", "which"})
# A signature line after a quote: "..." ― Julie A. Diaz Martinez.
_SIGNATURE = re.compile(
    r"[ \t\u00a0]*(?P<dash>[―—])[ \t\u00a0]*(?P<name>[A-Z][\w.'’-]*(?:[ \u00a0][\w.'’-]+){0,5}?)"
    r"\.?[ \t\u00a0]*(?:\n|$)"
)
# A transcript turn: "WALLACE: But, Governor ..." (capitals only, so "Note:" is no speaker).
_TURN = re.compile(
    r"[\"“]?(?P<name>[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3})(?P<colon>:)[ \t\u00a0]+(?=\S)"
)
_CLOSING = re.compile(r"[.,!?]{0,2}(?:''|[\"”])")
_CUE_WINDOW = 12  # tokens before an opening quote searched for "he said:"
# Tokens after a closing quote searched for the cue: long enough for a name
# with its apposition ("," Rep. X (R-Ohio), an oversight panel member, said).
_CUE_AFTER_WINDOW = 30


@dataclass(frozen=True, slots=True)
class CueLexicon:
    """Cue lemmas with stances and content dependents, plus role and organisation nouns."""

    version: str
    verbs: dict[str, tuple[str, frozenset[str]]]  # lemma -> (stance, content deps)
    nouns: dict[str, str]  # lemma -> stance
    person_roles: frozenset[str]
    organisations: frozenset[str]


def paragraph_length(sdoc: Any) -> int:
    """`len(sdoc.text)` of a paragraph's spaCy Doc, without its text: `Doc.text` joins
    every token's text (a Python object per token) on each call."""
    if not len(sdoc):
        return 0
    last = sdoc[-1]
    return last.idx + len(last.text_with_ws)


def _data(name: str) -> dict[str, Any]:
    return load_toml(name)


def load_cue_lexicon() -> CueLexicon:
    """The cue lexicon from `data/cues.toml`."""
    data = _data("cues.toml")
    verbs: dict[str, tuple[str, frozenset[str]]] = {}
    for entry in data["cue"]:
        for lemma in entry["lemmas"]:
            if lemma in verbs:
                raise ConfigError(f"cues.toml lists the cue {lemma!r} twice; keep one entry")
            verbs[lemma] = (entry["stance"], frozenset(entry["objects"]))
    nouns = {lemma: entry["stance"] for entry in data.get("noun", []) for lemma in entry["lemmas"]}
    roles = data["roles"]
    return CueLexicon(
        version=str(data["version"]),
        verbs=verbs,
        nouns=nouns,
        person_roles=frozenset(roles["person"]),
        organisations=frozenset(roles["organisation"]),
    )


def _norm(name: str) -> str:
    name = name.strip().lower()
    name = re.sub(r"['’]s$", "", name)
    return re.sub(r"^the\s+", "", name)


def load_media_names() -> dict[str, str]:
    """Normalised outlet names and aliases -> canonical outlet, from `data/actors.toml`."""
    out: dict[str, str] = {}
    for actor in _data("actors.toml")["actor"]:
        if actor.get("type") == "media":
            for alias in [actor["name"], *actor.get("aliases", [])]:
                out[_norm(alias)] = actor["name"]
    return out


def _clean_content(text: str) -> str:
    """A claim's content as read: no leading "that", no marks around a whole quotation."""
    text = text.strip()
    if text[:5].lower() == "that " and len(text) > 5:
        text = text[5:]
    if (
        len(text) > 2
        and text[0] in _DOUBLE_MARKS
        and text[-1] in _DOUBLE_MARKS
        and sum(ch in _DOUBLE_MARKS for ch in text) == 2
    ):
        text = text[1:-1]
    return text.strip().rstrip(",;:").strip()


@dataclass(slots=True)
class _Mention:
    """A speaker mention as found in the parse, before resolution."""

    speaker: Speaker
    kind: str  # person | org | unknown
    span: tuple[int, int] = (0, 0)  # the whole noun phrase, appositions included
    pronoun: str | None = None  # he, she, it, they when the mention is a pronoun
    nominal: str | None = None  # "official", "ministry" for a bare "the official"


@dataclass(slots=True)
class _Candidate:
    start: int  # char span of the whole attribution
    end: int
    direct: bool
    stance: str
    cue: str
    cue_ev: Evidence | None
    content_ev: Evidence
    mention: _Mention | None
    channel: str | None = None
    continues: bool = False  # a quote with no cue of its own: same speaker as the last one
    target: frozenset[str] = frozenset()  # lemmas of an accusation's target
    content_lemmas: frozenset[str] = frozenset()
    content_verbs: frozenset[str] = frozenset()
    extra_ev: list[Evidence] = field(default_factory=list)
    text: str | None = None  # the content as read, when it differs from its evidence


# Conjunctions of a clause that tells what went on around the words quoted.
_SCENE_MARKS = frozenset({"as", "while", "amid", "amidst"})


def _subject_after_comma(verb: Any) -> Any:
    """The subject of `verb` that stands right before it, after a comma
    (", the head of the agency said"), or None."""
    subjects = [c for c in verb.children if c.dep_ in _SUBJECTS and c.i < verb.i]
    if len(subjects) != 1:
        return None
    subj = subjects[0]
    before = subj.left_edge.i - 1
    if before < 0 or verb.doc[before].text != "," or subj.right_edge.i + 1 < verb.i - 1:
        return None
    return subj


def _past_dateline(subj: Any) -> Any:
    """ "HALBA, Lebanon: The health office says ..." parses with the dateline's
    town as the subject and the speaker in apposition after the colon (or
    dash): the speaker is the apposition."""
    marks = [c for c in subj.children if c.dep_ == "punct" and c.text in (":", "—", "--")]
    if not marks:
        return subj
    after = [c for c in subj.children if c.dep_ == "appos" and c.i > marks[0].i]
    return after[-1] if after else subj


# What "feared" says of its subject in a headline ("Dozens feared dead").
_FEARED_STATES = frozenset({"dead", "kill", "killed", "missing", "trap", "trapped", "drown"})


def _speakers_closing_count(cue: Any) -> tuple[Any, Any] | None:
    """(counted subject, speaker) of "killing at least 20 people ..., including
    four children, a resistance group and a local resident said": the small
    model makes the counted dead the subject of the verb of speech and the
    speakers more of the listed dead, after the list's last comma."""
    subj = counted_subject(cue)
    if subj is None:
        return None
    tail = _trailing_speaker(cue)
    if tail is None or tail.i <= subj.i or not any(t.i == tail.i for t in subj.subtree):
        return None
    return subj, tail


def _named_after_quote(cue: Any) -> Any:
    """The person or organisation named between a closing quotation mark and a
    final cue ('"...," WHO chief Tedros Adhanom Ghebreyesus said', where the
    small model parses "chief" as a verb and leaves "said" with no subject)."""
    i = cue.i - 1
    start = max(cue.sent.start, cue.i - 10)
    while i > start and cue.doc[i].text not in ('"', "”", "'", "’"):
        i -= 1
    if i <= start or cue.doc[i].text not in ('"', "”", "'", "’"):
        return None
    ents = [e for e in cue.doc[i + 1 : cue.i].ents if e.label_ in ("PERSON", "ORG", "NORP")]
    return ents[-1].root if ents else None


def _trailing_speaker(cue: Any) -> Any:
    """The noun phrase between the last comma and a final cue ("..., the monitor
    said."), when the parse hung it on the content instead of the verb."""
    i = cue.i - 1
    sent_start = cue.sent.start
    while i > sent_start and cue.doc[i].text != ",":
        i -= 1
    if i <= sent_start or cue.doc[i].text != ",":
        return None
    span = cue.doc[i + 1 : cue.i]
    if not 0 < len(span) <= 8:
        return None
    roots = [t for t in span if not (span.start <= t.head.i < span.end)]
    if (
        len(roots) == 2
        and roots[0].pos_ == "NOUN"
        and roots[1].pos_ == "PROPN"
        and roots[1].left_edge.i == roots[0].i + 1
    ):
        return roots[1]  # "..., the city's mayor Ihor Terekhov said": the title's name
    if len(roots) != 1 or roots[0].pos_ not in ("NOUN", "PROPN"):
        return None
    return roots[0]


@register("claims.rules.v1")
class ClaimExtractor:
    """Fill `doc.claims` with direct and indirect attributions."""

    requires: tuple[str, ...] = ("doc.paragraphs", "doc.sentences")
    assigns: tuple[str, ...] = ("doc.claims",)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.lexicon = load_cue_lexicon()
        self.media = load_media_names()

    # -- entry point -------------------------------------------------------

    def __call__(self, doc: Document) -> Document:
        # The article's own outlet is a media outlet whatever the dictionary
        # knows ("he told Levant Wire" in a Levant Wire story): a channel,
        # never a speaker. Restored after the document.
        shared = self.media
        outlet = doc.article.outlet
        if outlet and _norm(outlet) not in shared:
            self.media = {**shared, _norm(outlet): outlet}
        try:
            return self._extract(doc)
        finally:
            self.media = shared

    def _extract(self, doc: Document) -> Document:
        quotes = pair_quotes(doc.text)
        candidates: list[_Candidate] = []
        used_cues: set[tuple[int, int]] = set()  # (paragraph offset, token index)
        for q in quotes:
            cand = self._direct(doc, q, used_cues)
            if cand is not None:
                candidates.append(cand)
        turns = self._transcript(doc)
        if turns:
            # A transcript turn ("PENCE: Well, ...") owns its paragraph.
            starts = sorted(c.start for c in turns)
            candidates = [
                c
                for c in candidates
                if not (c.continues and bisect_right(starts, c.end) > bisect_right(starts, c.start))
            ]
            candidates.extend(turns)
        inside = [(q.start, q.end) for q in quotes]
        for sent in doc.sentences:
            candidates.extend(self._indirect(doc, sent.offset, sent.span, inside, used_cues))
        candidates.sort(key=lambda c: (c.start, not c.direct))
        doc.claims = self._resolve(doc, candidates, self._people(doc))
        return doc

    # -- direct quotes -----------------------------------------------------

    @staticmethod
    def _paragraph_at(doc: Document, char: int) -> tuple[int, Any] | None:
        i = bisect_right([off for off, _ in doc.paragraphs], char) - 1
        if i < 0:
            return None
        offset, sdoc = doc.paragraphs[i]
        return (offset, sdoc) if char <= offset + paragraph_length(sdoc) else None

    @staticmethod
    def _first_token_at(sdoc: Any, rel: int) -> int:
        """Index of the first token starting at or after paragraph char `rel`."""
        lo, hi = 0, len(sdoc)
        while lo < hi:
            mid = (lo + hi) // 2
            if sdoc[mid].idx < rel:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _direct(self, doc: Document, q: Quote, used: set[tuple[int, int]]) -> _Candidate | None:
        inner = self._trimmed_evidence(doc, q.inner_start, q.inner_end)
        if inner is None or len(inner.text.split()) < 3:
            return None  # scare quotes ("so-called 'safe zone'") are not claims
        # The evidence is the quotation as printed, marks included (PolNeAR's spans).
        content_ev = doc.evidence(q.start, q.end)
        found = None
        closing = self._paragraph_at(doc, q.end - 1)
        if closing is not None:
            found = self._cue_after(closing, q.end, used)
        if found is None:
            opening = self._paragraph_at(doc, q.start)
            if opening is not None:
                found = self._cue_before(opening, q.start, used)
        if found is None:
            signed = self._signature(doc, q, content_ev, inner.text)
            if signed is not None:
                return signed
            return _Candidate(
                start=q.start,
                end=q.end,
                direct=True,
                stance="assert",
                cue="",
                cue_ev=None,
                content_ev=content_ev,
                text=inner.text,
                mention=None,
                continues=True,
            )
        offset, cue_tok = found
        used.add((offset, cue_tok.i))
        if self._is_according(cue_tok):
            stance = "assert"
            to = cue_tok.nbor()
            cue_ev = doc.evidence(offset + cue_tok.idx, offset + to.idx + len(to.text))
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            mention, channel = self._mention_np(doc, offset, pobj) if pobj else (None, None)
        else:
            stance = self.lexicon.verbs[cue_tok.lemma_.lower()][0]
            mention, channel = self._speaker_of(doc, offset, cue_tok)
            cue_ev = doc.span_evidence(offset, cue_tok)
        spans = [(q.start, q.end), (cue_ev.start, cue_ev.end)]
        if mention is not None:
            spans.append(mention.span)
        return _Candidate(
            start=min(s for s, _ in spans),
            end=max(e for _, e in spans),
            direct=True,
            stance=stance,
            cue=cue_ev.text,
            cue_ev=cue_ev,
            content_ev=content_ev,
            text=inner.text,
            mention=mention,
            channel=channel,
        )

    @staticmethod
    def _named(doc: Document, start: int, end: int) -> _Mention:
        ev = doc.evidence(start, end)
        return _Mention(Speaker(name=ev.text, evidence=[ev]), "person", (start, end))

    def _signature(
        self, doc: Document, q: Quote, content_ev: Evidence, text: str
    ) -> _Candidate | None:
        """A quote signed on its own line: "..." ― Julie Diaz (reader comments, letters)."""
        m = _SIGNATURE.match(doc.text, q.end)
        if m is None:
            return None
        mention = self._named(doc, m.start("name"), m.end("name"))
        return _Candidate(
            start=q.start,
            end=m.end("name"),
            direct=True,
            stance="assert",
            cue=m.group("dash"),
            cue_ev=doc.evidence(m.start("dash"), m.end("dash")),
            content_ev=content_ev,
            text=text,
            mention=mention,
        )

    def _transcript(self, doc: Document) -> list[_Candidate]:
        """Transcript turns: a paragraph opening with a speaker in capitals and a colon."""
        out = []
        for offset, sdoc in doc.paragraphs:
            # the paragraph's text is the article's from its offset (annotate.spacy.v1)
            text = doc.text[offset : offset + paragraph_length(sdoc)]
            m = _TURN.match(text)
            if m is None or _country_label(m.group("name")):
                continue  # "DRC: ADF rebels kill 18": a headline's country, no speaker
            a, b = offset + m.start("name"), offset + m.end("name")
            if any(p.start <= a and b <= p.end for p in doc.places):
                continue  # "PESHAWAR: Gunmen opened fire ...": a dateline's town
            end = len(text.rstrip())
            if text[end - 1 : end] in _DOUBLE_MARKS:
                end -= 1
            if end - m.end() < 3:
                continue
            content_ev = doc.evidence(offset + m.end(), offset + end)
            out.append(
                _Candidate(
                    start=offset + m.start("name"),
                    end=offset + end,
                    direct=True,
                    stance="assert",
                    cue=":",
                    cue_ev=doc.evidence(offset + m.start("colon"), offset + m.end("colon")),
                    content_ev=content_ev,
                    mention=self._named(doc, offset + m.start("name"), offset + m.end("name")),
                )
            )
        return out

    def _is_cue(self, tok: Any) -> bool:
        return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in self.lexicon.verbs

    @staticmethod
    def _is_according(tok: Any) -> bool:
        return tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to"

    def _cue_after(
        self, para: tuple[int, Any], char: int, used: set[tuple[int, int]]
    ) -> tuple[int, Any] | None:
        """The cue verb in the attribution right after a closing quote ("," he said.)."""
        offset, sdoc = para
        rel = char - offset
        first = self._first_token_at(sdoc, rel)
        window = sdoc[first : first + _CUE_AFTER_WINDOW]
        for tok in window:
            if tok.text in _SENT_END or tok.text in ('"', "“", "„"):
                break
            if (self._is_cue(tok) or self._is_according(tok)) and (offset, tok.i) not in used:
                return offset, tok
        return None

    def _cue_before(
        self, para: tuple[int, Any], char: int, used: set[tuple[int, int]]
    ) -> tuple[int, Any] | None:
        """The cue verb introducing a quote (He said: "...")."""
        offset, sdoc = para
        rel = char - offset
        before = list(
            sdoc[
                max(0, self._first_token_at(sdoc, rel) - _CUE_WINDOW) : self._first_token_at(
                    sdoc, rel
                )
            ]
        )
        if not before:
            return None
        # Only a colon, a comma or the cue itself may stand right before the quote.
        last = before[-1]
        if not (last.text in (":", ",") or self._is_cue(last) or last.lower_ == "that"):
            return None
        for tok in reversed(before):
            if tok.text in _SENT_END or tok.text in ('"', "”"):
                break
            if self._is_cue(tok) and (offset, tok.i) not in used:
                return offset, tok
        return None

    # -- indirect speech ---------------------------------------------------

    def _indirect(
        self,
        doc: Document,
        offset: int,
        span: Any,
        inside: list[tuple[int, int]],
        used: set[tuple[int, int]],
    ) -> list[_Candidate]:
        out: list[_Candidate] = []

        starts = [s for s, _ in inside]

        def quote_at(c: int) -> int | None:
            # Quotes never overlap, so only the last one starting before `c` can hold it.
            i = bisect_right(starts, c) - 1
            return i if i >= 0 and c < inside[i][1] else None

        def in_quote_at(c: int) -> bool:
            return quote_at(c) is not None

        def in_quote(tok: Any) -> bool:
            return in_quote_at(offset + tok.idx)

        # "..., according to X" is a source for the sentence, not content.
        according = [t for t in span if self._is_according(t) and not in_quote(t)]
        skip = {t.i for a in according for t in a.subtree} | {a.i + 1 for a in according}
        credits: list[_Candidate] = []
        for tok in span:
            if in_quote(tok) or (offset, tok.i) in used:
                continue
            lemma = tok.lemma_.lower()
            cand = None
            if tok in according:
                cand = self._according(doc, offset, tok)
                if cand is not None and cand.mention is None:
                    credits.append(cand)  # a media credit: attach it below
                    continue
            elif self._is_cue(tok):
                cand = self._verb_claim(doc, offset, tok, skip)
            elif tok.pos_ == "NOUN" and lemma in self.lexicon.nouns:
                cand = self._noun_claim(doc, offset, tok)
            if cand is None:
                continue
            ce = cand.content_ev
            if quote_at(ce.start) is not None and quote_at(ce.start) == quote_at(ce.end - 1):
                continue  # the content is a quote: the direct pass owns it
            used.add((offset, tok.i))
            out.append(cand)
        for credit in credits:
            # The outlet is the channel of the sentence's own claims; alone,
            # it is a claim with no speaker we can name.
            owners = [c for c in out if c.channel is None]
            for c in owners:
                c.channel = credit.channel
            if not owners and not out:
                out.append(credit)
        return out

    def _content_children(self, tok: Any, deps: frozenset[str]) -> list[Any]:
        kids = []
        for child in tok.children:
            dep = child.dep_
            if dep == "prep":
                dep = f"prep:{child.lower_}"
            if dep == "dative":
                dep = "dobj"
            if dep in deps:
                kids.append(child)
        return kids

    def _verb_claim(
        self, doc: Document, offset: int, tok: Any, skip: set[int] | None = None
    ) -> _Candidate | None:
        stance, deps = self.lexicon.verbs[tok.lemma_.lower()]
        if stance == "accuse" and _accused_subject(tok):
            return None  # "the militia was accused of killing 15": who accused is untold
        kids = self._content_children(tok, deps)
        lemma = tok.lemma_.lower()
        if not any(c.dep_ in _SUBJECTS for c in tok.children):
            tail = _trailing_speaker(tok)
            if tail is not None:  # "..., the monitor said": the speaker is no content
                skip = set(skip or ()) | {t.i for t in tail.subtree} | {tail.left_edge.i - 1}
        # "told AFP that ...": the outlet told is a channel, not content.
        if lemma == "tell":
            kids = [k for k in tok.children if k.dep_ == "ccomp"]
        # "called Trump a liar": the object and its predicate are the content.
        if lemma == "call" and any(c.dep_ == "oprd" for c in tok.children):
            kids = [c for c in tok.children if c.dep_ in ("dobj", "oprd")]
        if any(k.dep_ == "xcomp" for k in kids):
            # "X was urged to ...": X is who was urged, not the speaker; and
            # "declined to comment" says nothing.
            if any(c.dep_ == "nsubjpass" for c in tok.children):
                kids = [k for k in kids if k.dep_ != "xcomp"]
            kids = [k for k in kids if k.dep_ != "xcomp" or k.lemma_.lower() not in _NO_CONTENT]
        if not kids and lemma in ("say", "report", "confirm"):
            # "Police say 4 teachers killed in raid": headline style, the
            # participle clause hangs from the object
            kids = [
                c
                for c in tok.children
                if c.dep_ == "dobj" and any(g.dep_ == "acl" and g.tag_ == "VBN" for g in c.subtree)
            ]
        if not kids and lemma in ("say", "report", "confirm", "tell", "add"):
            # "Israeli strikes killed 38 people, officials said": the small model
            # may make "strikes" a second subject with "killed" hanging from it;
            # the subject nearest the verb speaks, a farther one with a clause of
            # its own is what was said
            subjects = [c for c in tok.children if c.dep_ == "nsubj" and c.i < tok.i]
            kids = [
                c
                for c in subjects[:-1]
                if any(g.dep_ in ("acl", "relcl") and g.pos_ == "VERB" for g in c.children)
            ]
        text = None
        forced = None  # a speaker the parse hung elsewhere, found below
        rebutted = None if kids else _rebutted(tok)
        if rebutted:
            # "..., a claim Hamas rejected": what is rejected is the claim told before
            content = self._tokens_evidence(doc, offset, rebutted)
            if content is None:
                return None
            tokens = rebutted
        elif (
            not kids
            and tok.dep_ == "advcl"
            and tok.head.pos_ in ("VERB", "AUX")
            and tok.head.i < tok.i
            and not any(c.dep_ in _SUBJECTS for c in tok.children)
            and (tail := _trailing_speaker(tok)) is not None
        ):
            # "..., killing 20 people, police and a hospital official said": the
            # parse hangs the verb of speech on the deed and its speakers on the
            # killed; what comes before the speakers is the content
            forced = tail
            cut = tail.left_edge.i - 1  # the comma before the speakers
            tokens = [t for t in tok.head.subtree if t.i < cut and t.i < tok.i]
            while tokens and tokens[-1].is_punct:
                tokens.pop()
            content = self._tokens_evidence(doc, offset, tokens)
            if content is None:
                return None
        elif (
            not kids
            and lemma in ("say", "tell", "report", "confirm", "add")
            and tok.dep_ == "conj"
            and tok.head.pos_ in ("VERB", "AUX")
            and tok.head.i < tok.i
            and (subj := _subject_after_comma(tok)) is not None
        ):
            # "A drone attack killed 70 people and injured 19 others, the head of
            # the agency said": the parse joins the verb of speech to the deeds
            # as a third conjunct; what comes before its subject is the content
            tokens = [t for t in tok.head.subtree if t.i < subj.left_edge.i]
            while tokens and (tokens[-1].is_punct or tokens[-1].dep_ == "cc"):
                tokens.pop()
            content = self._tokens_evidence(doc, offset, tokens)
            if content is None:
                return None
        elif not kids and tok.dep_ == "parataxis" and tok.head.pos_ in ("VERB", "AUX"):
            # "But to prevent problems, he said, officials should be vigilant": the
            # clause around the cue is the content; its longest piece is the evidence.
            inner = {t.i for t in tok.subtree}
            # "..., the director said, as artillery fire hit the city": a clause
            # after the cue that sets the scene is the reporter's, not the speaker's
            inner |= {
                t.i
                for c in tok.head.children
                if c.dep_ == "advcl"
                and c.i > tok.i
                and any(m.dep_ == "mark" and m.lower_ in _SCENE_MARKS for m in c.children)
                for t in c.subtree
            }
            tokens = [t for t in tok.head.subtree if t.i not in inner]
            pieces = [
                ev
                for run in self._runs(tokens)
                if (ev := self._tokens_evidence(doc, offset, run)) is not None
            ]
            if not pieces:
                return None
            content = max(pieces, key=lambda ev: ev.end - ev.start)
            text = " ".join(_clean_content(ev.text) for ev in pieces)
        else:
            if not kids or self._says_nothing(tok, kids):
                return None
            if lemma == "fear" and any(k.lemma_.lower() in _FEARED_STATES for k in kids):
                return None  # "Dozens feared dead": who is feared for, no speaker
            tokens = [t for k in kids for t in k.subtree if not skip or t.i not in skip]
            if tok.dep_ == "relcl" and any(
                k.dep_ == "dobj" and k.lower_ in ("which", "that", "who", "whom") for k in kids
            ):
                # "The RSF, which the group blamed for the attack": who was blamed
                # is the noun the clause hangs from
                inner = {t.i for t in tok.subtree}
                tokens = [t for t in tok.head.subtree if t.i not in inner and not t.is_punct]
            closing = _speakers_closing_count(tok)
            if closing is not None:
                # the counted dead the parse made the subject are what was said
                subj, tail = closing
                tokens += [t for t in subj.subtree if t.i < tail.left_edge.i - 1]
                tokens.sort(key=lambda t: t.i)
            content = self._tokens_evidence(doc, offset, tokens)
            if content is None:
                return None
        if forced is not None:
            mention, channel = self._mention_np(doc, offset, forced)
        else:
            mention, channel = self._speaker_of(doc, offset, tok)
        if mention is None and channel is None:
            return None  # no source at all: not an attribution we can publish
        cue_tok, cue_ev = tok, self._cue_evidence(doc, offset, tok, kids)
        cue_text = cue_tok.text
        head = self._passive_head(tok)
        if (
            head is not None
            and head.i < tok.i
            and any(c.dep_ in ("nsubjpass", "auxpass") for c in head.children)
        ):
            # "was quoted as saying": the passive verb is part of the cue; an
            # adverbial "..., saying" keeps its own cue and borrows the subject.
            cue_ev = doc.evidence(offset + head.idx, cue_ev.end)
            cue_text = cue_ev.text
        target: frozenset[str] = frozenset()
        if stance == "accuse":
            target = frozenset(
                t.lemma_.lower()
                for k in tok.children
                if k.dep_ in ("dobj", "dative")
                for t in k.subtree
                if t.pos_ in ("NOUN", "PROPN")
            )
        cand = self._candidate(
            doc,
            offset,
            stance,
            cue_text,
            cue_ev,
            content,
            tokens,
            mention,
            channel,
            target,
        )
        cand.text = text
        return cand

    @staticmethod
    def _runs(tokens: list[Any]) -> list[list[Any]]:
        """`tokens` cut into runs of consecutive tokens."""
        runs: list[list[Any]] = []
        for t in sorted(tokens, key=lambda t: t.i):
            if runs and runs[-1][-1].i == t.i - 1:
                runs[-1].append(t)
            else:
                runs.append([t])
        return runs

    @staticmethod
    def _says_nothing(tok: Any, kids: list[Any]) -> bool:
        """ "did not say who the target was": a negated cue over a question is no claim."""
        if not any(c.dep_ == "neg" for c in tok.children):
            return False
        return all(k.left_edge.lower_ in _WH for k in kids)

    @staticmethod
    def _cue_evidence(doc: Document, offset: int, tok: Any, kids: list[Any]) -> Evidence:
        """The cue verb with its auxiliaries and negation ("has said", "did not deny")
        and a preposition that holds the content ("called for")."""
        first = last = tok
        while first.i > 0:
            prev = first.nbor(-1)
            if prev.head is not tok or prev.dep_ not in ("aux", "auxpass", "neg", "advmod"):
                break
            first = prev
        prep = next((k for k in kids if k.dep_ == "prep" and k.i == tok.i + 1), None)
        if prep is not None:
            last = prep
        return doc.evidence(offset + first.idx, offset + last.idx + len(last.text))

    def _according(self, doc: Document, offset: int, tok: Any) -> _Candidate | None:
        to = tok.nbor()
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return None
        source = set(tok.subtree) | set(to.subtree)
        sent = tok.sent
        tokens = [t for t in sent if t not in source and not t.is_punct]
        content = self._tokens_evidence(doc, offset, tokens)
        if content is None:
            return None
        cue_ev = doc.evidence(offset + tok.idx, offset + to.idx + len(to.text))
        mention, channel = self._mention_np(doc, offset, pobj)
        cand = self._candidate(
            doc, offset, "assert", cue_ev.text, cue_ev, content, tokens, mention, channel
        )
        # The source ("Reuters") belongs to the attribution even when it is not a speaker.
        cand.start = min(cand.start, offset + pobj.left_edge.idx)
        cand.end = max(cand.end, offset + pobj.right_edge.idx + len(pobj.right_edge.text))
        return cand

    def _noun_claim(self, doc: Document, offset: int, tok: Any) -> _Candidate | None:
        stance = self.lexicon.nouns[tok.lemma_.lower()]
        clause = next((c for c in tok.children if c.dep_ in ("ccomp", "acl")), None)
        if clause is not None and any(
            c.dep_ == "mark" and c.lower_ == "that" for c in clause.children
        ):
            tokens = list(clause.subtree)
            poss = next((c for c in tok.children if c.dep_ == "poss"), None)
            mention, channel = (None, None)
            if poss is not None:
                mention, channel = self._mention_np(doc, offset, poss)
            elif (
                tok.dep_ == "pobj"
                and tok.head.lower_ in ("in", "through", "via")
                and tok.head.head.pos_ in ("VERB", "AUX")
                and self._is_cue(tok.head.head)
            ):
                # "the union said in a statement that ...": the clause hangs
                # from the statement; the speaker is the verb's
                mention, channel = self._speaker_of(doc, offset, tok.head.head)
        elif (
            tok.lemma_.lower() == "statement"
            and tok.dep_ == "pobj"
            and tok.head.lower_ == "in"
            and tok.head.head.pos_ in ("VERB", "AUX")
            and not self._is_cue(tok.head.head)
        ):
            # "In a statement, the ministry blamed ...": the clause is the content.
            verb = tok.head.head
            subj = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
            if subj is None:
                return None
            skip = set(tok.head.subtree) | set(subj.subtree)
            tokens = [t for t in verb.subtree if t not in skip]
            mention, channel = self._mention_np(doc, offset, subj)
        else:
            return None
        content = self._tokens_evidence(doc, offset, tokens)
        if content is None:
            return None
        cue_ev = doc.span_evidence(offset, tok)
        return self._candidate(
            doc, offset, stance, tok.text, cue_ev, content, tokens, mention, channel
        )

    def _candidate(
        self,
        doc: Document,
        offset: int,
        stance: str,
        cue: str,
        cue_ev: Evidence,
        content: Evidence,
        tokens: list[Any],
        mention: _Mention | None,
        channel: str | None,
        target: frozenset[str] = frozenset(),
    ) -> _Candidate:
        spans = [(cue_ev.start, cue_ev.end), (content.start, content.end)]
        if mention is not None:
            spans.append(mention.span)
        return _Candidate(
            start=min(s for s, _ in spans),
            end=max(e for _, e in spans),
            direct=False,
            stance=stance,
            cue=cue,
            cue_ev=cue_ev,
            content_ev=content,
            mention=mention,
            channel=channel,
            target=target,
            content_lemmas=frozenset(
                t.lemma_.lower() for t in tokens if t.pos_ in ("NOUN", "PROPN")
            ),
            content_verbs=frozenset(t.lemma_.lower() for t in tokens if t.pos_ == "VERB"),
        )

    # -- speakers ----------------------------------------------------------

    @staticmethod
    def _passive_head(tok: Any) -> Any | None:
        """For "was quoted as saying", the verb whose subject is the speaker."""
        cur = tok
        for _ in range(3):
            if any(c.dep_ in _SUBJECTS for c in cur.children):
                return None if cur is tok else cur
            if cur.dep_ not in ("xcomp", "pcomp", "prep", "advcl") or cur.head is cur:
                return None
            cur = cur.head
        return None

    def _speaker_of(
        self, doc: Document, offset: int, cue: Any
    ) -> tuple[_Mention | None, str | None]:
        """The speaker of a cue verb and the outlet it was told to, if any."""
        head = self._passive_head(cue) or cue
        # "X bemoaned the unrest and said ...": a coordinated verb shares the subject.
        for _ in range(3):
            if head.dep_ != "conj" or any(c.dep_ in _SUBJECTS for c in head.children):
                break
            head = head.head
        # Of two subjects (a dateline "RAFAH, Gaza Strip — The ministry said"
        # parses as one), the one nearest the verb is the speaker.
        subjects = [c for c in head.children if c.dep_ in _SUBJECTS]
        before = [c for c in subjects if c.i < head.i]
        subj = max(before, key=lambda c: c.i) if before else next(iter(subjects), None)
        if subj is None and head.i == cue.i:
            subj = _trailing_speaker(cue) or _named_after_quote(cue)
        elif head.i == cue.i and subj is not None:
            closing = _speakers_closing_count(cue)
            if closing is not None and closing[0].i == subj.i:
                subj = closing[1]
        channel = None
        if cue.lemma_.lower() == "tell":
            for child in cue.children:
                if child.dep_ in ("dobj", "dative"):
                    channel = self._media(child)
        if subj is None or subj.dep_ == "expl":
            return None, channel
        subj = _past_dateline(subj)
        mention, subj_channel = self._mention_np(doc, offset, subj)
        return mention, channel or subj_channel

    def _media(self, tok: Any) -> str | None:
        """The canonical outlet a noun phrase names ("AFP", "Al Jazeera's reporting")."""
        for head in (tok, *[c for c in tok.children if c.dep_ == "poss"]):
            name = self.media.get(_norm(tok.doc[head.left_edge.i : head.i + 1].text))
            if name is not None:
                return name
        return None

    def _mention_np(
        self, doc: Document, offset: int, head: Any
    ) -> tuple[_Mention | None, str | None]:
        """A speaker mention for the noun phrase headed by `head` (or its outlet)."""
        media = self._media(head)
        if media is not None:
            return None, media
        lower = head.lower_
        name_toks = self._name_tokens(head)
        name_ev = self._tokens_evidence(doc, offset, name_toks, trim=False)
        if name_ev is None:
            return None, None
        if head.pos_ == "PRON":
            if lower in _PERSON_PRONOUNS or lower in _ORG_PRONOUNS:
                kind = "person" if lower in _PERSON_PRONOUNS else "org"
                sp = Speaker(name=name_ev.text, evidence=[name_ev])
                return _Mention(sp, kind, (name_ev.start, name_ev.end), pronoun=lower), None
            return None, None  # "we", "I", "someone": no speaker we can name
        role = affiliation = None
        name_start = name_toks[0]
        roles = self.lexicon.person_roles
        appos = next((c for c in head.children if c.dep_ == "appos"), None)
        if appos is not None and appos.lemma_.lower() in roles:
            role = appos.lemma_.lower()
            affiliation = self._affiliation(doc, offset, appos)
        elif head.pos_ == "PROPN":
            # "health ministry spokesman Ashraf al-Qudra": affiliation, role, name.
            for i, t in enumerate(name_toks[:-1]):
                if t.pos_ == "NOUN" and t.lemma_.lower() in roles:
                    role = t.lemma_.lower()
                    before = [x for x in name_toks[:i] if x.dep_ != "det"]
                    if before:
                        affiliation = doc.text[offset + before[0].idx : offset + t.idx].strip()
                    name_start = name_toks[i + 1]
            if name_start is not name_toks[0]:
                name_ev = doc.evidence(offset + name_start.idx, name_ev.end)
        elif head.lemma_.lower() in roles:
            role = head.lemma_.lower()
            affiliation = self._affiliation(doc, offset, head)
        kind = self._kind(head, role)
        bare = [t for t in name_toks if t.dep_ != "det"]
        nominal = None
        if len(bare) == 1 and head.pos_ == "NOUN" and any(t.lower_ == "the" for t in name_toks):
            nominal = head.lemma_.lower()
        sp = Speaker(name=name_ev.text, role=role, affiliation=affiliation, evidence=[name_ev])
        return _Mention(sp, kind, self._np_span(offset, head, name_ev), nominal=nominal), None

    @staticmethod
    def _np_span(offset: int, head: Any, name_ev: Evidence) -> tuple[int, int]:
        """Char span of the whole noun phrase headed by `head`, PolNeAR style: an
        apposition keeps its closing comma ("X, a Y, said") and a parenthesis its
        closing bracket ("Sen. X (R-S.C.)")."""
        sdoc = head.doc
        right = head.right_edge
        opened = any(t.text == "(" for t in sdoc[head.i : right.i + 1])
        while right.i > head.i and right.is_punct and not (right.text == ")" and opened):
            right = right.nbor(-1)
        after = right.i + 1
        if after < len(sdoc) and sdoc[after].text == ")" and opened:
            right = sdoc[after]
            after += 1
        if (
            after < len(sdoc)
            and sdoc[after].text in (",", "--", "—", "–")
            and any(t.text == "," for t in sdoc[head.i + 1 : right.i + 1])
        ):
            right = sdoc[after]
        return (
            min(name_ev.start, offset + head.left_edge.idx),
            offset + right.idx + len(right.text),
        )

    def _name_tokens(self, head: Any) -> list[Any]:
        toks = [t for t in head.subtree if t.i <= head.i]
        # Drop left tokens hanging off a relative clause or the like.
        toks = [t for t in toks if t.i >= head.left_edge.i]
        right = []
        for child in head.children:
            if (
                child.i > head.i
                and child.dep_ == "prep"
                and (
                    child.lower_ in ("of", "for")
                    # a preposition in a name's own capitals: "Doctors Without Borders"
                    # (not a headline's "Officials In Kabul": a place is no part of a name)
                    or (
                        child.is_title
                        and head.is_title
                        and head.pos_ in ("PROPN", "NOUN")
                        and not any(
                            g.dep_ == "pobj" and g.ent_type_ in ("GPE", "LOC", "DATE")
                            for g in child.children
                        )
                    )
                )
            ):
                right.extend(child.subtree)
            elif child.i > head.i and child.dep_ == "case":
                right.append(child)
            elif (
                child.dep_ == "appos"
                and child.pos_ == "PROPN"
                and child.left_edge.i == head.i + 1
                and head.lemma_.lower() in self.lexicon.person_roles
            ):
                # "the city's mayor Ihor Terekhov said": the name the title runs into
                right.extend(t for t in child.subtree if t.i <= child.i)
        toks = sorted(set(toks) | set(right), key=lambda t: t.i)
        # Contiguous run around the head only.
        out = [head]
        for t in reversed([t for t in toks if t.i < head.i]):
            if t.i != out[0].i - 1:
                break
            out.insert(0, t)
        for t in [t for t in toks if t.i > head.i]:
            if t.i != out[-1].i + 1 or t.text == ",":
                break  # "for Palestinian refugees, UNRWA, which runs ...": the name ends
            out.append(t)
        last = out[-1]
        if (
            any(t.text == "(" for t in out)
            and not any(t.text == ")" for t in out)
            and last.i + 1 < len(last.doc)
            and last.nbor(1).text == ")"
        ):
            out.append(last.nbor(1))  # "the Red Cross (ICRC)": the bracket closes
        while out and out[0].is_punct:
            out.pop(0)
        return out

    def _affiliation(self, doc: Document, offset: int, role_tok: Any) -> str | None:
        for child in role_tok.children:
            if child.dep_ == "prep" and child.lower_ in _AFFILIATION_PREPS:
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None and not (pobj.like_num or pobj.ent_type_ == "CARDINAL"):
                    # ("a mother of five": a count, no body she speaks for)
                    ev = self._tokens_evidence(doc, offset, self._name_tokens(pobj), trim=False)
                    if ev is not None:
                        return re.sub(r"^the\s+", "", ev.text, flags=re.I)
        left = [
            c
            for c in role_tok.lefts
            if c.dep_ in ("compound", "amod", "nmod", "poss")
            # "a 34-year-old mother": an age, no affiliation
            and not any(t.like_num or t.ent_type_ in ("DATE", "CARDINAL") for t in c.subtree)
        ]
        if left:
            start = min(t.i for c in left for t in c.subtree)
            return role_tok.doc[start : role_tok.i].text or None
        return None

    def _kind(self, head: Any, role: str | None) -> str:
        if head.ent_type_ == "PERSON" or role is not None:
            return "person"
        if head.ent_type_ in ("ORG", "NORP", "GPE"):
            return "org"
        if (
            head.lemma_.lower() in self.lexicon.organisations
            or head.lower_ in self.lexicon.organisations
        ):
            return "org"
        return "unknown"

    # -- resolution and records --------------------------------------------

    def _people(self, doc: Document) -> list[tuple[int, _Mention]]:
        """Named people in the text (PERSON entities), antecedents for "he"/"she"."""
        out = []
        for offset, sdoc in doc.paragraphs:
            for ent in sdoc.ents:
                # An outlet spaCy tags as a person ("told Levant Wire") is never a speaker.
                # Nor is whoever was told: in "he told Levant Wire" the addressee is
                # almost always the outlet, and the next "he added" is the teller.
                root = ent.root
                after = sdoc[ent.end] if ent.end < len(sdoc) else None
                if (
                    ent.label_ == "PERSON"
                    and _norm(ent.text) not in self.media
                    and not (root.dep_ in ("dobj", "dative") and root.head.lemma_ == "tell")
                    # "the Abdul Rahim Shahid high school": a place named after a person
                    and not (after is not None and after.lemma_.lower() in _NAMED_AFTER)
                    and not (
                        after is not None
                        and ent.end + 1 < len(sdoc)
                        and after.pos_ == "ADJ"
                        and sdoc[ent.end + 1].lemma_.lower() in _NAMED_AFTER
                    )
                ):
                    mention, _ = self._mention_np(doc, offset, ent.root)
                    if mention is not None and mention.pronoun is None:
                        mention.kind = "person"
                        out.append((offset + ent.start_char, mention))
        return out

    def _resolve(
        self, doc: Document, candidates: list[_Candidate], people: list[tuple[int, _Mention]]
    ) -> list[Claim]:
        claims: list[Claim] = []
        meta: list[_Candidate] = []
        named: list[tuple[int, _Mention]] = []  # (last referred at, speaker), most recent last
        last_direct: tuple[Claim, _Candidate] | None = None
        for cand in candidates:
            speaker: Speaker | None = None
            source_ev: Evidence | None = None
            cue, cue_ev, stance, extra = cand.cue, cand.cue_ev, cand.stance, []
            if cand.continues:
                # A quote with no cue: the same speaker as the quote right before
                # it when only an attribution and white space separate them.
                if last_direct is None:
                    continue
                prev, prev_cand = last_direct
                if doc.text[prev_cand.end : cand.start].strip(" \t\n.,;:"):
                    continue
                speaker = replace(prev.speaker) if prev.speaker else None
                cue, cue_ev, stance = prev.cue, prev.cue_evidence, prev.stance
                if cue_ev is not None:
                    extra.append(cue_ev)
                cand.mention = None
            elif cand.mention is not None:
                speaker = self._resolved(cand.mention, named, people)
                source_ev = self._source_evidence(doc, cand)
            claim = Claim(
                id=doc.new_id("cl"),
                document_id=doc.id,
                speaker=speaker,
                cue=cue,
                stance=stance,
                content=cand.text or _clean_content(cand.content_ev.text),
                direct=cand.direct,
                evidence=[doc.evidence(cand.start, cand.end), *extra],
                cue_evidence=cue_ev,
                content_evidence=cand.content_ev,
                source_evidence=source_ev,
                channel=cand.channel,
            )
            if stance == "deny":
                claim.denies = self._denied(claim, cand, claims, meta)
            claims.append(claim)
            meta.append(cand)
            if cand.direct:
                last_direct = (claim, cand)
        return claims

    @staticmethod
    def _source_evidence(doc: Document, cand: _Candidate) -> Evidence | None:
        """The whole source noun phrase, cut where a misparse runs it into the cue or
        the content ("X, Y's opponent, called Friday for ..." is not all source)."""
        assert cand.mention is not None
        start, end = cand.mention.span
        for ev in (cand.cue_ev, cand.content_ev):
            if ev is not None and start < ev.start < end:
                end = ev.start
            if ev is not None and start < ev.end <= end and ev.start <= start:
                start = ev.end
        text = doc.text
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start] in " \t\n,":
            start += 1
        return doc.evidence(start, end) if end > start else None

    @staticmethod
    def _resolved(
        mention: _Mention, named: list[tuple[int, _Mention]], people: list[tuple[int, _Mention]]
    ) -> Speaker:
        sp = mention.speaker
        at = mention.span[0]
        antecedent: tuple[int, _Mention] | None = None
        if mention.pronoun is not None:
            want = "person" if mention.pronoun in _PERSON_PRONOUNS else "org"
            pool = [(p, m) for p, m in named if m.kind == want]
            if want == "person":
                pool += [(p, m) for p, m in people if p < at]
            antecedent = max(pool, key=lambda pm: pm[0], default=None)
        elif mention.nominal is not None:
            noun = mention.nominal
            for p, m in reversed(named):
                if m.speaker.role == noun or (m.kind == "org" and noun in m.speaker.name.lower()):
                    antecedent = (p, m)
                    break
        if antecedent is None:
            if mention.pronoun is None:
                named.append((at, mention))
            return sp
        if antecedent in named:
            named.remove(antecedent)
        named.append((at, antecedent[1]))  # the last one referred to is the likeliest next
        base = antecedent[1].speaker
        return Speaker(
            name=base.name,
            role=base.role,
            affiliation=base.affiliation,
            evidence=[sp.evidence[0], *base.evidence],
        )

    @staticmethod
    def _denied(
        claim: Claim, cand: _Candidate, claims: list[Claim], meta: list[_Candidate]
    ) -> str | None:
        """The earlier claim this denial answers, when the text makes it clear."""
        speaker_lemmas = set()
        if claim.speaker is not None:
            speaker_lemmas = {w.lower() for w in claim.speaker.name.split()} - {"the"}
        for prev, pm in zip(reversed(claims), reversed(meta), strict=True):
            if prev.stance not in ("accuse", "assert"):
                continue
            same_act = bool(cand.content_verbs & pm.content_verbs)
            about_target = bool(speaker_lemmas & pm.target)
            denies_charge = bool(cand.content_lemmas & _DENIED_NOUNS) and prev.stance == "accuse"
            shared_thing = bool(cand.content_lemmas & pm.content_lemmas)
            if (same_act and (about_target or shared_thing)) or (denies_charge and about_target):
                return prev.id
        return None

    # -- evidence helpers --------------------------------------------------

    def _tokens_evidence(
        self, doc: Document, offset: int, tokens: list[Any], trim: bool = True
    ) -> Evidence | None:
        if not tokens:
            return None
        toks = sorted(tokens, key=lambda t: t.i)
        if trim:
            while toks and (toks[0].lower_ in _LEAD_TRIM or toks[0].is_space):
                toks.pop(0)
            while toks and (
                toks[-1].text in _TRIM or toks[-1].text in _SENT_END or toks[-1].is_space
            ):
                toks.pop()
        if not toks:
            return None
        start, end = offset + toks[0].idx, offset + toks[-1].idx + len(toks[-1].text)
        if trim:
            end = self._close_quote(doc.text, start, end)
        return doc.evidence(start, end)

    @staticmethod
    def _close_quote(text: str, start: int, end: int) -> int:
        """`end` moved over the closing mark (and the punctuation before it) of a
        quotation that opens inside the content: `is "spiraling out of control."`."""
        piece = text[start:end]
        straight = piece.count('"') + piece.count("''")
        if straight % 2 == 0 and piece.count("“") + piece.count("``") <= piece.count("”"):
            return end
        m = _CLOSING.match(text, end)
        return m.end() if m else end

    @staticmethod
    def _trimmed_evidence(doc: Document, start: int, end: int) -> Evidence | None:
        text = doc.text
        while start < end and (text[start].isspace()):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
            end -= 1
        return doc.evidence(start, end) if end > start else None
