"""Every reader on generated input: articles or typed rejections with a reason, never a crash.

A small sample, fast; `benchmarks/fuzz.py` runs the same contract on many
more inputs with its own seeded generators.
"""

from __future__ import annotations

import gzip
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventledger.errors import InputError
from eventledger.models import Article
from eventledger.stages.ingest import RawArticle, read_paths, to_article

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SENTENCE = (
    "At least 12 people were killed in a strike on a clinic in Khan Younis, the ministry said."
)
# Characters from every category but surrogates, which no file can hold as text.
CHARS = st.characters(exclude_categories=("Cs",))
ODD_SPACE = st.sampled_from(
    [" ", "\t", "\n", "\r", "\r\n", "\n\n\n", "\u00a0", "\u3000", "\u200b", "\u2028", "\u0085", "\ufeff", "\x0b"]
)  # fmt: skip
QUOTES = st.sampled_from(list("\"'“”‘’«»‹›„‚`"))
PIECES = st.one_of(
    st.text(CHARS, max_size=40),
    st.just(SENTENCE),
    st.integers(min_value=-(10**400), max_value=10**400).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.tuples(st.lists(QUOTES, min_size=1, max_size=30), st.text(CHARS, max_size=5)).map(
        lambda t: "".join(t[0]) + t[1] + "".join(reversed(t[0]))
    ),
    st.lists(ODD_SPACE, min_size=1, max_size=8).map("".join),
    st.tuples(st.text(CHARS, min_size=1, max_size=3), st.integers(100, 6000)).map(
        lambda t: t[0] * (t[1] // len(t[0]))
    ),
    st.characters(min_codepoint=0, max_codepoint=0x9F).map(lambda c: c * 3),
)
TEXTS = st.lists(PIECES, max_size=12).map(" ".join)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252", "cp1251"])


def encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, "replace")


def check(data: bytes, suffix: str) -> list[Article | InputError]:
    """Read `data` as a file named with `suffix`; every result an Article or an InputError."""
    out: list[Article | InputError] = []
    with tempfile.TemporaryDirectory(prefix="eventledger-fuzz-") as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        for item in read_paths([path]):
            if isinstance(item, RawArticle):
                try:
                    item = to_article(item, languages=["en"])
                except InputError as exc:
                    item = exc
            assert isinstance(item, Article | InputError), item
            if isinstance(item, InputError):
                assert str(item.args[0]).strip(), "a rejection needs a reason"
                assert item.code.startswith("E1")
            else:
                assert item.text.strip() and item.id
            out.append(item)
    return out


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from(["", ".txt", ".html", ".jsonl", ".xml", ".warc", ".warc.gz"]))  # fmt: skip
def test_any_bytes_in_any_format(data: bytes, suffix: str) -> None:
    check(data, suffix)


@FUZZ
@given(TEXTS, ENCODINGS, st.booleans())
def test_text_files(text: str, encoding: str, header: bool) -> None:
    if header:
        text = f"Title: {text[:50]}\nPublished: {text[-20:]}\n\n{text}"
    check(encode(text, encoding), ".txt")


def _markup(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    tags = st.sampled_from(["p", "div", "b", "article", "script", "li", "table", "td", "br", "x"])
    return st.tuples(tags, st.lists(children, max_size=4), st.booleans()).map(
        lambda t: f"<{t[0]}>{''.join(t[1])}" + (f"</{t[0]}>" if t[2] else "")
    )


MARKUP = st.recursive(
    st.one_of(
        TEXTS.map(lambda s: s.replace("<", "&lt;")),
        st.sampled_from(
            ["&#x110000;", "&#0;", "&#xD800;", "&bogus;", "<!--", "<![CDATA[", "</", "&"]
        ),
        st.integers(1, 400).map(lambda n: "<div>" * n + SENTENCE),
    ),
    _markup,
    max_leaves=12,
)


@FUZZ
@given(MARKUP, ENCODINGS, st.sampled_from(["", "utf-8", "latin-1", "bogus", "utf-16"]))
def test_html_files(body: str, encoding: str, charset: str) -> None:
    meta = f'<meta charset="{charset}">' if charset else ""
    check(encode(f"<html><head>{meta}</head><body>{body}</body></html>", encoding), ".html")


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**80), max_value=10**80)
    | st.floats()
    | TEXTS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
RECORDS = st.fixed_dictionaries(
    {},
    optional={
        name: st.one_of(TEXTS, MARKUP, JSON)
        for name in ("id", "url", "title", "outlet", "published", "language", "text", "html")
    },
)


# Huge numbers: Python refuses to convert an integer of more than 4,300 digits.
HUGE_NUMBER = st.integers(10, 6000).map(lambda n: f'{{"text": "{SENTENCE}", "id": {"9" * n}}}')


@FUZZ
@given(
    st.lists(
        st.one_of(RECORDS.map(json.dumps), JSON.map(json.dumps), HUGE_NUMBER, TEXTS), max_size=5
    )
)
def test_jsonl_files(lines: list[str]) -> None:
    check("\n".join(lines).encode("utf-8", "surrogatepass"), ".jsonl")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


ENTRIES = st.tuples(TEXTS, st.one_of(MARKUP, TEXTS), TEXTS, st.booleans()).map(
    lambda t: (
        f"<item><title>{_escape(t[0])}</title><guid>{_escape(t[2][:40])}</guid>"
        f"<pubDate>{_escape(t[2][-30:])}</pubDate>"
        f"<description>{_escape(t[1]) if t[3] else t[1]}</description></item>"
    )
)


@FUZZ
@given(st.lists(ENTRIES, max_size=4), st.booleans(), st.integers(0, 10**6))
def test_feed_files(entries: list[str], atom_like: bool, cut: int) -> None:
    items = "".join(entries)
    if atom_like:
        items = items.replace("<item>", "<entry>").replace("</item>", "</entry>")
        doc = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>{items}</feed>'
    else:
        doc = f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'
    data = doc.encode()
    check(data[: max(1, len(data) - cut % 50)] if cut % 3 == 0 else data, ".xml")


@FUZZ
@given(
    st.lists(
        st.tuples(MARKUP, ENCODINGS, st.sampled_from(["200 OK", "404 Not Found", "x"])), max_size=3
    ),
    st.booleans(),
    st.integers(0, 10**6),
)
def test_warc_files(records: list[tuple[str, str, str]], gz: bool, cut: int) -> None:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for body, encoding, status in records:
        http = StatusAndHeaders(status, [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            "https://example.org/a",
            "response",
            payload=io.BytesIO(encode(body, encoding)),
            http_headers=http,
        )
        writer.write_record(record)
    data = out.getvalue()
    if cut % 2 and data:
        data = data[: cut % len(data)]
    elif cut % 5 == 0 and gz:
        data = gzip.compress(data)[:-4]
    check(data or b"WARC/1.0\r\n", ".warc.gz" if gz else ".warc")
