"""HTML to text: trafilatura for whole pages, lxml for fragments it rejects."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

__all__ = ["Page", "html_to_text", "read_page"]

# lxml refuses a str that still declares its byte encoding.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")

# Elements that start and end a paragraph: trafilatura's XML tags and HTML's own.
_BLOCKS = frozenset(
    "p head item list quote table row cell "
    "address article aside blockquote dd div dl dt figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol pre section td th tr ul".split()
)
_BREAKS = frozenset(("br", "lb"))
_NOT_TEXT = ("script", "style", "noscript", "template", "head", "iframe", "svg")

# libxml2 stops building the tree 256 elements deep (more with huge_tree, but
# still a limit): the text below is lost. `_markup_text` has no depth limit.
_PARSER = lxml.html.HTMLParser(huge_tree=True)

# Only dates the page states in its markup, never guessed from the running text.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


@dataclass(slots=True)
class Page:
    """The main text of an HTML page and what its metadata says."""

    text: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None


def _paragraphs_of(root: Any) -> str:
    """The text of an element tree, one blank line between block elements."""
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if not current:
            return
        lines = (_SPACES.sub(" ", line).strip() for line in "".join(current).split("\n"))
        block = "\n".join(line for line in lines if line)
        if block:
            paragraphs.append(block)
        current.clear()

    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else None
        name = tag.rsplit("}", 1)[-1].lower() if tag else None
        if event == "start":
            if name in _BLOCKS:
                flush()
            if name in _BREAKS:
                current.append("\n")
            elif name and el.text:
                current.append(_SPACES.sub(" ", el.text))
        else:
            if name in _BLOCKS:
                flush()
            if el.tail and el is not root:
                current.append(_SPACES.sub(" ", el.tail))
    flush()
    return "\n\n".join(paragraphs)


def _fallback_text(html: str) -> str:
    """Every text node of the HTML, paragraph breaks kept; '' when there is none.

    From lxml's tree; when that tree lost text (markup nested deeper than
    libxml2 builds, or markup it refuses), from the markup read as a stream of
    tags and text instead, which has no depth limit.
    """
    html = _XML_DECLARATION.sub("", html, count=1)
    if not html.strip():
        return ""
    text = ""
    try:
        tree = lxml.html.document_fromstring(html, parser=_PARSER)
    except (etree.ParserError, ValueError):
        tree = None
    if tree is not None:
        etree.strip_elements(
            tree, *_NOT_TEXT, etree.Comment, etree.ProcessingInstruction, with_tail=False
        )
        body = tree.find("body")
        text = _paragraphs_of(body if body is not None else tree)
    streamed = _markup_text(html)
    # The tree's text is better (it knows the page's structure) unless it lost some.
    return streamed if len(streamed.split()) > len(text.split()) else text


class _TextOfTags(HTMLParser):
    """The text of markup read tag by tag: no tree, so no depth limit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0  # inside script, style, head, ...

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in _NOT_TEXT:
            self.hidden += 1
        elif tag in _BREAKS:
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        if tag in _BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _NOT_TEXT:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(_SPACES.sub(" ", data))


def _markup_text(html: str) -> str:
    """The text of the markup, one blank line between block elements."""
    reader = _TextOfTags()
    try:
        reader.feed(html)
        reader.close()
    except Exception:  # noqa: BLE001 - untrusted markup; keep what was read
        pass
    paragraphs = []
    for block in "".join(reader.parts).split("\n\n"):
        lines = (_SPACES.sub(" ", line).strip() for line in block.split("\n"))
        if text := "\n".join(line for line in lines if line):
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def _meta(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _extract(html: str, with_metadata: bool) -> tuple[str, Any]:
    """trafilatura's main text and its result; ('', None) when it finds none."""
    # trafilatura runs on untrusted markup; any failure inside it falls back to
    # lxml rather than losing the article.
    try:
        result = trafilatura.bare_extraction(
            html,
            include_comments=False,
            include_tables=False,
            with_metadata=with_metadata,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception:
        return "", None
    if result is None or result.body is None:
        return "", None
    return _paragraphs_of(result.body), result


def read_page(html: str) -> Page:
    """Main text and metadata (title, site name, date, url) of a whole HTML page."""
    html = _XML_DECLARATION.sub("", html, count=1)
    text, result = _extract(html, with_metadata=True)
    if text:
        return Page(
            text=text,
            title=_meta(result.title),
            outlet=_meta(result.sitename),
            published=_meta(result.date),
            url=_meta(result.url),
        )
    # Too short for trafilatura (or rejected): keep the page's text and ask
    # for the metadata on its own.
    page = Page(text=_fallback_text(html))
    try:
        meta = trafilatura.extract_metadata(html, date_config=_DATE_PARAMS)
    except Exception:
        meta = None
    if meta is not None:
        page.title = _meta(meta.title)
        page.outlet = _meta(meta.sitename)
        page.published = _meta(meta.date)
        page.url = _meta(meta.url)
    return page


def html_to_text(html: str) -> str:
    """The main text of an HTML page or fragment, paragraphs separated by a blank line."""
    html = _XML_DECLARATION.sub("", html, count=1)
    text, _ = _extract(html, with_metadata=False)
    return text or _fallback_text(html)
