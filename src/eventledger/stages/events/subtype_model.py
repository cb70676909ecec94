"""ACLED sub-event type from a trained model, where the rules are unsure.

The rules type an event by its trigger. Two of their answers are defaults
rather than findings: "Attack" (a generic trigger, "killed", "attacked",
with no weapon in reach) and "Remote explosive/landmine/IED" (every bomb,
grenade or blast; the rules tell no grenade or suicide bombing apart). Only
there does the model (trained on Insecurity Insight's coded incidents, see
docs/models.md) give its sub-type, on the event's own sentences, when its
probability passes the threshold kept in the model file; the event's ACLED
type and PLOVER mode follow the new sub-type. Every other type stays the
rules'.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventledger.models import Event
from eventledger.pipeline import Document, register
from eventledger.stages.events.textmodel import TextModel, load_model

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = ["SubtypeModel"]

MODEL = "acled_subtype"
# The rules' default answers, and the model answers each may become.
_OPEN = {
    "Attack": None,  # any
    "Remote explosive/landmine/IED": frozenset({"Grenade", "Suicide bomb"}),
}
# ACLED's event type of each sub-event type the model gives, and its PLOVER coding.
_TYPE = {
    "Sexual violence": ("Violence against civilians", "ASSAULT", "sexual"),
    "Abduction/forced disappearance": ("Violence against civilians", "ASSAULT", "abduction"),
    "Attack": ("Violence against civilians", None, None),
    "Arrests": ("Strategic developments", "COERCE", "arrest"),
    "Looting/property destruction": ("Strategic developments", "COERCE", "seize"),
    "Suicide bomb": ("Explosions/Remote violence", "ASSAULT", "explosion"),
    "Grenade": ("Explosions/Remote violence", "ASSAULT", "explosion"),
    "Air/drone strike": ("Explosions/Remote violence", "ASSAULT", "aerial"),
    "Shelling/artillery/missile attack": ("Explosions/Remote violence", "ASSAULT", "heavy-weapons"),
    "Remote explosive/landmine/IED": ("Explosions/Remote violence", "ASSAULT", "explosion"),
    "Violent demonstration": ("Riots", "PROTEST", "riot"),
}


@register("events.subtype_model.v1")
class SubtypeModel:
    """Give the model's ACLED sub-event type to events the rules typed by default."""

    requires: tuple[str, ...] = ("doc.events",)
    assigns: tuple[str, ...] = ("event.type", "event.subtype", "event.plover")

    def __init__(self, settings: Settings | None = None) -> None:
        self.model: TextModel = load_model(MODEL)
        self.cut = float(self.model.thresholds.get("subtype", 1.0))

    def __call__(self, doc: Document) -> Document:
        for event in doc.events:
            if event.subtype in _OPEN:
                self.retype(event, _own_sentences(doc, event))
        return doc

    def retype(self, event: Event, text: str) -> None:
        """Set the model's sub-type for `text` on `event` when it is confident and allowed."""
        probs = self.model.predict(text)["subtype"]
        label = max(probs, key=lambda k: probs[k])
        allowed = _OPEN.get(event.subtype or "")
        if probs[label] < self.cut or label == event.subtype or label not in _TYPE:
            return
        if allowed is not None and label not in allowed:
            return
        acled_type, plover_event, mode = _TYPE[label]
        event.type, event.subtype = acled_type, label
        if plover_event is not None:
            event.plover = {**(event.plover or {}), "event": plover_event, "mode": mode}


def _own_sentences(doc: Document, event: Event) -> str:
    """The text of the sentences that hold the event's evidence, in order."""
    idx = sorted({si for e in event.evidence if (si := doc.sentence_at(e.start)) is not None})
    if not idx:
        return " ".join(e.text for e in event.evidence)
    return " ".join(doc.text[doc.sentences[i].start : doc.sentences[i].end] for i in idx)
