"""Normalise and type speaker and actor names with a versioned dictionary.

Names are matched against `data/actors.toml` (case-insensitive, a leading
"the" dropped, the longest alias found in the name wins). A name not in the
dictionary is typed by ordered keyword rules, first match wins:

1. health authority: "ministry of health", "health ministry", "health office",
   "health department", "health authority"
2. armed group: "militants", "rebels", "insurgents", "militia", "guerrillas",
   "jihadists", "armed group", "Taliban", a liberation army or front,
   opposition or resistance forces (before military: "rebel forces")
3. military: "army", "military", "forces", "soldiers", "troops" (an
   armed-group alias in the dictionary already won at the lookup)
4. government: "ministry", "government", "governor", "spokesman for the government",
   "regime", "junta"
5. UN agency: "United Nations", "UN"/"U.N." agency names
6. hospital staff: "doctor", "nurse", "hospital director", "medic", "surgeon"
7. witness: "witness", "resident", "survivor", "relative"
8. otherwise unknown.

A person speaker ("Youssef Haddad", an official of the health ministry) keeps
their own name as `normalized` and takes the type of their affiliation when
it is known, else of their role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eventledger.data import load_toml
from eventledger.errors import ConfigError
from eventledger.pipeline import Document, register

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = ["ActorDictionary", "ActorNormalizer", "ActorType", "Match", "TYPES"]

TYPES = frozenset(
    {
        "government",
        "military",
        "health_authority",
        "un_agency",
        "ngo",
        "armed_group",
        "hospital_staff",
        "witness",
        "media",
        "unknown",
    }
)

ActorType = str

# Ordered keyword rules for names the dictionary does not know (see module doc).
_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "health_authority",
        (
            r"ministry of health",
            r"health ministry",
            r"health office",
            r"health department",
            r"department of health",
            r"health authorit(?:y|ies)",
        ),
    ),
    (
        "armed_group",
        (
            r"militants?",
            r"rebels?",
            r"insurgents?",
            r"militias?",
            r"militiam[ae]n",
            r"guerrillas?",
            r"jihadists?",
            r"armed groups?",
            r"taliban",
            # a force named for fighting the state: "the Zamoran Liberation Army",
            # "opposition forces", "the armed opposition", "resistance fighters"
            r"liberation (?:army|front|movement|forces?)",
            r"opposition (?:[\w-]+ ){0,3}?(?:forces|fighters|groups?|militias?)",
            r"armed opposition",
            r"resistance (?:forces|fighters|groups?)",
        ),
    ),
    ("military", (r"army", r"military", r"forces", r"soldiers?", r"troops")),
    (
        "government",
        (
            r"ministry",
            r"government",
            r"governor",
            r"spokes(?:man|woman|person) for the government",
            # "the Syrian regime", "the junta": a government named by its critics
            r"regime",
            r"junta",
        ),
    ),
    ("un_agency", (r"united nations", r"u\.?n\.? (?:agency|office|mission)", r"un [a-z]+ agency")),
    (
        "hospital_staff",
        (
            r"doctors?",
            r"dr\.?",
            r"nurses?",
            r"hospital director",
            r"medics?",
            r"paramedics?",
            r"surgeons?",
            r"physicians?",
        ),
    ),
    ("witness", (r"witness(?:es)?", r"residents?", r"survivors?", r"relatives?", r"civilians?")),
)


@dataclass(frozen=True, slots=True)
class Match:
    """A dictionary hit: the canonical name and its type."""

    name: str
    type: ActorType


def _key(name: str) -> str:
    name = re.sub(r"\s+", " ", name.strip().lower())
    name = re.sub(r"['’]s$", "", name)
    return re.sub(r"^the ", "", name)


# A capitalised word (a country or a nationality) right before an alias.
_NATIONAL_BEFORE = re.compile(r"\b(?!International\b|The\b)[A-Z][\w'’\-]+\s+$")


class ActorDictionary:
    """Aliases -> canonical actors, compiled once into one regex."""

    def __init__(self, entries: list[dict[str, Any]], version: str) -> None:
        self.version = version
        self.by_alias: dict[str, Match] = {}
        # aliases that, after a country or nationality, name a national body
        self.national: set[str] = set()
        for entry in entries:
            kind = entry.get("type", "unknown")
            if kind not in TYPES:
                raise ConfigError(
                    f"actor {entry.get('name')!r} has type {kind!r}; expected one of "
                    f"{', '.join(sorted(TYPES))}. Fix data/actors.toml."
                )
            match = Match(entry["name"], kind)
            for alias in [entry["name"], *entry.get("aliases", [])]:
                self.by_alias.setdefault(_key(alias), match)
            self.national |= {_key(a) for a in entry.get("national", [])}
        # Longest alias first so that the regex prefers it at a position; the
        # longest over all positions is picked in `lookup`.
        aliases = sorted(self.by_alias, key=len, reverse=True)
        self._pattern = re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(a) for a in aliases) + r")(?![\w-])",
            re.IGNORECASE,
        )
        self._rules = [
            (kind, re.compile(r"\b(?:" + "|".join(words) + r")(?!\w)", re.IGNORECASE))
            for kind, words in _RULES
        ]

    @classmethod
    def load(cls) -> ActorDictionary:
        """The packaged dictionary, `data/actors.toml`."""
        data = load_toml("actors.toml")
        return cls(data.get("actor", []), str(data.get("version", "")))

    def lookup(self, name: str | None) -> Match | None:
        """The actor a name refers to: exact alias first, else the longest alias inside it."""
        if not name:
            return None
        key = _key(name)
        if key in self.by_alias:
            return self.by_alias[key]
        found = list(self._pattern.finditer(key))
        if not found:
            return None
        best = max(found, key=lambda m: len(m.group()))
        alias = _key(best.group())
        if alias in self.national:
            written = re.sub(r"\s+", " ", name)
            at = written.lower().find(best.group())
            if at > 0 and _NATIONAL_BEFORE.search(written[:at]):
                return None  # "the Lebanese Red Cross": a national society of its own
        return self.by_alias[alias]

    def heuristic_type(self, text: str | None) -> ActorType:
        """The type the ordered keyword rules give a name, or "unknown"."""
        if not text:
            return "unknown"
        for kind, pattern in self._rules:
            if pattern.search(text):
                return kind
        return "unknown"

    def classify(
        self, name: str, role: str | None = None, affiliation: str | None = None
    ) -> tuple[str | None, ActorType]:
        """(normalized name, type) for a name with an optional role and affiliation."""
        hit = self.lookup(name)
        if hit is not None:
            return hit.name, hit.type
        normalized = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE) or None
        if affiliation:
            aff = self.lookup(affiliation)
            if aff is not None and aff.type != "media":
                return normalized, aff.type
            kind = self.heuristic_type(affiliation)
            if kind != "unknown":
                return normalized, kind
        for text in (role, name):
            kind = self.heuristic_type(text)
            if kind != "unknown":
                return normalized, kind
        return normalized, "unknown"


@register("actors.dictionary.v1")
class ActorNormalizer:
    """Fill normalized names and types on speakers and event actors; refresh claimants."""

    requires: tuple[str, ...] = ("doc.claims", "doc.figures", "doc.events")
    assigns: tuple[str, ...] = (
        "Speaker.normalized",
        "Speaker.type",
        "Actor.normalized",
        "Actor.type",
        "Figure.claimant",
    )

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.dictionary = ActorDictionary.load()

    def __call__(self, doc: Document) -> Document:
        for claim in doc.claims:
            sp = claim.speaker
            if sp is not None:
                sp.normalized, sp.type = self.dictionary.classify(sp.name, sp.role, sp.affiliation)
        for event in doc.events:
            for actor in event.actors:
                actor.normalized, actor.type = self.dictionary.classify(actor.name)
        claims = {c.id: c for c in doc.claims}
        for figure in doc.figures:
            claim = claims.get(figure.claim_id) if figure.claim_id else None
            if claim is not None and claim.speaker is not None:
                sp = claim.speaker
                figure.claimant = {
                    "name": sp.normalized or sp.name,
                    "type": sp.type,
                    "as_written": sp.name,
                }
        return doc
