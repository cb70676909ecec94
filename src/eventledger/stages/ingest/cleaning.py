"""Normalise article text and take out whole lines of in-body boilerplate."""

from __future__ import annotations

import re
import unicodedata

from eventledger.models import Removed

__all__ = ["boilerplate_reason", "clean_text"]

# C0 and C1 control characters except tab and newline (carriage returns are
# turned into newlines before this runs).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BLANK_RUNS = re.compile(r"\n{3,}")

# Boilerplate lines are short; longer lines are body text whatever they start with.
_MAX_BOILERPLATE = 300

# Each pattern must match the whole (stripped) line: precision first, a line
# that is an ordinary sentence is never removed.
_BOILERPLATE = tuple(
    (reason, re.compile(pattern, re.IGNORECASE))
    for reason, pattern in (
        (
            "read-more",
            r"(?:read more|related(?: stories| articles| coverage)?|see also|also read"
            r"|more on this story|recommended)\s*[:|»>]\s*\S.*"
            r"|read more\s*[»>.…]*",
        ),
        (
            "newsletter",
            r"(?!.*\bsaid\b)(?:sign up|subscribe)(?:\s+(?:now|here|today))?"
            r"(?:\s+(?:for|to)\b.{0,150}|[\s.!:»>]*)"
            r"|get (?:our|the) [\w' -]{0,40}newsletter\b.*",
        ),
        (
            "advertisement",
            r"[\W_]*(?:advertisement|sponsored(?: content)?|ad"
            r"|(?:story|article) continues (?:below|after)(?: this)?(?: advertisement| ad)?)[\W_]*",
        ),
        (
            "share",
            r"(?:click to )?share (?:this (?:article|story|page|post)"
            r"|on (?:facebook|twitter|x|whatsapp|linkedin|telegram|reddit|email|bluesky|threads)"
            r"|via (?:email|whatsapp))\b.{0,60}"
            r"|follow us on\b.{0,100}"
            r"|(?:share|tweet|copy link(?: to clipboard)?)",
        ),
        (
            "photo-credit",
            r"(?:photo|photograph|picture|image|pic)(?:\s+credit)?\s*:\s*\S.*"
            r"|\(\s*(?:photos?|pictures?|images?) by [^()]{1,150}\)\.?"
            r"|(?:photos?|pictures?|images?) by [^.]{1,80}"
            r"(?:/\s*(?-i:[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)"
            r"|\bvia (?:getty images|reuters|afp|ap|shutterstock|alamy))\.?"
            r"|image caption\b\s*[:,]?.*"
            r"|image source\s*[:,]\s*\S.*"
            r"|\(?\s*file (?:photo|picture|image)\s*\)?(?:\s*[:,/–-]\s*.{0,200})?\.?"
            r"|(?:photo |image )?credits?\s*:\s*\S.*"
            r"|(?:reuters|afp|ap|epa(?:-efe)?|anadolu)(?:\s*/\s*[^/\n]{1,60}){1,3}",
        ),
        (
            "copyright",
            r"(?:©|\(c\)\s|copyright\s*(?:©|\(c\)|\d{4})).*"
            r"|.{0,150}\ball rights reserved\.?",
        ),
    )
)


def boilerplate_reason(line: str) -> str | None:
    """The reason code when the whole stripped `line` is boilerplate, else None."""
    line = line.strip()
    if not line or len(line) > _MAX_BOILERPLATE:
        return None
    for reason, pattern in _BOILERPLATE:
        if pattern.fullmatch(line):
            return reason
    return None


def clean_text(text: str) -> tuple[str, list[Removed]]:
    """Normalised text without boilerplate lines, and the lines removed (1-based line numbers)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Controls go before NFC: dropping one could otherwise leave a combining
    # mark next to its base and a second pass would compose it.
    text = unicodedata.normalize("NFC", _CONTROL.sub("", text))
    kept: list[str] = []
    removed: list[Removed] = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip()
        reason = boilerplate_reason(line)
        if reason is None:
            kept.append(line)
        else:
            removed.append(Removed(text=line.strip(), reason=reason, line=number))
    return _BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip(), removed
