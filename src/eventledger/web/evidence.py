"""Evidence on a page: the marked spans of each source and the ¶ links to them, in words."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from eventledger.web import labels
from eventledger.web.highlight import Span, anchor

__all__ = ["evidence_links", "field_spans"]


def field_spans(
    rows: list[dict[str, Any]],
    doc_index: dict[str, int],
    *,
    records: dict[str, dict[str, Any]] | None = None,
    shown: set[str] | None = None,
    page_of: Callable[[int], str] | None = None,
) -> tuple[dict[int, list[Span]], dict[str, list[dict[str, str]]]]:
    """Spans per source shown and, per record id, the links ({field, label, href}) to them.

    `records`: the records by id, so that a span says in words which field it
    proves ('perpetrator: Gunmen'); `shown`: the sources on this page (all when
    None); a link to a source on another page starts with `page_of(n)`, the
    query that shows it.
    """
    records = records or {}
    per_doc: dict[int, list[Span]] = defaultdict(list)
    links: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        n = doc_index.get(row["document_id"])
        if n is None:
            continue
        record = records.get(row["record_id"])
        proves = labels.field_words(row["record_kind"], row["field"], record)
        here = shown is None or row["document_id"] in shown
        if here:
            per_doc[n].append(Span(row["start"], row["end"], _span_label(row, record, proves)))
        page = "" if here or page_of is None else page_of(n)
        links[row["record_id"]].append(
            {
                "field": row["field"],
                "label": proves,
                "href": page + "#" + anchor(n, row["start"], row["end"]),
            }
        )
    return per_doc, links


def _span_label(row: dict[str, Any], record: dict[str, Any] | None, proves: str) -> str:
    """A mark's tooltip: which record and which of its fields the span is evidence of."""
    kind = row["record_kind"]
    if kind == "event" and record:
        whose = f"event “{record.get('trigger') or record.get('type')}”"
    elif kind == "claim" and record:
        speaker = (record.get("speaker") or {}).get("name")
        whose = f"statement by {speaker}" if speaker else "statement"
    else:
        whose = kind
    return f"{whose}: {proves}"


def evidence_links(links: dict[str, list[dict[str, str]]]) -> Callable[..., Markup]:
    """`evlinks(rid, prefix)` for the templates: the ¶ links from a record's fields
    (those starting with `prefix`) to their evidence marks, escaped, each naming
    in words the field it proves. Python, not a macro: an incident page calls it
    thousands of times."""

    def evlinks(rid: str, prefix: str = "") -> Markup:
        return Markup(
            "".join(
                f'<a class="ev" href="{escape(link["href"])}" title="evidence of {escape(link["label"])}"'
                f' aria-label="evidence of {escape(link["label"])}">¶</a>'
                for link in links.get(rid, ())
                if not prefix or link["field"].startswith(prefix)
            )
        )

    return evlinks
