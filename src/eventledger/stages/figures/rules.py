"""Counts of people (killed, injured, abducted, displaced ...) found by
patterns and read through the dependency parse.

A number phrase is found by one precompiled regular expression per sentence
(digits, number words, ranges, qualifiers, vague quantities); the parse then
gives the counted noun (its group) and the governing word (its kind). A number
that is not a count of people (a year, a date, an age, money, a percentage, a
unit name such as "Brigade 17") is skipped.

Value conventions (the vague words and their ACLED `best` values are listed
with their sources in `data/taxonomy.toml`):

- "12" -> [12, 12]; "between 20 and 30", "20 to 30", "20-30" -> [20, 30], best 20
  (ACLED codes the lowest figure of a range).
- "at least 12" -> [12, open), best 12; "more than 14,000" -> [14001, open),
  approximate, best 14000.
- "up to 50" -> [0, 50], approximate, best None: only an upper bound is given
  (eventledger's convention).
- "nearly/almost 100" -> [None, 99], approximate, best 99 (convention).
- "about/around/some 40" -> [40, 40], approximate, best 40.
- "a quarter of the population" -> min = max = 0.25 with group
  "population_share": the value is a share, not a head count (convention,
  until Figure gets a unit field).
- "a nurse was abducted" -> [1, 1]: an article before a people noun counts one
  person, only when the clause gives a kind (never an "other" count).

Kind conventions:
- a subset takes the kind of its head count ("15 bodies, among them six
  children": killed), and a head count the kind told only of its subset;
- "20 of them" takes the kind of the latest count with a kind (this sentence
  or an earlier one);
- people "under the rubble" are missing; people "moved into corridors",
  "in the waiting room" are present.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from eventledger.data import load_toml
from eventledger.models import Claim, Figure
from eventledger.pipeline import Document, Sentence, register
from eventledger.stages.annotate.parse_fixes import unparsed_speakers

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = ["Count", "FigureRules", "load_taxonomy", "parse_count"]

_UNITS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_WORD = (
    rf"(?:(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(list(_UNITS)[1:10])}))?"
    rf"|{'|'.join(sorted(_UNITS, key=len, reverse=True))})"
)
# A number: digits (thousands separators, decimals with a scale) or words,
# optionally scaled ("three hundred", "two dozen", "a dozen", "1.2 million").
_NUMBER = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)(?:\s(?:million|thousand))?(?![\w%:/])"
    rf"|(?:(?:{_WORD}|an?)\s(?:dozen|hundred|thousand|million)"
    rf"(?:\s(?:and\s)?{_WORD})?|{_WORD})\b"
)
_FRACTIONS = {"a quarter": 0.25, "a third": 1 / 3, "half": 0.5, "a half": 0.5, "two thirds": 2 / 3}
# "one of the deadliest attacks since the coup", "the worst in years": a
# comparison with the period, not a count over it
_COMPARISON = re.compile(
    r"\b(?:deadliest|bloodiest|worst|biggest|largest|heaviest|highest|first|most\s+\w+)\b"
    r"[^,;]*$",
    re.IGNORECASE,
)
_SHARE_RE = re.compile(
    r"\b(?P<frac>a quarter|a third|a half|half|two thirds|(?P<pct>\d+(?:\.\d+)?)\s?(?:%|per ?cent))"
    r"\s+of\s+(?:the\s+|its\s+|their\s+)?(?:\w+\s+)?(?P<noun>population|residents|inhabitants)\b",
    re.IGNORECASE,
)
# Left context that makes a number something other than a head count.
# A participle of harm right before a count ("killing at least 11 people").
_PARTICIPLE_KINDS = {
    "killing": "killed",
    "wounding": "injured",
    "injuring": "injured",
    "kidnapping": "hostages",
    "abducting": "hostages",
    "displacing": "displaced",
}
_KIND_VERB_BEFORE = re.compile(
    r"\b(" + "|".join(_PARTICIPLE_KINDS) + r")\s+"
    r"(?:(?:at least|more than|over|about|around|nearly|almost|some|up to)\s+)?$",
    re.IGNORECASE,
)
_SKIP_BEFORE = re.compile(
    rf"(?:\bno\s|\baged?|\bages|\bno\.|\bnumber|\bnr\.|\broute|\bunit|[$€£¥]|\b(?:{_MONTHS})\.?)\s*$",
    re.IGNORECASE,
)
_SKIP_AFTER = re.compile(
    # "a four-story building", "a two-hour gunfight": a measure, not a count
    rf"^(?:-(?:stor(?:e?y|ies)|floors?|hours?|days?|weeks?|months?|minutes?|metres?|meters?|"
    rf"km|kilomet(?:re|er)s?|mile|man|bed|room|lane)\b|"
    rf"-?\s?years?[- ]old|-year|\s?years?\b|\s?%|\s?per ?cent|\s?(?:a\.?m\.?|p\.?m\.?)\b"
    rf"|\s?o'clock|\s?(?:dollars|euros|pounds|usd|eur|gbp|km|kilomet|metres|meters|miles|kg)"
    rf"|(?:st|nd|rd|th)\b|\s(?:{_MONTHS})\b|\s?(?:beds|homes|houses|buildings|trucks|rockets|missiles)"
    # "the 444 Brigade", "the 444's commander": a unit's name, not a count
    rf"|['’]s\b|\s(?-i:Brigade|Battalion|Division|Regiment|Squadron|Corps|Company|Unit)\b)",
    re.IGNORECASE,
)


# "a"/"an" before a counted noun: one person (the vague-word group never matches).
_ARTICLE = re.compile(r"\b(?P<num>an?)(?P<vague>(?!x)x)?(?P<lo>(?!x)x)?(?P<lo2>(?!x)x)?\s", re.I)
# Speakers that name nobody: "It is estimated that ...", "There were reports ...".
_EMPTY_SPEAKERS = frozenset({"it", "there", "this", "that", "casualties"})
# Kind words that are verbs only: "rounds of gunfire", "a house" count no one.
_VERB_ONLY_KINDS = frozenset({"round", "house", "move", "stay", "remain", "leave", "treat"})
# What marks a count as part of the one before it: "12 killed, including three
# paramedics", "among them six children", "five of them children", "of whom".
_SUBGROUP_BEFORE = re.compile(
    r"\b(?:including|among(?:st)? (?:them|whom|the dead|the victims|those killed)|"
    # "the toll has risen to 50, it includes patients and six nurses"
    r"(?:it|they|which|this|that) (?:includes?|included)(?: \w+ and)?)"
    r"[\s,:]*(?:at least|more than|about|some|nearly)?\s*$",
    re.I,
)
# A verb form that counts the number after it: "kills at least 27", "wounding 12".
_VERB_BEFORE = re.compile(
    r"\b(kills|killed|killing|kill|wounds|wounded|wounding|injures|injured|injuring)\s+"
    r"(?:at\s+least\s+|more\s+than\s+|about\s+|nearly\s+|over\s+|some\s+|up\s+to\s+)?$",
    re.IGNORECASE,
)
# A count that is a share of people counted before: "Two of the dead were nurses".
_PARTITIVE = re.compile(
    r"\bof (?:the (?P<who>dead|victims|wounded|injured|killed|casualties)|those "
    r"(?P<who2>[a-z]+ed|hurt)|them|whom)\b",
    re.I,
)
# A sentence that opens on the people counted before and lists who was among
# them: "Among the dead were 12 children", "The victims included four nurses".
_AMONG_OPENING = re.compile(
    r"^\W*(?:among(?:st)? (?:the|those) (?P<a>dead|killed|victims|wounded|injured|casualties)\b"
    r"[^.;]*?\b(?:were|was|are|is)"
    r"|the (?P<b>dead|victims|wounded|injured|casualties) (?:included|include|includes))"
    r"\s+(?:at least |more than |about |some |nearly )?$",
    re.I,
)
_INCLUDING_BEFORE = re.compile(r"\b(?:including|among(?:st)? (?:them|whom))[\s,:]*$", re.I)
_COORDINATED = re.compile(r"^\s*(?:,|and|, and)\s*$")
_AMONG_KIND = {
    "dead": "killed", "killed": "killed", "wounded": "injured", "injured": "injured",
    "hurt": "injured",
}  # fmt: skip
_SUBGROUP_AFTER = re.compile(r"^\s*(?:of them|of whom|of those|of the dead|of the victims)\b", re.I)


# Verbs by which a source gives a toll: "reports put the death toll at 100".
_TOLL_VERBS = frozenset({"put", "place", "estimate", "set", "give", "raise", "revise", "fix"})


_PRONOUNS = frozenset({"it", "they", "he", "she", "we", "i"})


def _claim_before(claims: list[Claim], start: int) -> Claim | None:
    """The claim whose evidence ends last before `start` (only asked for a toll
    given by "it" or "they", so a scan is cheap enough)."""
    told = [(max(e.end for e in c.evidence), c) for c in claims if c.evidence]
    told = [t for t in told if t[0] <= start]
    return max(told, key=lambda t: t[0])[1] if told else None


# ", with more than 70 injured" after a toll: the same source's count
_WITH_AFTER = re.compile(r"^\s*,?\s*with\s+(?:more\s+than|at\s+least|over|about|nearly|some)?\s*$")


def _toll_giver(
    span: Any, offset: int, fig: Figure, before: Callable[[], Claim | None] | None = None
) -> dict[str, Any] | None:
    """Who gives a toll with "<source> put the death toll at N" (or "placed",
    "estimated"): the verb's subject, when no claim holds the figure; for "it"
    or "they", the speaker of the claim told just `before` the sentence ("The
    White Helmets said ... It put the death toll at nine")."""
    ev = fig.evidence[0]
    toks = [t for t in span if offset + t.idx >= ev.start and offset + t.idx < ev.end]
    for t in toks[:1]:
        cur = t
        for _ in range(7):
            if cur.head is cur:
                break
            cur = cur.head
            if cur.pos_ in ("VERB", "AUX"):
                if cur.dep_ == "acl" and cur.lemma_.lower() not in _TOLL_VERBS:
                    continue  # "put the number of people kidnapped at five"
                if cur.lemma_.lower() not in _TOLL_VERBS:
                    break
                objs = [c for c in cur.children if c.dep_ == "dobj"]
                if not any(o.lemma_.lower() in ("toll", "number", "figure", "count") for o in objs):
                    break
                subj = next((c for c in cur.children if c.dep_ == "nsubj"), None)
                if subj is None and cur.dep_ == "conj":
                    # "a security source confirmed the attack but put the toll at 14"
                    subj = next((c for c in cur.head.children if c.dep_ == "nsubj"), None)
                if subj is not None and subj.lower_ in ("it", "they") and before is not None:
                    claim = before()
                    sp = claim.speaker if claim is not None else None
                    if sp is None or sp.name.lower() in _EMPTY_SPEAKERS | _PRONOUNS:
                        break
                    return {
                        "name": sp.normalized or sp.name,
                        "type": sp.type,
                        "as_written": sp.name,
                    }
                if subj is None or subj.pos_ == "PRON":
                    break
                words = span.doc[subj.left_edge.i : subj.right_edge.i + 1]
                return {"name": words.text, "type": "unknown", "as_written": words.text}
    return None


def _elliptic_share(anchor: Any, span: Any, before: str) -> bool:
    """Whether a bare number after "including" is a share of the count before it,
    told by where ("killed 30, including 12 in a strike on a school")."""
    j = anchor.i + 1
    return (
        bool(_INCLUDING_BEFORE.search(before))
        and j < span.end
        and anchor.doc[j].lower_ in ("in", "at", "on", "near", "inside")
    )


# "including 12 in a strike on a school", "including 15 in a school": the share
# one attack, or one place hit, took
_ONE_DEED_AFTER = re.compile(
    r"\s+(?:in|at|on)\s+(?:an?|one|a\s+single)\s+(?:[\w\-]+\s+){0,2}?"
    r"(?:strike|airstrike|attack|raid|bombing|blast|explosion|shelling|assault|"
    r"school|hospital|clinic|mosque|church|market|house|home|building|shelter|tent)\b",
    re.IGNORECASE,
)


def _link_subgroups(figures: list[tuple[Figure, Any, Any]], text: str, base: int) -> None:
    """Point each subgroup figure at its total (`part_of`): a subgroup names who
    among the counted people (children, health workers) and is never a total."""
    for i in range(1, len(figures)):
        sub = figures[i][0]
        ev = sub.evidence[0]
        between_start = figures[i - 1][0].evidence[0].end - base
        before = text[between_start : ev.start - base]
        after = text[ev.end - base : ev.end - base + 20]
        inside = sub.text
        marked = (
            _SUBGROUP_BEFORE.search(before)
            or _SUBGROUP_AFTER.match(after)
            or re.search(r"\b(?:of them|of whom)\b", inside, re.I)
        )
        if not marked:
            continue
        # the nearest earlier count of the same kind (or any kind) that can hold it
        for head, _, _ in reversed(figures[:i]):
            if head.part_of is not None:
                continue
            if sub.kind not in ("other", head.kind) and head.kind != "other":
                continue
            if head.min is not None and sub.min is not None and sub.min > head.min:
                continue
            sub.part_of = head.id
            if sub.kind == "other":
                sub.kind = head.kind
            break


# What befalls some of the people counted before that is not their kind: "60
# abducted ... twelve of them escaped" are no longer hostages.
_SPARED = frozenset({"escape", "free", "release", "rescue", "survive", "return"})


def _verb_lemma(tok: Any) -> str | None:
    """The lemma of the nearest verb above `tok` (within four heads)."""
    cur = tok
    for _ in range(4):
        if cur.head is cur:
            return None
        cur = cur.head
        if cur.pos_ == "VERB":
            return str(cur.lemma_.lower())
    return None


def _spared(sent: Any, fig: Figure) -> bool:
    """Whether what the figure's clause tells of its people is `_SPARED`."""
    start = fig.evidence[0].start if fig.evidence else -1
    tok = next((t for t in sent.span if sent.offset + t.idx == start), None)
    return tok is not None and _verb_lemma(tok) in _SPARED


def _subject_count(verb: Any) -> bool:
    """Whether the verb's subject is a bare number in a clause of its own ("... and
    two were detained"); a gapped "... were killed and 23 wounded" says no more."""
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.like_num for c in verb.children) and any(
        c.dep_ in ("aux", "auxpass") for c in verb.children
    )


def _counted_noun(tok: Any) -> Any:
    """The noun a count or its modifier hangs from ("20" -> "people")."""
    while tok.dep_ in ("nummod", "quantmod", "compound") and tok.head is not tok:
        tok = tok.head
    return tok


def _object_read_as_speaker(head: Any) -> Any:
    """ "An air strike ... killed at least 20 people, including children, who had
    taken shelter there, a group said": the parse makes the count the subject of
    the trailing "said" and the deed its clause; the count right after that deed,
    which has no object of its own, is the deed's object. The verb, or None."""
    noun = _counted_noun(head)
    speech = noun.head
    if noun.dep_ != "nsubj" or speech.pos_ != "VERB" or speech.i < noun.i:
        return None
    for deed in speech.children:
        if (
            deed.dep_ == "ccomp"
            and deed.pos_ == "VERB"
            and deed.i < noun.i
            and not any(c.dep_ in ("dobj", "auxpass") for c in deed.children)
            and all(
                t.dep_ in ("advmod", "quantmod", "nummod", "det", "amod") or t.is_punct
                for t in deed.doc[deed.i + 1 : noun.left_edge.i]
            )
        ):
            return deed
    return None


def _subjectless_verb_after(head: Any) -> Any:
    """The verb right after `head`'s phrase (past commas, auxiliaries and adverbs)
    when it is a conjunct with no subject of its own, else None."""
    doc, end = head.doc, head.sent.end
    i = head.right_edge.i + 1
    while i < end and doc[i].dep_ in ("punct", "aux", "auxpass", "advmod", "neg"):
        i += 1
    if i >= end:
        return None
    verb = doc[i]
    if verb.pos_ != "VERB" or verb.dep_ != "conj":
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return None
    return verb


def _has_object(verb: Any) -> bool:
    """Whether the verb has a direct object of its own clause; "one medic killed,
    two injured" (a list the parser may read as verb and object) has none."""
    doc = verb.doc
    return any(
        c.dep_ == "dobj" and not any(t.is_punct for t in doc[verb.i + 1 : c.i])
        for c in verb.children
    )


def _described(gov: Any) -> bool:
    """Whether a count's kind comes from a relative clause on its noun."""
    cur = gov
    for _ in range(3):
        if cur is None:
            return False
        if cur.dep_ == "relcl":
            return True
        if cur.head is cur:
            return False
        cur = cur.head
    return False


def _conjuncts(figures: list[tuple[Figure, Any, Any]], span: Any, shift: int) -> dict[int, Figure]:
    """Counts coordinated with an earlier one ("including 12 children and four
    nurses", "30 killed in the market and 10 in the camp"): each takes the
    earlier count's kind when it has none and its total when it has one.
    Returns figure index -> the count it is coordinated with, for its source.
    `shift` turns a figure's offset into its paragraph-relative character."""
    heads = []
    at: dict[int, Any] | None = None  # tokens by char, built once: a long sentence stays linear
    for fig, noun, _ in figures:
        tok = noun
        if tok is None:
            if at is None:
                at = {t.idx: t for t in span}
            tok = at.get(fig.evidence[0].start - shift)
            # a number in a phrase ("at least 3 pupils") stands for its noun
            for _ in range(3):
                if tok is None or tok.dep_ not in ("nummod", "quantmod") or tok.head is tok:
                    break
                tok = tok.head
        heads.append(tok)
    out: dict[int, Figure] = {}
    for i in range(1, len(figures)):
        tok = heads[i]
        if tok is None or tok.dep_ != "conj":
            continue
        # the coordinated word, or the word it modifies ("30 killed ... and 10 ...")
        near = {c.i for c in tok.conjuncts} | {c.head.i for c in tok.conjuncts}
        for j in range(i - 1, -1, -1):
            if heads[j] is not None and heads[j].i in near:
                fig, prev = figures[i][0], figures[j][0]
                if fig.kind == "other" and prev.kind != "other":
                    fig.kind = prev.kind
                elif prev.kind == "other" and fig.kind != "other":
                    prev.kind = fig.kind  # "4 teachers and 3 pupils killed"
                if (
                    fig.part_of is None
                    and prev.part_of is not None
                    and prev.kind == fig.kind
                    and prev.part_of != fig.id
                ):
                    fig.part_of = prev.part_of
                out[i] = prev
                break
    return out


# Kinds of harm done to people: the active subject of such a verb did it.
_HARMS = frozenset({"killed", "injured", "hostages", "detained"})
# Verbs whose complement, not their lemma, gives a count's kind.
_LIGHT_VERBS = frozenset({"remain", "stay", "leave", "be", "keep", "believe", "feel"})
# Words that put the counted people under collapsed buildings: missing (ACLED
# and the health authorities count them apart from the confirmed dead).
_BURIED = frozenset({"rubble", "debris"})
# What is done to the living under the rubble.
_RESCUED = frozenset({"rescue", "pull", "free", "extract", "extricate", "save", "dig"})
# What "were taken" goes on with when it is no abduction.
_TAKEN_TO = frozenset({"to", "into", "in", "for", "away", "under", "off", "up", "over", "out"})
# Counted nouns that refer back to an earlier count ("20 of them").
_BACK_REFERENCES = frozenset({"them", "those", "whom", "they", "these"})
# "another" right before a bare number: more of the people counted before.
_ANOTHER = re.compile(r"\banother\s+$", re.I)
# Words between a head count and a subset of it ("15 bodies, among them six children").
_SUBSET = re.compile(
    r"^[\s,;:(]*(?:among(?:st)? (?:them|whom)|including|of them|of whom|and)?[\s,]*$", re.I
)


def _token_index(span: Any, char: int) -> int:
    """Doc index of the token of `span` starting at paragraph char `char` (-1 if none)."""
    return next((t.i for t in span if t.idx == char), -1)


def _determines(span: Any, char: int, noun: Any) -> bool:
    """Whether the article at `char` is the determiner of `noun`."""
    i = _token_index(span, char)
    return i >= 0 and span.doc[i].dep_ == "det" and span.doc[i].head.i == noun.i


@dataclass(frozen=True, slots=True)
class Count:
    """A parsed count: bounds (None = open), whether approximate, and ACLED's best value."""

    min: float | None
    max: float | None
    approximate: bool
    best: float | None


def load_taxonomy() -> dict[str, Any]:
    """The packaged taxonomy (data/taxonomy.toml), parsed once per process."""
    return load_toml("taxonomy.toml")


# More than everyone alive: a number this large counts no people (and an
# integer over 2**63 is one SQLite cannot store).
_MAX_COUNT = 10**10


def _words_value(text: str) -> float | None:
    total, current, seen, last_unit = 0.0, 0.0, False, False
    for w in re.split(r"[\s-]+", text.lower().replace(",", "")):
        if not w or w == "and":
            continue
        if re.fullmatch(r"\d+(?:\.\d+)?", w):
            current += float(w)
        elif w in _UNITS:
            if last_unit:
                return None  # "five-two" is not a number
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w in ("a", "an"):
            current += 1
        elif w == "dozen":
            current = (current or 1) * 12
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in _SCALES:
            total += (current or 1) * _SCALES[w]
            current = 0
        else:
            return None
        seen = True
        last_unit = w in _UNITS or w.isdigit()
    if not seen:
        return None
    value = total + current
    if not value <= _MAX_COUNT:  # inf and nan too: no toll is larger than humanity
        return None
    return int(value) if value == int(value) else value


class _Vocabulary:
    """Qualifier and vague-word tables plus the compiled phrase pattern."""

    def __init__(self, taxonomy: dict[str, Any]) -> None:
        fig = taxonomy["figures"]
        self.qualifiers: dict[str, str] = {}
        for kind, phrases in fig["qualifiers"].items():
            for p in phrases:
                self.qualifiers[p.lower()] = kind
        self.vague: dict[str, Count] = {
            word: Count(v["min"], None if v["max"] < 0 else v["max"], True, v.get("best"))
            for word, v in fig["vague"].items()
        }
        qual = "|".join(re.escape(q) for q in sorted(self.qualifiers, key=len, reverse=True))
        vague = "|".join(
            re.escape(w) for w in sorted(self.vague, key=len, reverse=True) if w != "many"
        )
        # "many" only when the counted noun follows, checked later.
        # never from the minutes of a clock time ("10:20 – Three people ...")
        self.pattern = re.compile(
            rf"\b(?<!\d:)(?:(?P<qual>{qual})\s+)?(?:"
            rf"between\s+(?P<lo>{_NUMBER})\s+and\s+(?P<hi>{_NUMBER})"
            rf"|(?P<lo2>{_NUMBER})\s*(?:to|-|–|or)\s*(?P<hi2>{_NUMBER})"
            rf"|(?P<num>{_NUMBER})"
            rf"|(?P<vague>{vague}|many)\b)",
            re.IGNORECASE,
        )

    def count(self, m: re.Match[str]) -> Count | None:
        """The Count a phrase match stands for, or None when it does not parse."""
        qual = self.qualifiers.get((m.group("qual") or "").lower())
        if m.group("vague"):
            word = m.group("vague").lower()
            return self.vague[word]
        lo_text = m.group("lo") or m.group("lo2")
        num_text = m.group("num")
        if lo_text:
            lo = _words_value(lo_text)
            hi = _words_value(m.group("hi") or m.group("hi2"))
            if lo is not None and hi is not None and hi < lo and m.group("lo2"):
                # "twenty-five" is one number, not the range 20-5
                num_text = m.group(0)[m.start("lo2") - m.start() :]
            elif lo is None or hi is None or hi < lo:
                return None
            else:
                return Count(lo, hi, qual is not None, lo)
        n = _words_value(num_text)
        if n is None:
            return None
        if qual == "at_least":
            return Count(n, None, False, n)
        if qual == "more_than":
            return Count(n + 1, None, True, n)
        if qual == "up_to":
            return Count(0, n, True, None)
        if qual == "nearly":
            return Count(None, n - 1, True, n - 1)
        if qual == "about":
            return Count(n, n, True, n)
        return Count(n, n, False, n)


@lru_cache(maxsize=1)
def _default_vocabulary() -> _Vocabulary:
    return _Vocabulary(load_taxonomy())


def parse_count(text: str) -> Count | None:
    """Parse a whole count phrase ("at least 12", "dozens", "20-30"); None if it is not one."""
    vocab = _default_vocabulary()
    m = vocab.pattern.fullmatch(text.strip())
    return vocab.count(m) if m else None


def _lexicon(table: dict[str, list[str]]) -> dict[str, str]:
    return {w.lower(): key for key, words in table.items() for w in words}


@register("figures.rules.v1")
class FigureRules:
    """Find counts of people in every sentence and file them as `doc.figures`."""

    requires: tuple[str, ...] = ("doc.sentences", "doc.claims", "doc.dates")
    assigns: tuple[str, ...] = ("doc.figures",)

    def __init__(self, settings: Settings) -> None:
        taxonomy = load_taxonomy()
        self.taxonomy_version = taxonomy["version"]
        self.vocab = _default_vocabulary()
        self.kinds = _lexicon(taxonomy["figures"]["kinds"])
        groups = _lexicon(taxonomy["figures"]["groups"])
        self.people = {w for w, g in groups.items() if g == "people"}
        self.groups = {w: g for w, g in groups.items() if g != "people"}
        self.cumulative = re.compile(
            "|".join(f"(?:{c})" for c in taxonomy["figures"]["cumulative"]["cues"]),
            re.IGNORECASE,
        )

    def __call__(self, doc: Document) -> Document:
        published = (doc.article.published or "")[:10] or None
        last: Figure | None = None  # the latest count with a kind, for "20 of them"
        totals: dict[str, Figure] = {}  # the latest total of each kind, for "two of the dead"
        claims_of = _claims_by_sentence(doc)
        for i, sent in enumerate(doc.sentences):
            found = [
                f
                for f in self._sentence(doc, sent, published, last, claims_of.get(i, []))
                if not self._acted_on(sent, f)
            ]
            for fig in found:
                share = _PARTITIVE.search(fig.text)
                kind = fig.kind
                if share is not None and kind == "other":
                    # "ten of those killed were soldiers": the phrase says of whom
                    who = (share.group("who") or share.group("who2") or "").lower()
                    kind = (
                        _AMONG_KIND.get(who) or self.kinds.get(who) or (last.kind if last else "")
                    )
                head = totals.get(kind)
                if (
                    fig.part_of is None
                    and head is not None
                    and share is not None
                    and (head.min is None or fig.min is None or fig.min <= head.min)
                ):
                    fig.part_of = head.id  # a share of a total told before
                    if not _spared(sent, fig):
                        fig.kind = head.kind
                if fig.part_of is None and fig.evidence:
                    self._among_total(doc, sent.start, fig, totals, last, found)
            doc.figures.extend(found)
            totals.update((f.kind, f) for f in found if f.part_of is None and f.kind != "other")
            last = next((f for f in reversed(found) if f.kind != "other"), last)
        return doc

    def _acted_on(self, sent: Any, fig: Figure) -> bool:
        """Whether a back-reference count is what a verb of no kind acts on
        ("looted the trucks and set one of them on fire"): the trucks, not a
        count of the people told before ("killed two of them" is one)."""
        if not _PARTITIVE.search(fig.text) or not re.search(r"\b(?:them|those)\b", fig.text):
            return False
        start = fig.evidence[0].start if fig.evidence else -1
        tok = next((t for t in sent.span if sent.offset + t.idx == start), None)
        if tok is None or tok.dep_ != "dobj" or tok.head.pos_ != "VERB":
            return False
        verb = tok.head
        return verb.lemma_.lower() not in self.kinds and verb.lower_ not in self.kinds

    @staticmethod
    def _among_total(
        doc: Document,
        sent_start: int,
        fig: Figure,
        totals: dict[str, Figure],
        last: Figure | None,
        found: list[Figure],
    ) -> None:
        """A count that a sentence lists among the people counted before ("Among the
        dead were 12 children"): a share of the latest total of that kind ("the
        victims": of the latest total of any kind), never a total of its own; so
        are the counts coordinated with it ("12 children and five women")."""
        start = fig.evidence[0].start
        m = _AMONG_OPENING.match(doc.text[sent_start:start])
        prev = [f for f in found if f.evidence and f.evidence[0].end <= start]
        if m is None and prev and prev[-1].part_of is not None:
            # "..., 12 children and five women": the share of the count it follows
            gap = doc.text[prev[-1].evidence[0].end : start]
            if _COORDINATED.match(gap) and fig.kind in (prev[-1].kind, "other"):
                fig.part_of, fig.kind = prev[-1].part_of, prev[-1].kind
            return
        if m is None:
            return
        word = (m.group("a") or m.group("b")).lower()
        kind = _AMONG_KIND.get(word)
        head = totals.get(kind) if kind else (totals.get(fig.kind) or last)
        if head is None or head.part_of is not None:
            return
        if head.min is not None and fig.min is not None and fig.min > head.min:
            return
        fig.part_of = head.id
        fig.kind = head.kind

    # -- one sentence -----------------------------------------------------

    def _sentence(
        self,
        doc: Document,
        sent: Sentence,
        published: str | None,
        last: Figure | None = None,
        claims: list[Claim] | None = None,
    ) -> list[Figure]:
        """The figures of one sentence; `claims` (default: all of the document's)
        are those that may hold them, in document order."""
        span = sent.span
        text = span.text
        base = span.start_char  # paragraph-relative offset of the sentence
        figures: list[tuple[Figure, Any, Any]] = []  # figure, counted noun, governing word
        cumulative = any(
            not _COMPARISON.search(text[max(0, m.start() - 60) : m.start()])
            for m in self.cumulative.finditer(text)
        )
        taken: list[tuple[int, int]] = []
        for m in _SHARE_RE.finditer(text):
            share = (
                float(m.group("pct")) / 100
                if m.group("pct")
                else _FRACTIONS[m.group("frac").lower()]
            )
            noun = self._token_at(span, base + m.start("noun"))
            kind, gov = self._kind(noun) if noun is not None else ("other", None)
            fig = self._figure(
                doc,
                sent,
                m.start(),
                m.end(),
                Count(share, share, True, None),
                kind,
                "population_share",
                cumulative,
                published,
            )
            figures.append((fig, noun, gov))
            taken.append((m.start(), m.end()))
        for m in self.vocab.pattern.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            if _SKIP_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
                continue
            if _SKIP_AFTER.match(text[m.end() : m.end() + 14]):
                continue
            count = self.vocab.count(m)
            if count is None:
                continue
            found = self._read(span, base + m.start(), base + m.end(), m)
            if found is None:
                continue
            noun, end_char, kind, gov, group = found
            if kind == "other" and (verb := _KIND_VERB_BEFORE.search(text[: m.start()])):
                # "..., killing at least 11 people and burning homes, police and
                # residents said": the small model hangs the count on "said";
                # the participle right before it says what befell them
                kind = _PARTICIPLE_KINDS[verb.group(1).lower()]
            fig = self._figure(
                doc, sent, m.start(), end_char - base, count, kind, group, cumulative, published
            )
            if noun is None and _ONE_DEED_AFTER.match(text, m.end()):
                # "30 killed across the Gaza Strip, including 12 in a strike on a
                # school": that one attack's toll
                fig.scope, fig.as_of = "incident", None
            figures.append((fig, noun, gov))
        listed_end: int | None = None  # where the last count listed after "including" ends
        for m in _ARTICLE.finditer(text):
            # "a nurse was abducted": one person, when the clause says what befell them
            if any(s <= m.start() < e for s, e in taken):
                continue
            found = self._read(span, base + m.start(), base + m.end(), m)
            if found is None or found[0] is None:
                continue
            prev = max(
                (f for f, _, _ in figures if f.evidence[0].end - base <= m.start()),
                key=lambda f: f.evidence[0].end,
                default=None,
            )
            listed = (
                # "killed five people, including a paramedic (and a nurse)": one of
                # the count before it, whose kind it takes when linked to it
                figures
                and found[4] is not None
                and (
                    _INCLUDING_BEFORE.search(text[: m.start()])
                    or (listed_end is not None and _COORDINATED.match(text[listed_end : m.start()]))
                    # "including 13 children and a nurse": listed after a listed count
                    or (
                        prev is not None
                        and _INCLUDING_BEFORE.search(text[: prev.evidence[0].start - base])
                        and _COORDINATED.match(text[prev.evidence[0].end - base : m.start()])
                    )
                )
            )
            joined = (
                # "shot dead two vaccinators and a physician": one more of that kind
                prev is not None
                and prev.kind != "other"
                and found[4] is not None
                and _COORDINATED.match(text[prev.evidence[0].end - base : m.start()])
            )
            if found[2] == "other" and not (listed or joined):
                continue
            noun, end_char, kind, gov, group = found
            if kind == "other" and joined and prev is not None:
                kind = prev.kind
            if not _determines(span, base + m.start(), noun) or noun.dep_ == "poss":
                continue  # "a patient's relatives" count the relatives, not the patient
            fig = self._figure(
                doc,
                sent,
                m.start(),
                end_char - base,
                Count(1, 1, False, 1),
                kind,
                group,
                cumulative,
                published,
            )
            figures.append((fig, noun, gov))
            if listed:
                listed_end = end_char - base
        figures.extend(self._one_more_each(doc, sent, figures, cumulative, published))
        speakers = unparsed_speakers(span)
        figures = [f for f in figures if f[1] is None or f[1].i not in speakers]
        figures.sort(key=lambda f: f[0].evidence[0].start)
        self._carry_group_to_others(figures, text, sent.start)
        self._inherit_kind(figures, text, sent.start, last)
        _link_subgroups(figures, text, sent.start)
        conjuncts = _conjuncts(figures, span, sent.start - base)
        for fig, _, gov in figures:
            if fig.kind == "displaced" and fig.scope == "incident" and _described(gov):
                # "the camps shelter 700,000 people who fled their homes": a
                # population, counted over the war, not the incident's toll
                fig.scope = "cumulative"
                fig.as_of = self._as_of(doc, sent, published)
        for k, (fig, noun, _) in enumerate(figures):
            self._attribute(doc.claims if claims is None else claims, fig, doc.text)
            if fig.claimant is None:
                fig.claimant = _toll_giver(
                    span, sent.offset, fig, lambda: _claim_before(doc.claims, sent.start)
                )
            if (
                fig.claimant is None
                and k
                and _WITH_AFTER.match(
                    doc.text[figures[k - 1][0].evidence[0].end : fig.evidence[0].start]
                )
            ):
                # "It put the death toll at nine, with more than 70 injured": one source
                prev = figures[k - 1][0]
                if prev.claimant is not None:
                    fig.claimant, fig.claim_id = dict(prev.claimant), prev.claim_id
            if fig.claimant is None and (prev := conjuncts.get(k)) is not None:
                # "with 30 killed in the market and 10 in the camp": one source
                if prev.claimant is not None:
                    fig.claimant, fig.claim_id = dict(prev.claimant), prev.claim_id
            if fig.claimant is None and noun is not None and noun.lower_ in ("others", "other"):
                # "..., officials say. At least 17 others were injured": the count
                # goes on from the one before it, and so does its source
                prev = figures[k - 1][0] if k else last
                if prev is not None and prev.claimant is not None:
                    fig.claimant, fig.claim_id = dict(prev.claimant), prev.claim_id
            total = next((f for f, _, _ in figures[:k] if f.id == fig.part_of), None)
            if fig.claimant is None and total is not None and total.claimant is not None:
                # "killed at least 40, officials said, including 12 in a school": a
                # share of the total, told by whoever told the total
                fig.claimant, fig.claim_id = dict(total.claimant), total.claim_id
        return [f for f, _, _ in figures]

    def _one_more_each(
        self,
        doc: Document,
        sent: Sentence,
        figures: list[tuple[Figure, Any, Any]],
        cumulative: bool,
        published: str | None,
    ) -> list[tuple[Figure, Any, Any]]:
        """ "An NGO doctor and ambulance driver were arrested": a singular people
        noun coordinated with a one-person count, with no article, number or
        possessive of its own, is one more person, of the same kind."""
        base = sent.span.start_char
        counted = {n.i for _, n, _ in figures if n is not None}
        more = []
        for fig, noun, gov in figures:
            if noun is None or (fig.min, fig.max) != (1, 1) or fig.kind == "other":
                continue
            for c in noun.children:
                if (
                    c.dep_ != "conj"
                    or c.i in counted
                    or c.tag_ != "NN"
                    or not self._is_people(c)
                    or any(g.dep_ in ("det", "nummod", "poss") for g in c.children)
                ):
                    continue
                start = min([c.idx, *(g.idx for g in c.lefts if g.dep_ in ("compound", "amod"))])
                end = c.idx + len(c.text)
                one = self._figure(
                    doc, sent, start - base, end - base, Count(1, 1, False, 1), fig.kind,
                    self._group(c), cumulative, published,
                )  # fmt: skip
                more.append((one, c, gov))
                counted.add(c.i)
        return more

    def _read(self, span: Any, start: int, end: int, m: re.Match[str]) -> Any:
        """(noun, phrase end char, kind, governor, group) for a number phrase, or None."""
        tokens = [t for t in span if t.idx < end and t.idx + len(t.text) > start]
        if not tokens:
            return None
        anchor = tokens[-1]
        first = tokens[0]
        prev = first.nbor(-1) if first.i > span.start else None
        # A number right after a proper name labels it ("Brigade 17", "Route 6").
        if prev is not None and prev.pos_ == "PROPN" and prev.text[:1].isupper() and m.group("num"):
            return None
        number_text = m.group(0)
        if re.fullmatch(r"(?:19|20)\d\d", number_text.strip()):
            return None  # a year
        noun = self._counted_noun(span, anchor)
        if noun is None:
            if m.group("vague") and m.group("vague").lower() == "many":
                return None
            noun_end = end
            head = anchor
        else:
            noun_end = max(end, noun.idx + len(noun.text))
            head = noun
            if not self._is_people(noun):
                return None
            if (
                noun.lemma_.lower() in ("family", "household")
                and noun.dep_ == "pobj"
                and noun.head.lower_ == "of"
                and noun.head.head.i not in {t.i for t in tokens}
            ):
                # "six members of one family": the family is no count of people
                # ("hundreds of families" is one)
                return None
        kind, gov = self._kind(head)
        # the few tokens before the number (a Doc's .text is rebuilt on each call)
        before = first.doc[max(span.start, first.i - 6) : first.i].text_with_ws
        if noun is None and (said := _VERB_BEFORE.search(before)):
            # "strike ... kills at least 27": the verb right before a bare number
            # says what befell them, whatever a headline's parse makes of it
            kind = "killed" if said.group(1).lower().startswith("kill") else "injured"
        if noun is None and kind == "other" and not _elliptic_share(anchor, span, before):
            return None  # a bare number with no people noun and no kind word: not a count
        group = self._group(noun) if noun is not None else None
        if noun is not None and group is None and noun.lemma_.lower() == "member":
            # "three members of a vaccination team": the members of a group are of it
            # (a team alone is no count of one health worker: "a medical team was hit")
            group = next(
                (
                    "health_workers"
                    for c in noun.children
                    if c.dep_ == "prep" and c.lower_ == "of"
                    for g in c.children
                    if g.dep_ == "pobj" and self._compound(g).lower() in _HEALTH_TEAMS
                ),
                None,
            )
        if noun is not None and group is None and _staffing_health_care(noun):
            group = "health_workers"  # "nine aid workers operating a hospital"
        if group is None:
            group = self._predicate_group(anchor)  # "two of the dead were nurses"
        return noun, noun_end, kind, gov, group

    @staticmethod
    def _token_at(span: Any, char: int) -> Any:
        for t in span:
            if t.idx <= char < t.idx + len(t.text):
                return t
        return None

    def _counted_noun(self, span: Any, anchor: Any) -> Any:
        """The noun counted by the number ending at `anchor`, or None (a bare number)."""
        j = anchor.i + 1
        doc = anchor.doc
        # "a 64-year-old woman": an age between the article and its noun
        if anchor.lower_ in ("a", "an") and j < span.end and doc[j].like_num:
            k = j + 1
            words = [t.lower_ for t in doc[k : min(k + 4, span.end)]]
            # "a 64-year-old woman", "a two-day-old baby", "a six-month-old girl"
            units = ("year", "years", "month", "months", "week", "weeks", "day", "days")
            for form in (*(["-", u, "-", "old"] for u in units), *([u, "old"] for u in units)):
                if words[: len(form)] == form:
                    j = k + len(form)
                    anchor = doc[j - 1]
                    break
        # up to five words on: "two male volunteer NGO health workers"
        while j < span.end and j - anchor.i <= 5:
            t = anchor.doc[j]
            if t.pos_ in ("NOUN", "PROPN", "PRON") and t.dep_ != "compound":
                if t.lower_ in ("of",):
                    break
                return self._apposed(t)
            if t.lower_ == "of":
                pobj = next((c for c in t.children if c.dep_ == "pobj"), None)
                return self._apposed(pobj) if pobj is not None else None
            if (
                t.pos_ == "ADJ"
                and t.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj", "appos")
                and (t.lower_ in self.groups or t.lower_ in self.people)
            ):
                return t  # "killing a paramedic", where the tagger read an adjective
            if t.pos_ in ("ADJ", "NOUN", "PROPN") or t.dep_ in ("compound", "amod"):
                if t.lower_ in self.kinds and t.pos_ == "ADJ":
                    return None  # "12 dead": the number is the argument
                j += 1
                continue
            break
        return None

    @staticmethod
    def _apposed(tok: Any) -> Any:
        # "five of them children": the group is named by the apposition.
        if tok is not None and tok.pos_ == "PRON":
            if tok.lower_ == "those":
                # "ten of those killed": the participle says who they are
                acl = next((c for c in tok.children if c.dep_ == "acl" and c.pos_ == "VERB"), None)
                if acl is not None:
                    return acl
            nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
            if nxt is not None and nxt.pos_ == "NOUN" and nxt.dep_ == "appos":
                return nxt
            if nxt is not None and nxt.pos_ == "NOUN" and tok.head.dep_ == "prep":
                return nxt
        return tok

    def _is_people(self, noun: Any) -> bool:
        lower, lemma = noun.lower_, noun.lemma_.lower()
        if lemma in _VERB_ONLY_KINDS or lower in _VERB_ONLY_KINDS:
            return False
        return (
            lower in self.people
            or lemma in self.people
            or lower in self.groups
            or lemma in self.groups
            or self._compound(noun) in self.groups
            or noun.ent_type_ == "NORP"
            or lower in self.kinds
            or lemma in self.kinds
        )

    @staticmethod
    def _compound(noun: Any) -> str:
        mods = [c.lower_ for c in noun.lefts if c.dep_ in ("compound", "amod")]
        return " ".join([*mods[-1:], noun.lower_])

    def _predicate_group(self, anchor: Any) -> str | None:
        """The group a copula gives the counted subject: "Two of the dead were
        nurses", "three of the wounded are children"."""
        subj = _counted_noun(anchor)
        verb = subj.head
        if subj.dep_ != "nsubj" or verb.lemma_.lower() != "be":
            return None
        for c in verb.children:
            if c.dep_ == "attr" and c.pos_ == "NOUN":
                return self._group(c)
        return None

    def _group(self, noun: Any) -> str | None:
        for key in (self._compound(noun), noun.lower_, noun.lemma_.lower()):
            if key in self.groups:
                if key in _STAFF_WORDS and not _health_context(noun):
                    return None  # "two staff members" of an aid convoy: no health workers
                return self.groups[key]
        return None

    def _kind_of(self, tok: Any) -> str | None:
        return self.kinds.get(tok.lower_) or self.kinds.get(tok.lemma_.lower())

    def _kind(self, head: Any) -> tuple[str, Any]:
        """(kind, governing token) by the counted word, its modifiers, then up the parse."""
        if head.pos_ in ("NOUN", "ADJ") and (k := self._kind_of(head)):
            return k, head
        if head.dep_ == "pobj" and (k := self._kind_of(head)):
            count = head.head.head if head.head.lower_ == "of" else None
            verb = count.head if count is not None and count.dep_ == "nsubj" else None
            if verb is not None and verb.pos_ == "VERB" and self._kind_of(verb) == "killed":
                return "killed", verb  # "two of the injured died later in hospital"
            return k, head  # "two of the wounded", "three of those detained"
        # "kills 20 sheltering villagers", "shot dead a nurse who was treating
        # patients": what the counted were doing is not what befell them
        owner = head.head.head if head.dep_ == "pobj" and head.head.lower_ == "of" else head
        told: list[bool] = []  # read once, only when a clause or participle asks

        def befallen() -> bool:  # "hundreds of people fleeing": the count is the verb's object
            if not told:
                told.append(
                    owner.dep_ in ("dobj", "nsubjpass")
                    and owner.head.pos_ == "VERB"
                    and self._verb_kind(owner.head)[0] in _HARMS
                )
            return told[0]

        for c in head.children:
            doing = (
                (c.dep_ == "amod" and c.tag_ == "VBG" and c.i < head.i)
                or (c.dep_ == "acl" and c.tag_ == "VBG")  # "killed hundreds fleeing the city"
                or c.dep_ == "relcl"
            )
            if c.dep_ in ("amod", "acl", "relcl") and (k := self._kind_of(c)):
                if doing and befallen():
                    continue
                return k, c
            if c.dep_ == "relcl" and c.pos_ in ("VERB", "AUX") and not befallen():
                # "700 people who were forced to flee their homes"
                k, g = self._verb_kind(c)
                if k != "other":
                    return k, g
        # "12 dead": the kind word follows the bare number
        nxt = head.nbor(1) if head.i + 1 < len(head.doc) else None
        if (
            nxt is not None
            and (nxt.pos_ == "ADJ" or (nxt.tag_ == "VBN" and head.like_num))
            and (k := self._kind_of(nxt))
        ):
            return k, nxt  # "30 wounded", parsed as a participle of the verb before
        if head.dep_ == "conj" and head.head.dep_ == "pobj":
            # "two were killed at the hospital and 16 people, including seven
            # children, were wounded": the parse joins the count to the place
            # before it; it is the subject of the verb that follows, which has none
            verb = _subjectless_verb_after(head)
            if verb is not None:
                return self._verb_kind(verb)
        if (deed := _object_read_as_speaker(head)) is not None:
            return self._verb_kind(deed)
        cur = head
        for _ in range(5):
            parent = cur.head
            if parent is cur:
                break
            if parent.pos_ in ("VERB", "AUX"):
                if cur.dep_ == "nsubj" and self._kind_of(parent) in _HARMS and _has_object(parent):
                    return "other", None  # "200 fighters assaulted the base": the doers
                return self._verb_kind(parent)
            if parent.pos_ in ("NOUN", "ADJ") and cur.dep_ in (
                "appos",
                "pobj",
                "prep",
                "conj",
                "dobj",
            ):
                if (k := self._kind_of(parent)) and parent.pos_ == "ADJ":
                    # "gunmen on a motorcycle shot dead a police officer", parsed
                    # with "shot" a noun and "dead" the root over the officer
                    return k, parent
                if k and cur.dep_ == "prep" and cur.lower_ == "of":
                    return k, parent  # "the killing of two aid workers"
            cur = parent
        return "other", None

    def _verb_kind(self, verb: Any) -> tuple[str, Any]:
        if verb.dep_ in ("aux", "auxpass") and verb.head is not verb:
            verb = verb.head  # a mis-attached subject: "patients were missing"
        if verb.lemma_ in _LIGHT_VERBS:
            # "remained missing", "left 10 wounded": the complement says what happened
            for c in verb.children:
                if c.dep_ in ("acomp", "xcomp", "oprd", "ccomp") and (k := self._kind_of(c)):
                    return k, c
            if verb.lemma_ == "leave":
                # "left seven journalists and two officers injured": the participle
                # may hang from the object
                for t in verb.subtree:
                    if t.tag_ in ("VBN", "JJ") and t.i > verb.i and (k := self._kind_of(t)):
                        return k, t
        # "believed to be under the rubble"; not "as rescuers pulled bodies from
        # the rubble", a clause of its own
        aside = {t.i for c in verb.children if c.dep_ == "advcl" for t in c.subtree}
        if verb.lemma_.lower() in _RESCUED:
            return "other", verb  # "pulled alive from the rubble": survivors, no toll
        for t in verb.subtree:
            if t.lemma_.lower() in _BURIED and t.i not in aside:
                return "missing", t
        if verb.lemma_ == "be" and any(
            c.dep_ == "prep" and c.lower_ in ("in", "inside") for c in verb.children
        ):
            return "present", verb  # "40 people had been in the waiting room"
        if verb.lemma_ == "force" and any(
            c.lower_ == "from" and any(g.lemma_ == "home" for g in c.children)
            for c in verb.children
        ):
            return "displaced", verb
        if verb.lemma_ == "take" and any(c.lower_ in ("hostage", "captive") for c in verb.children):
            return "hostages", verb
        if (
            verb.lemma_ == "take"
            and any(c.dep_ == "auxpass" for c in verb.children)
            and not any(
                c.dep_ in ("prep", "advmod", "prt") and c.lower_ in _TAKEN_TO for c in verb.children
            )
        ):
            # "90 pupils were taken" (from the school, by the gunmen); not "taken
            # to hospital", "taken into custody", "taken away for treatment"
            return "hostages", verb
        if verb.lemma_ in ("sustain", "suffer", "receive") and any(
            c.dep_ == "dobj" and self._kind_of(c) == "injured" for c in verb.children
        ):
            return "injured", verb  # "31 people sustained injuries"
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ in ("among", "amongst"):
                # "one child was among the dead"
                for o in c.children:
                    if o.dep_ == "pobj" and (k := self._kind_of(o)):
                        return k, o
        if verb.lemma_ == "hold" and any(c.lower_ == "captive" for c in verb.children):
            return "hostages", verb
        if verb.pos_ == "VERB" and verb.lemma_ != "be" and (k := self._kind_of(verb)):
            if k == "detained" and any(c.dep_ == "cc" and c.lower_ == "and" for c in verb.children):
                # "rounded up and kidnapped": the abduction names what befell them
                # ("detained or abducted" leaves the first word to decide)
                for c in verb.conjuncts:
                    if self._kind_of(c) == "hostages":
                        return "hostages", c
            return k, verb
        for c in verb.children:
            if c.dep_ in ("acomp", "xcomp", "oprd", "attr", "advmod", "prep") and (
                k := self._kind_of(c)
            ):
                return k, c
            if c.dep_ in ("nsubj", "dobj", "nsubjpass") and c.lemma_ == "toll":
                return "killed", c  # "the death toll rose to 45"; a bare toll is deaths too
            if c.dep_ in ("nsubj", "nsubjpass") and c.lemma_ in ("number", "count", "tally"):
                # "the number of people killed has risen to 171"
                for t in c.subtree:
                    if t is not c and (k := self._kind_of(t)):
                        return k, t
        if verb.pos_ == "VERB" and verb.lemma_ != "be":
            # "were shot and killed", "attacked and hospitalised": the verb names no
            # kind, the one coordinated with it (and sharing its subject) does
            for c in verb.children:
                if (
                    c.dep_ == "conj"
                    and c.pos_ == "VERB"
                    and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
                    and (k := self._kind_of(c))
                ):
                    return k, c
        if verb.lemma_ in ("include", "number", "be", "comprise"):
            # "the dead included nine aid workers", "fatalities included three children"
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.pos_ in ("NOUN", "ADJ") and (k := self._kind_of(subj)):
                return k, subj
        return "other", None

    # -- building records ---------------------------------------------------

    def _figure(
        self,
        doc: Document,
        sent: Sentence,
        start: int,
        end: int,
        count: Count,
        kind: str,
        group: str | None,
        cumulative: bool,
        published: str | None,
    ) -> Figure:
        a = sent.start + start
        b = sent.start + end
        ev = doc.evidence(a, b)
        return Figure(
            id=doc.new_id("fig"),
            document_id=doc.id,
            kind=kind,
            group=group,
            min=count.min,
            max=count.max,
            approximate=count.approximate,
            text=ev.text,
            scope="cumulative" if cumulative else "incident",
            as_of=self._as_of(doc, sent, published) if cumulative else None,
            best=count.best,
            evidence=[ev],
        )

    @staticmethod
    def _as_of(doc: Document, sent: Sentence, published: str | None) -> str | None:
        # A date the sentence gives with "as of"/"by" wins over the statement's date.
        for mention in doc.dates:
            if sent.start <= mention.start < sent.end:
                before = doc.text[max(sent.start, mention.start - 8) : mention.start].lower()
                start = getattr(mention.value, "start", None)
                if start and re.search(r"\b(?:as of|by)\s+$", before):
                    return start
        return published

    @staticmethod
    def _inherit_kind(
        figures: list[tuple[Figure, Any, Any]], text: str, base: int, last: Figure | None
    ) -> None:
        """A subset takes the kind of its head count: "15 bodies, among them six
        children" (killed); "22 patients, four of them children, had been moved"
        (present); "64 wounded people ... 20 to 30 of them needed surgery" (injured)."""
        for i, (fig, noun, _) in enumerate(figures):
            if fig.kind != "other":
                continue
            if noun is not None and noun.lower_ in _BACK_REFERENCES:
                if _verb_lemma(noun) in _SPARED:
                    continue  # "60 abducted ... twelve of them escaped": no longer held
                prev = next((f for f, _, _ in reversed(figures[:i]) if f.kind != "other"), last)
                if prev is not None:
                    fig.kind = prev.kind
                    fig.group = fig.group or prev.group
                continue
            if i == 0:
                continue
            head = figures[i - 1][0]
            between = text[head.evidence[0].end - base : fig.evidence[0].start - base]
            if head.kind != "other" and _SUBSET.match(between):
                fig.kind = head.kind
            elif head.kind == "other" and _SUBSET.match(between):
                # "22 patients, four of them children, had been moved": the
                # subset's clause tells the kind of both
                pass
        # a head count whose kind is only told of its subset (parsed as the verb's subject)
        for i in range(len(figures) - 1, 0, -1):
            sub, head = figures[i][0], figures[i - 1][0]
            between = text[head.evidence[0].end - base : sub.evidence[0].start - base]
            if head.kind == "other" and sub.kind != "other" and _SUBSET.match(between):
                head.kind = sub.kind

    def _carry_group_to_others(
        self, figures: list[tuple[Figure, Any, Any]], text: str, base: int
    ) -> None:
        # "killed two nurses and wounded four others": others are more nurses;
        # "three health workers were injured and two were detained": two of them.
        for i, (fig, noun, gov) in enumerate(figures):
            if fig.group is not None:
                continue
            if noun is None and _ANOTHER.search(text[: fig.evidence[0].start - base]):
                # "two nurses were killed and another two injured": more of them
                prev = next((f for f, _, _ in reversed(figures[:i]) if f.group), None)
                if prev is not None:
                    fig.group = prev.group
                continue
            if noun is not None and noun.lower_ not in ("others", "other"):
                continue
            if noun is None and (gov is None or gov.dep_ != "conj" or not _subject_count(gov)):
                continue  # a bare number: only the subject of a coordinated verb
            for prev, pnoun, pgov in reversed(figures[:i]):
                if pnoun is None or prev.group is None:
                    continue
                if (
                    gov is not None
                    and pgov is not None
                    and (gov.head == pgov or pgov.head == gov or gov.head == pgov.head)
                ):
                    fig.group = prev.group
                    break

    @staticmethod
    def _attribute(claims: list[Claim], fig: Figure, text: str = "") -> None:
        """The claim whose content holds the figure: of several ("It is estimated
        that 50 were killed, according to witnesses"), the one with a named
        speaker, then the narrowest. A figure in a relative clause right after a
        claim's content ("MSF condemns the attack on its clinic, in which one of
        our staff was killed") is that claim's too: the clause tells what the
        content names."""
        ev = fig.evidence[0]
        holding = []
        for claim in claims:
            spans = [claim.content_evidence] if claim.content_evidence else claim.evidence
            inside = [s for s in spans if s is not None and s.start <= ev.start and ev.end <= s.end]
            if inside:
                empty = claim.speaker is None or claim.speaker.name.lower() in _EMPTY_SPEAKERS
                holding.append((empty, min(s.end - s.start for s in inside), claim))
        if not holding and text:
            for claim in claims:
                content = claim.content_evidence
                if (
                    content is not None
                    and claim.speaker is not None
                    and content.end <= ev.start
                    and _RELATIVE_AFTER.match(text, content.end, ev.start)
                ):
                    holding.append((False, content.end - content.start, claim))
        if not holding:
            return
        claim = min(holding, key=lambda h: (h[0], h[1]))[2]
        sp = claim.speaker
        if sp is not None and sp.name.lower() in _EMPTY_SPEAKERS:
            sp = None  # "it is estimated": nobody named
        # the dictionary's name, and the words the report used ("MSF")
        fig.claimant = (
            {"name": sp.normalized or sp.name, "type": sp.type, "as_written": sp.name}
            if sp is not None
            else None
        )
        fig.claim_id = claim.id


# What lies between a claim's content and a figure of a relative clause on it:
# ", in which", " on 1 February, in which", ", which killed".
_RELATIVE_AFTER = re.compile(
    r"[^.;:\"“”]{0,60}?,\s*(?:in|during|at|after|when)?\s*which\b[^.;:,\"“”]{0,40}$"
)


def _claims_by_sentence(doc: Document) -> dict[int, list[Claim]]:
    """The claims whose spans overlap each sentence, in document order: a figure
    looks for its claim among its sentence's only, so attribution stays linear."""
    ends = [sent.end for sent in doc.sentences]
    out: dict[int, list[Claim]] = {}
    for claim in doc.claims:
        spans = [claim.content_evidence] if claim.content_evidence else claim.evidence
        hit: set[int] = set()
        for span in spans:
            if span is None:
                continue
            i = bisect_right(ends, span.start)
            while i < len(ends) and doc.sentences[i].start < span.end:
                hit.add(i)
                i += 1
        for i in sorted(hit):
            out.setdefault(i, []).append(claim)
    return out


# Health-care groups whose members a count may name ("two members of a medical team").
_HEALTH_TEAMS = frozenset(
    {"medical team", "health team", "vaccination team", "ambulance team", "ambulance crew",
     "medical crew", "medical staff", "hospital staff", "health staff"}
)  # fmt: skip

# Workers (aid workers, volunteers, staff) counted while they run a health
# facility are health workers, as WHO's SSA and Insecurity Insight code them:
# "nine aid workers operating a hospital", "volunteers who ran the clinic",
# "six aid workers were killed while operating a health post".
_STAFFING_VERBS = frozenset({"operate", "run", "staff", "work", "serve", "man"})
_HEALTH_PLACE = re.compile(
    r"\b(?:hospitals?|clinics?|health\s+(?:posts?|cent(?:re|er)s?|facilit(?:y|ies)|units?)|"
    r"medical\s+(?:facilit(?:y|ies)|cent(?:re|er)s?|posts?|points?)|field\s+hospitals?|"
    r"maternity\s+(?:wards?|units?)|ambulances?)\b",
    re.IGNORECASE,
)


# "staff" counts health workers only where the sentence is about health care.
_STAFF_WORDS = frozenset({"staff", "staff member", "staff members", "staffer", "staffers"})
_HEALTH_WORDS = frozenset(
    {"hospital", "clinic", "health", "medical", "ambulance", "msf", "médecins", "medecins",
     "doctors", "icrc", "crescent", "who", "maternity", "pharmacy", "dispensary", "ward"}
)  # fmt: skip


# What else has staff: an aid convoy's, a school's, an embassy's staff are no health workers.
_OTHER_EMPLOYERS = frozenset(
    {"aid", "humanitarian", "ngo", "convoy", "un", "unicef", "wfp", "unhcr", "school",
     "university", "embassy", "company", "factory", "hotel", "bank", "newspaper", "channel",
     "radio", "television", "station", "ministry", "office", "mission", "agency", "charity"}
)  # fmt: skip


def _health_context(noun: Any) -> bool:
    """Whether a "staff" count counts health workers: its sentence names health care
    (a hospital, a clinic, MSF, the Red Crescent...) or no other employer (an aid
    convoy, a school, an embassy)."""
    for prep in noun.children:  # "staff members of the charity", "staff from the UN agency"
        if prep.dep_ == "prep" and prep.lower_ in ("of", "from", "with", "at"):
            if any(
                g.dep_ == "pobj" and g.lemma_.lower() in _OTHER_EMPLOYERS for g in prep.children
            ):
                return False
    # where the wounded were taken is no employer: "taken to Bor state hospital"
    taken = {
        t.i
        for v in noun.sent
        if v.lemma_.lower() in _TAKEN_VERBS
        for c in v.children
        if c.dep_ == "prep" and c.lower_ in ("to", "into")
        for t in c.subtree
    }
    sent = [t for t in noun.sent if t.i not in taken]
    words = {t.lower_ for t in sent} | {t.lemma_.lower() for t in sent}
    return bool(words & _HEALTH_WORDS) or not (words & _OTHER_EMPLOYERS)


_TAKEN_VERBS = frozenset(
    {"take", "evacuate", "transfer", "rush", "bring", "airlift", "refer", "move", "admit"}
)


def _staffing_health_care(noun: Any) -> bool:
    """Whether the counted people are told as running a health facility, or as
    working for a medical charity ("two aid workers from a medical charity")."""
    if noun.lemma_.lower() in _STAFF_NOUNS:
        # however the parse hangs "from" (on the noun or on the verb)
        after = noun.doc.text[noun.idx + len(noun.text) : noun.idx + len(noun.text) + 80]
        if _OF_A_MEDICAL_BODY.match(after):
            return True
    clauses = [c for c in noun.children if c.dep_ in ("acl", "relcl")]
    verb = noun.head
    if noun.dep_ in ("nsubj", "nsubjpass") and verb.pos_ in ("VERB", "AUX"):
        clauses += [c for c in verb.children if c.dep_ == "advcl"]
    for c in clauses:
        if c.lemma_.lower() not in _STAFFING_VERBS:
            continue
        span = c.doc[c.left_edge.i : c.right_edge.i + 1]
        if _HEALTH_PLACE.search(span.text):
            return True
    return False


_STAFF_NOUNS = frozenset({"worker", "staff", "employee", "volunteer", "member"})
# Of a body that gives medical care: "from a medical charity", "of a health NGO", "with MSF".
_OF_A_MEDICAL_BODY = re.compile(
    r"\s+(?:of|from|with|for)\s+(?:an?\s+|the\s+)?(?:[\w\-'’]+\s+){0,2}?"
    r"(?:(?:medical|health)(?:\s+(?:aid|relief))?\s+(?:charity|ngo|organi[sz]ation|group|"
    r"agency|non-governmental\s+organi[sz]ation)|MSF|Doctors\s+Without\s+Borders|"
    r"M[ée]decins\s+Sans\s+Fronti[èe]res)\b",
    re.IGNORECASE,
)
