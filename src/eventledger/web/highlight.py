"""Article text as HTML with <mark> around evidence spans; every text segment is escaped."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["Span", "anchor", "highlight"]


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    label: str  # what the span is evidence for ("event ev1 date")


def anchor(source: int, start: int, end: int) -> str:
    """The id of a span's anchor on a page: source index and offsets, nothing from the text."""
    return f"e{source}-{start}-{end}"


def highlight(text: str, spans: list[Span], source: int = 0) -> Markup:
    """`text` escaped, with each evidence span in a <mark> that names its anchor(s) and fields.

    Overlapping spans are cut at every boundary; a cut segment's <mark> lists
    every span that covers it. Spans outside the text are ignored.
    """
    spans = [s for s in spans if 0 <= s.start <= s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    starts: dict[int, list[str]] = {}
    for s in spans:
        starts.setdefault(s.start, []).append(anchor(source, s.start, s.end))
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:] + [None], strict=True):
        for name in dict.fromkeys(starts.get(a, [])):
            out.append(f'<span class="anchor" id="{name}"></span>')
        if b is None:
            break
        covering = [s for s in spans if s.start <= a and s.end >= b and s.start < s.end]
        piece = str(escape(text[a:b]))
        if covering:
            names = " ".join(dict.fromkeys(anchor(source, s.start, s.end) for s in covering))
            labels = "; ".join(dict.fromkeys(s.label for s in covering))
            out.append(f'<mark data-ev="{names}" title="{escape(labels)}">{piece}</mark>')
        else:
            out.append(piece)
    return Markup("".join(out))
