"""Health-care coding from a trained model, on each event's own sentences.

The rules of `events.rules.v1` decide first; the model (trained on Insecurity
Insight's incident descriptions, see docs/models.md) only adds what they
left out, and only where the sentences themselves name what the addition is
about:
- an indicator on a facility (destroyed, damaged, forceful entry,
  occupation) needs a health facility named in the sentences; one on health
  workers (killed, injured, kidnapped, arrested) needs health personnel
  named; access obstructed needs any health resource (facility, transport,
  personnel, patients). A health ministry giving a toll names none of these,
  so "12 people were killed, the health ministry said" gains nothing;
- the weapon (PLOVER mode) is set only when the rules gave none, or gave the
  firearms default of a generic trigger ("attacked", "killed");
- the perpetrator's type is set only on a perpetrator the rules found and the
  actors dictionary could not type.
Every addition is listed under `health_care["model"]`, so a reader can tell
the model's coding from the rules'. Probabilities under the thresholds chosen
on the dev sample (kept in the model file) add nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from eventledger.data import load_toml
from eventledger.models import Event
from eventledger.pipeline import Document, register
from eventledger.stages.events.textmodel import TextModel, load_model

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = ["HealthCareModel"]

MODEL = "healthcare"
_FACILITY_INDICATORS = frozenset(
    {"facility destroyed", "facility damaged", "forceful entry", "occupation"}
)
_WORKER_INDICATORS = frozenset(
    {"health workers killed", "health workers injured", "health workers kidnapped",
     "health workers arrested"}
)  # fmt: skip
# The WHO resources whose naming lets the model code an event as health care
# (supplies and warehouses are too often other goods).
_GATE_RESOURCES = ("facility", "transport", "personnel", "patients")
_WEAPON_MODES = {
    "firearms": "firearms",
    "aerial": "aerial",
    "heavy": "heavy-weapons",
    "explosive": "explosion",
    "arson": "arson",
}
# A trigger that itself names gunfire: its firearms mode is the rules' own finding.
_FIREARM_TRIGGER = re.compile(r"shoot|shot|gun|fire", re.I)
_ACTOR_TYPES = frozenset({"military", "government", "armed_group"})


def _resource_patterns() -> dict[str, re.Pattern[str]]:
    resources = load_toml("taxonomy.toml")["events"]["health"]["resources"]
    extra = {  # forms the taxonomy's lemma lists leave to the parser
        "facility": ["hospitals", "clinics", "health centres", "health centers",
                     "health facilities", "medical facilities", "dispensaries"],
        "personnel": ["doctors", "nurses", "medics", "paramedics", "surgeons", "health workers",
                      "healthcare workers", "medical workers", "midwives", "health staff",
                      "medical personnel", "health personnel", "vaccinator", "vaccinators"],
        "patients": ["patients"],
    }  # fmt: skip
    out = {}
    for kind in _GATE_RESOURCES:
        words = sorted({*resources.get(kind, []), *extra.get(kind, [])}, key=len, reverse=True)
        out[kind] = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I)
    return out


@register("events.healthcare_model.v1")
class HealthCareModel:
    """Add the model's health-care indicators, weapon and perpetrator type to events."""

    requires: tuple[str, ...] = ("doc.events", "actor.type")
    assigns: tuple[str, ...] = ("event.health_care", "event.plover", "actor.type")

    def __init__(self, settings: Settings | None = None) -> None:
        self.model: TextModel = load_model(MODEL)
        self.patterns = _resource_patterns()

    def __call__(self, doc: Document) -> Document:
        for event in doc.events:
            if event.factuality != "asserted":
                continue
            text = _own_sentences(doc, event)
            named = {k for k, rx in self.patterns.items() if rx.search(text)}
            if not named and not event.health_care:
                continue
            self.code(event, text, named)
        return doc

    def code(self, event: Event, text: str, named: set[str]) -> None:
        """Add the model's findings on `text` (the event's sentences) to `event`."""
        probs = self.model.predict(text)
        cut = self.model.thresholds
        added: dict[str, Any] = {}
        have = set((event.health_care or {}).get("indicators", []))
        new = []
        for ind, p in probs["indicators"].items():
            if p < cut.get(ind, 1.0) or ind in have:
                continue
            if ind in _FACILITY_INDICATORS and "facility" not in named:
                continue
            if ind in _WORKER_INDICATORS and "personnel" not in named:
                continue
            new.append(ind)
        if new:
            added["indicators"] = new
        elif not event.health_care:
            return  # the model codes the rest only on an event it or the rules code as health care
        weapon, pw = _top(probs["weapon"])
        if weapon in _WEAPON_MODES and pw >= cut.get("weapon", 1.0) and _weapon_open(event):
            event.plover = {**(event.plover or {"event": "ASSAULT"}), "mode": _WEAPON_MODES[weapon]}
            added["weapon"] = _WEAPON_MODES[weapon]
        perp, pp = _top(probs["perpetrator"])
        if perp in _ACTOR_TYPES and pp >= cut.get("perpetrator", 1.0):
            actor = next((a for a in event.actors if a.role == "perpetrator"), None)
            if actor is not None and actor.type in (None, "unknown"):
                actor.type = perp
                added["perpetrator"] = perp
        if not added:
            return
        hc = dict(event.health_care or {"attack_types": [], "resources": sorted(named)})
        hc["indicators"] = [*hc.get("indicators", []), *added.get("indicators", [])]
        hc["model"] = {"name": self.name, **added}  # type: ignore[attr-defined]
        event.health_care = hc


def _own_sentences(doc: Document, event: Event) -> str:
    """The text of the sentences that hold the event's evidence, in order."""
    seen: list[int] = []
    for ev in event.evidence:
        si = doc.sentence_at(ev.start)
        if si is not None and si not in seen:
            seen.append(si)
    if not seen:
        return " ".join(e.text for e in event.evidence)
    return " ".join(doc.text[doc.sentences[i].start : doc.sentences[i].end] for i in sorted(seen))


def _weapon_open(event: Event) -> bool:
    """Whether the rules left the weapon to be found: no mode, or a generic firearms default."""
    plover = event.plover or {}
    if plover.get("event", "ASSAULT") != "ASSAULT":
        return False
    mode = plover.get("mode")
    return mode is None or (mode == "firearms" and not _FIREARM_TRIGGER.search(event.trigger or ""))


def _top(probs: dict[str, float]) -> tuple[str, float]:
    label = max(probs, key=lambda k: probs[k])
    return label, probs[label]
