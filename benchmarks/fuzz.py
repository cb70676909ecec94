"""Fuzzing: does every reader, and the pipeline, survive hostile input?

Seeded generators (reproducible: the same --seed gives the same inputs) make
files of each format the readers take (plain text, HTML, JSON Lines, RSS/Atom,
WARC, and files whose name gives no format, so the sniffer decides) out of
random Unicode, control characters, odd whitespace, huge numbers, nested
quotes, very long tokens, deep markup and casualty sentences, then mutate a
share of them at the byte level (cut short, bytes flipped or inserted). Each
file goes through `read_paths` and `to_article`; the contract is that every
input yields articles or typed `InputError` rejections with a reason, and
nothing else is ever raised. Short generated texts then go through the whole
pipeline and into a ledger (`ingest_raw`'s steps): a stage that fails is
counted as a Failure on its document, anything raised as unhandled.

    .venv/bin/python benchmarks/fuzz.py --inputs 20000 --pipeline 300 --json out/fuzz.json
    .venv/bin/python benchmarks/fuzz.py --inputs 200 --formats warc --seed 7

--inputs is per reader format. Exit status 0 when nothing unhandled was seen.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import logging
import random
import resource
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from eventledger.errors import InputError
from eventledger.stages.ingest import RawArticle, read_paths, to_article

FORMATS = ("text", "html", "jsonl", "feed", "warc", "sniffed")
_SUFFIX = {
    "text": ".txt",
    "html": ".html",
    "jsonl": ".jsonl",
    "feed": ".xml",
    "warc": ".warc",
    "sniffed": "",
}
# Tracebacks kept per kind of unhandled exception.
_KEEP_TRACEBACKS = 3

# ---------------------------------------------------------------------------
# Text fragments


_SENTENCES = (
    "At least 12 people were killed in an air strike on Al-Amal Hospital in Khan Younis on Tuesday, the ministry said.",
    "Gunmen abducted two nurses near Kadugli on 14 March 2024, a union official said.",
    "Shelling damaged a clinic in Kharkiv overnight Friday; three were wounded.",
    'The death toll has risen to 1,234,567,890,123 according to "officials".',
    "'He said \"they said 'nobody said \"anything\"'\"', the witness said.",
    "Between 10 and 20 (or 30?) died — some say 40; others: none.",
    "“Twelve” killed, ‘six’ injured, «four» missing, „two“ abducted.",
    "On 31/02/2024 and 2024-13-45 and 99999-01-01 strikes hit Gaza, Sudan and Ukraine.",
)
_WORDS = (
    "killed", "wounded", "strike", "hospital", "said", "the", "ministry", "in", "on",
    "Tuesday", "March", "at least", "dozens", "hundreds", "children", "Gaza", "Kharkiv",
    "El Fasher", "UN", "WHO", "MSF", "drone", "shelling", "abducted", "nurses", "and",
)  # fmt: skip
_ODD_SPACE = (
    " ", "  ", "\t", "\n", "\r", "\r\n", "\n\n", "\n\n\n\n", "\u00a0", "\u2000", "\u2003",
    "\u3000", "\u200b", "\u2028", "\u2029", "\u0085", "\u180e", "\ufeff", "\x0b", "\x0c",
)  # fmt: skip
_QUOTES = ('"', "'", "“", "”", "‘", "’", "«", "»", "‹", "›", "„", "‚", "「", "」", "`")
# Code point ranges a random character is drawn from, by weight.
_RANGES = (
    (0x20, 0x7E, 40),  # ASCII
    (0x00, 0x1F, 6),  # C0 controls
    (0x7F, 0x9F, 4),  # DEL, C1 controls
    (0xA0, 0x24F, 10),  # Latin
    (0x300, 0x36F, 4),  # combining marks
    (0x370, 0x4FF, 4),  # Greek, Cyrillic
    (0x590, 0x6FF, 4),  # Hebrew, Arabic
    (0x200B, 0x206F, 4),  # zero-width, bidi controls
    (0x0E00, 0x0E7F, 2),  # Thai
    (0x4E00, 0x9FFF, 4),  # CJK
    (0xFFF0, 0xFFFF, 2),  # specials, noncharacters
    (0x1F300, 0x1FAFF, 4),  # emoji
    (0x10000, 0x10FFFF, 2),  # anything astral
)


def _char(rng: random.Random) -> str:
    lo, hi, _ = rng.choices(_RANGES, weights=[w for *_, w in _RANGES])[0]
    return chr(rng.randint(lo, hi))


def _number(rng: random.Random) -> str:
    kind = rng.randrange(8)
    if kind == 0:
        return str(rng.randint(0, 10 ** rng.randint(1, 400)))
    if kind == 1:
        return "-" + str(rng.randint(0, 10**30))
    if kind == 2:
        return f"{rng.random() * 10 ** rng.randint(-300, 308):e}"
    if kind == 3:
        return ",".join(str(rng.randint(0, 999)).zfill(3) for _ in range(rng.randint(1, 40)))
    if kind == 4:
        return rng.choice(("inf", "nan", "1e999", "0x7fffffffffffffff", "NaN", "-0"))
    if kind == 5:
        return "".join(chr(0x660 + rng.randint(0, 9)) for _ in range(rng.randint(1, 30)))
    if kind == 6:
        return rng.choice(("one", "twelve", "a hundred", "thousands", "a million", "zero"))
    return str(rng.randint(0, 10 ** rng.randint(1, 25))) + rng.choice(
        ("", "%", "th", "s", "k", "m")
    )


def _nested_quotes(rng: random.Random) -> str:
    depth = rng.randint(1, 60)
    opens = [rng.choice(_QUOTES) for _ in range(depth)]
    inner = rng.choice(_WORDS)
    closes = opens[::-1] if rng.random() < 0.5 else [rng.choice(_QUOTES) for _ in range(depth)]
    return "".join(opens) + inner + "".join(closes)


def _long_token(rng: random.Random) -> str:
    n = rng.choice((100, 1000, 5000, 20000))
    unit = rng.choice(("a", "9", "ab-", "ー", "\u0301", rng.choice(_WORDS), _char(rng)))
    return (unit * (n // max(1, len(unit)) + 1))[:n]


def text_piece(rng: random.Random) -> str:
    kind = rng.randrange(10)
    if kind == 0:
        return rng.choice(_SENTENCES)
    if kind == 1:
        return "".join(_char(rng) for _ in range(rng.randint(1, 80)))
    if kind == 2:
        return _number(rng)
    if kind == 3:
        return _nested_quotes(rng)
    if kind == 4:
        return "".join(rng.choice(_ODD_SPACE) for _ in range(rng.randint(1, 12)))
    if kind == 5 and rng.random() < 0.2:
        return _long_token(rng)
    if kind == 6:
        s = rng.choice(_SENTENCES)
        i = rng.randrange(len(s))
        return s[:i] + _char(rng) + s[i + 1 :]
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 20)))


def gen_text(rng: random.Random, max_pieces: int = 30) -> str:
    """A text of random pieces, joined by ordinary or odd whitespace."""
    parts = []
    for _ in range(rng.randint(0, max_pieces)):
        parts.append(text_piece(rng))
        parts.append(rng.choice((" ", " ", ". ", "\n", "\n\n", rng.choice(_ODD_SPACE))))
    return "".join(parts)


def gen_short_text(rng: random.Random) -> str:
    """A short text for the pipeline: a few pieces, each cut to 400 characters."""
    parts = []
    for _ in range(rng.randint(1, 6)):
        piece = text_piece(rng)
        parts.append(piece[:400])
        parts.append(rng.choice((" ", ". ", "\n", "\n\n", rng.choice(_ODD_SPACE))))
    return "".join(parts)


# ---------------------------------------------------------------------------
# Formats


_ENCODINGS = ("utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252", "cp1251", "gb18030", "shift_jis")  # fmt: skip


def _encode(rng: random.Random, text: str) -> bytes:
    encoding = rng.choice(_ENCODINGS)
    errors = rng.choice(
        ("replace", "ignore", "surrogatepass" if encoding == "utf-8" else "replace")
    )
    if rng.random() < 0.05:
        text += "\ud800"  # a lone surrogate: invalid UTF-8 with surrogatepass
    return text.encode(encoding, errors)


def _header(rng: random.Random) -> str:
    keys = ("Title", "title", "Outlet", "Published", "URL", "id", "Language", "TITLE")
    lines = []
    for _ in range(rng.randint(1, 6)):
        value = rng.choice(
            (
                text_piece(rng)[:200],
                "2024-03-12",
                "2024-03-12T10:00:00+00:00",
                "2024-02-30",
                _number(rng),
                "fr",
                "en-GB",
                "",
            )
        )
        sep = rng.choice((":", " :", ":  ", "\t:"))
        lines.append(f"{rng.choice(keys)}{sep}{value}")
    return "\n".join(lines) + rng.choice(("\n\n", "\n", "\n \n", "\r\n\r\n"))


def gen_text_file(rng: random.Random) -> bytes:
    text = gen_text(rng)
    if rng.random() < 0.3:
        text = _header(rng) + text
    return _encode(rng, text)


_TAGS = ("p", "div", "span", "b", "article", "main", "h1", "li", "ul", "table", "td", "tr", "br", "script", "style", "head", "title", "svg", "template", "pre", "a", "x-y", "math")  # fmt: skip
_ENTITIES = ("&amp;", "&lt;", "&#0;", "&#x110000;", "&#99999999999999999999;", "&#xD800;", "&nbsp;", "&bogus;", "&", "&#", "&#x;", "&#65")  # fmt: skip


def _markup(rng: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randint(1, 5)):
        kind = rng.randrange(10)
        if kind < 4 or depth > 6:
            text = text_piece(rng)
            if rng.random() < 0.8:
                text = text.replace("&", "&amp;").replace("<", "&lt;")
            parts.append(text)
        elif kind < 7:
            tag = rng.choice(_TAGS)
            attrs = ""
            if rng.random() < 0.3:
                attrs = f' class="{rng.choice(_QUOTES)}x" data-n={_number(rng)[:40]}'
            close = f"</{tag}>" if rng.random() < 0.85 else ""
            parts.append(f"<{tag}{attrs}>{_markup(rng, depth + 1)}{close}")
        elif kind == 7:
            parts.append(rng.choice(_ENTITIES))
        elif kind == 8:
            parts.append(rng.choice(("<!--", "-->", "<![CDATA[", "]]>", "<?xml ?>", "<!DOCTYPE html>", "</", "<", ">", "<p", "<<p>>")))  # fmt: skip
        else:
            n = rng.choice((10, 100, 300, 1000, 3000))
            tag = rng.choice(("div", "span", "b", "p"))
            parts.append(f"<{tag}>" * n + rng.choice(_SENTENCES) + f"</{tag}>" * rng.choice((0, n)))
    return "".join(parts)


def _html_page(rng: random.Random) -> str:
    head = ""
    if rng.random() < 0.5:
        charset = rng.choice(
            ("utf-8", "latin-1", "bogus", "utf-16", "x-user-defined", "cp1252", "")
        )
        head += f'<meta charset="{charset}">'
    if rng.random() < 0.5:
        head += f"<title>{text_piece(rng)[:200]}</title>"
    if rng.random() < 0.3:
        date = rng.choice(("2024-03-12T10:00:00Z", "2024-99-99", _number(rng), "yesterday"))
        head += f'<meta property="article:published_time" content="{date}">'
    if rng.random() < 0.3:
        head += f'<meta property="og:url" content="{text_piece(rng)[:100]}">'
    body = _markup(rng)
    if rng.random() < 0.3:
        return body
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def gen_html_file(rng: random.Random) -> bytes:
    return _encode(rng, _html_page(rng))


def _json_value(rng: random.Random, depth: int = 0) -> object:
    kind = rng.randrange(9 if depth < 4 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice((True, False))
    if kind == 2:
        return rng.randint(-(10 ** rng.randint(1, 60)), 10 ** rng.randint(1, 60))
    if kind == 3:
        return rng.random() * 10 ** rng.randint(-300, 300)
    if kind in (4, 5):
        return gen_text(rng, 8)
    if kind == 6:
        return [_json_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if kind == 7:
        return {text_piece(rng)[:20]: _json_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}
    return _html_page(rng)


def gen_jsonl_file(rng: random.Random) -> bytes:
    lines = []
    for _ in range(rng.randint(0, 6)):
        kind = rng.randrange(10)
        if kind < 6:
            record: dict[str, object] = {}
            for name in ("id", "url", "title", "outlet", "published", "language", "text", "html"):
                if rng.random() < 0.5:
                    good = {
                        "text": gen_text(rng, 10),
                        "html": _html_page(rng),
                        "published": rng.choice(("2024-03-12", "2024-03-12T10:00:00Z", "x")),
                        "id": rng.choice((text_piece(rng)[:80], rng.randint(-(10**30), 10**30))),
                    }.get(name, text_piece(rng)[:100])
                    record[name] = good if rng.random() < 0.7 else _json_value(rng)
            line = json.dumps(record, ensure_ascii=rng.random() < 0.5)
        elif kind == 6:
            line = json.dumps(_json_value(rng))
        elif kind == 7:
            line = "[" * rng.choice((10, 1000, 100_000)) + "]" * rng.choice((0, 10))
        elif kind == 8:
            line = '{"text": "' + "9" * rng.choice((10, 5000)) + '", "id": ' + "9" * 5000 + "}"
        else:
            line = gen_text(rng, 5)
        lines.append(line)
    sep = rng.choice(("\n", "\r\n", "\n\n", "\u2028"))
    return _encode(rng, sep.join(lines) + rng.choice(("", "\n")))


def _feed_date(rng: random.Random) -> str:
    return rng.choice(
        (
            "Tue, 12 Mar 2024 10:00:00 GMT",
            "2024-03-12T10:00:00Z",
            "Fri, 31 Feb 99999 25:61:61 +9999",
            "0000-00-00",
            _number(rng)[:60],
            "",
        )
    )


def _xml_text(rng: random.Random, text: str) -> str:
    if rng.random() < 0.8:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if rng.random() < 0.5:
        return f"<![CDATA[{text}]]>"
    return text  # raw, possibly malformed


def gen_feed_file(rng: random.Random) -> bytes:
    kind = rng.choice(("rss", "atom", "rdf"))
    entries = []
    for _ in range(rng.randint(0, 5)):
        body = _xml_text(rng, _html_page(rng) if rng.random() < 0.6 else gen_text(rng, 10))
        title = _xml_text(rng, text_piece(rng)[:150])
        link = _xml_text(rng, rng.choice(("https://example.org/a/1", text_piece(rng)[:80], "")))
        ident = _xml_text(rng, rng.choice(("urn:x:1", text_piece(rng)[:80], "")))
        date = _feed_date(rng)
        if kind == "atom":
            ctype = rng.choice(("html", "text", "xhtml", "text/plain", "bogus"))
            entries.append(
                f'<entry><title>{title}</title><id>{ident}</id><link href="{link}"/>'
                f'<updated>{date}</updated><content type="{ctype}">{body}</content></entry>'
            )
        else:
            tag = "item" if kind == "rss" else 'item rdf:about="x"'
            entries.append(
                f"<{tag}><title>{title}</title><link>{link}</link><guid>{ident}</guid>"
                f"<pubDate>{date}</pubDate><description>{body}</description></item>"
            )
    doctype = ""
    if rng.random() < 0.05:  # entity expansion, kept small
        doctype = '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        entries.append("<item><description>&b;&b;&b;&b;</description></item>")
    decl = rng.choice(('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="bogus"?>', '<?xml version="1.0" encoding="latin-1"?>', ""))  # fmt: skip
    title = _xml_text(rng, text_piece(rng)[:100])
    if kind == "atom":
        doc = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>{"".join(entries)}</feed>'
    elif kind == "rss":
        doc = (
            f'<rss version="2.0"><channel><title>{title}</title>{"".join(entries)}</channel></rss>'
        )
    else:
        doc = (
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            f'xmlns="http://purl.org/rss/1.0/"><channel><title>{title}</title></channel>'
            f"{''.join(entries)}</rdf:RDF>"
        )
    return _encode(rng, decl + doctype + doc)


def gen_warc_file(rng: random.Random) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    gz = rng.random() < 0.4
    writer = WARCWriter(out, gzip=gz)
    for _ in range(rng.randint(0, 4) or rng.randint(0, 1)):
        ctype = rng.choice(("text/html", "text/html", "text/html; charset=latin-1", "text/html; charset=bogus", "text/plain", "application/xhtml+xml", ""))  # fmt: skip
        status = rng.choice(("200 OK",) * 6 + ("301 Moved", "404 Not Found", "2", "999 X", "abc"))
        payload = _encode(rng, _html_page(rng)) if rng.random() < 0.9 else bytes(rng.randbytes(rng.randint(0, 300)))  # fmt: skip
        headers = [("Content-Type", ctype)] if ctype else []
        if rng.random() < 0.1:
            headers.append(("Content-Length", str(rng.randint(0, 10**12))))
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        uri = rng.choice(("https://example.org/a/1", text_piece(rng)[:80].replace(" ", "") or "x"))
        rec_type = rng.choice(("response",) * 6 + ("request", "resource", "metadata"))
        try:
            record = writer.create_warc_record(
                uri,
                rec_type,
                payload=io.BytesIO(payload),
                http_headers=http if rec_type in ("response", "request") else None,
            )
            writer.write_record(record)
        except Exception:  # noqa: BLE001 - warcio refusing to write an odd record is no reader input
            continue
    data = out.getvalue()
    if rng.random() < 0.1:  # a hand-written header block with odd values
        body = _encode(rng, _html_page(rng))
        length = rng.choice((str(len(body)), str(len(body) + 50), "-1", "abc", "9" * 40, ""))
        block = f"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: {length}\r\n\r\n".encode()
        data += block + b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body + b"\r\n\r\n"
    if gz and rng.random() < 0.1:
        data = gzip.compress(data[: len(data) // 2])
    return data


GENERATORS = {
    "text": gen_text_file,
    "html": gen_html_file,
    "jsonl": gen_jsonl_file,
    "feed": gen_feed_file,
    "warc": gen_warc_file,
}


def gen_sniffed_file(rng: random.Random) -> bytes:
    """A file of any format, with no suffix: the sniffer has to tell which."""
    return GENERATORS[rng.choice(tuple(GENERATORS))](rng)


GENERATORS["sniffed"] = gen_sniffed_file


def mutate(rng: random.Random, data: bytes) -> bytes:
    """`data` damaged at the byte level: cut short, bytes flipped, bytes inserted, a run repeated."""
    if not data:
        return bytes(rng.randbytes(rng.randint(0, 50)))
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(5)
        if kind == 0 and buf:
            del buf[rng.randrange(len(buf)) :]
        elif kind == 1 and buf:
            for _ in range(rng.randint(1, 8)):
                buf[rng.randrange(len(buf))] = rng.randrange(256)
        elif kind == 2:
            at = rng.randint(0, len(buf))
            buf[at:at] = rng.randbytes(rng.randint(1, 16))
        elif kind == 3 and buf:
            a = rng.randrange(len(buf))
            b = min(len(buf), a + rng.randint(1, 200))
            buf[b:b] = buf[a:b] * rng.randint(1, 20)
        elif buf:
            at = rng.randrange(len(buf))
            buf[at:at] = rng.choice((b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\r", b"\x1f\x8b"))
    return bytes(buf)


def make_input(fmt: str, rng: random.Random) -> bytes:
    data = GENERATORS[fmt](rng)
    if rng.random() < 0.25:
        data = mutate(rng, data)
    return data


# ---------------------------------------------------------------------------
# Running


@dataclass
class Tally:
    inputs: int = 0
    accepted: int = 0  # inputs that gave at least one article
    articles: int = 0
    rejections: int = 0
    reasons: Counter = field(default_factory=Counter)  # error code -> count
    unhandled: int = 0
    tracebacks: list[str] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)  # exception type -> count
    seconds: float = 0.0
    slowest_s: float = 0.0
    stage_failures: int = 0
    failures: Counter = field(default_factory=Counter)  # stage -> count

    def crash(self, exc: BaseException, where: str) -> None:
        self.unhandled += 1
        kind = type(exc).__name__
        self.kinds[kind] += 1
        if self.kinds[kind] <= _KEEP_TRACEBACKS:
            self.tracebacks.append(f"{where}\n{''.join(traceback.format_exception(exc))}")

    def as_dict(self) -> dict:
        return {
            "inputs": self.inputs,
            "accepted": self.accepted,
            "articles": self.articles,
            "rejections": self.rejections,
            "rejection_codes": dict(self.reasons.most_common()),
            "unhandled": self.unhandled,
            "unhandled_kinds": dict(self.kinds),
            "tracebacks": self.tracebacks,
            "stage_failures": self.stage_failures,
            "failures_by_stage": dict(self.failures),
            "seconds": round(self.seconds, 2),
            "slowest_input_s": round(self.slowest_s, 3),
        }


def check_reader_input(data: bytes, path: Path, tally: Tally) -> None:
    """Read one file through the readers and to_article, tallying what came out."""
    path.write_bytes(data)
    t0 = time.perf_counter()
    got = False
    try:
        # warcio writes a warning per damaged record straight to stderr.
        with contextlib.redirect_stderr(io.StringIO()):
            items = list(read_paths([path]))
        for item in items:
            if isinstance(item, InputError):
                _rejected(tally, item)
                continue
            try:
                article = to_article(item, languages=["en"])
            except InputError as exc:
                _rejected(tally, exc)
                continue
            if not article.text.strip() or not article.id:
                raise AssertionError(f"an article with no text or id: {article!r}")
            tally.articles += 1
            got = True
    except Exception as exc:  # noqa: BLE001 - what the fuzzer is looking for
        tally.crash(
            exc, f"input: {data[:300]!r}{'…' if len(data) > 300 else ''} ({len(data)} bytes)"
        )
    spent = time.perf_counter() - t0
    tally.seconds += spent
    tally.slowest_s = max(tally.slowest_s, spent)
    tally.inputs += 1
    tally.accepted += got


def _rejected(tally: Tally, exc: InputError) -> None:
    if not str(exc.args[0] if exc.args else "").strip():
        raise AssertionError(f"a rejection without a reason: {exc!r}")
    tally.rejections += 1
    tally.reasons[exc.code] += 1


def run_readers(
    formats: list[str], n: int, seed: int, folder: Path, tallies: dict[str, Tally], until: float
) -> None:
    """`n` inputs of each format, the formats in turn, until the clock passes `until`."""
    rngs = {fmt: random.Random(f"{seed}:{fmt}") for fmt in formats}
    paths = {fmt: folder / f"input{_SUFFIX[fmt]}" for fmt in formats}
    step = max(1, n // 20)
    for i in range(n):
        if time.perf_counter() > until:
            print(f"time is up after {i} inputs of each format", file=sys.stderr)
            return
        for fmt in formats:
            check_reader_input(make_input(fmt, rngs[fmt]), paths[fmt], tallies[fmt])
        if (i + 1) % step == 0:
            done = sum(t.inputs for t in tallies.values())
            crashes = sum(t.unhandled for t in tallies.values())
            print(f"readers: {done:,} inputs, {crashes} unhandled", file=sys.stderr)


def run_pipeline(
    n: int, seed: int, folder: Path, tally: Tally, until: float, batch: int = 32
) -> None:
    """`n` short generated texts through to_article, every stage, storage and linking."""
    from eventledger.batch.local import IngestReport
    from eventledger.config import load_settings
    from eventledger.pipeline import Pipeline
    from eventledger.storage import Ledger

    settings = load_settings(env={})
    pipeline = Pipeline.from_settings(settings)
    rng = random.Random(f"{seed}:pipeline")
    ledger = Ledger(str(folder / "fuzz.db"))
    done = 0
    while done < n and time.perf_counter() < until:
        texts = [gen_short_text(rng) for _ in range(min(batch, n - done))]
        t0 = time.perf_counter()
        _pipeline_batch(texts, done, pipeline, ledger, settings, tally, IngestReport)
        spent = time.perf_counter() - t0
        tally.seconds += spent
        tally.slowest_s = max(tally.slowest_s, spent / len(texts))
        done += len(texts)
        print(f"pipeline: {done}/{n} ({tally.seconds:.0f} s)", file=sys.stderr)
    ledger.close()


def _pipeline_batch(texts, first, pipeline, ledger, settings, tally, report_type) -> None:
    from eventledger.batch.local import planned_documents, store_documents

    raws = [RawArticle(source=f"fuzz-{first + i}", text=t) for i, t in enumerate(texts)]
    report = report_type()
    try:
        docs = list(pipeline.pipe(planned_documents(raws, ledger, settings, report)))
        for doc in docs:
            for failure in doc.failures:
                tally.stage_failures += 1
                tally.failures[failure.stage] += 1
                if tally.failures[failure.stage] <= _KEEP_TRACEBACKS:
                    tally.tracebacks.append(f"{doc.article.source}: {failure.stage}: {failure.message}\ntext: {doc.text!r}")  # fmt: skip
        store_documents(docs, ledger, settings, report)
    except Exception as exc:  # noqa: BLE001 - find the culprit one text at a time
        if len(texts) == 1:
            tally.crash(exc, f"text: {texts[0]!r}")
            tally.inputs += 1
            return
        for i, text in enumerate(texts):
            _pipeline_batch([text], first + i, pipeline, ledger, settings, tally, report_type)
        return
    tally.inputs += len(texts)
    tally.accepted += report.stored + report.unchanged
    tally.articles += report.stored
    for _, code, _ in report.rejected:
        tally.rejections += 1
        tally.reasons[code] += 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", type=int, default=1000, help="generated inputs per reader format")
    ap.add_argument("--pipeline", type=int, default=200, help="short texts through the pipeline")
    ap.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument(
        "--minutes",
        type=float,
        help="stop generating after this long (the report says how many ran)",
    )
    ap.add_argument("--json", help="write the figures to this JSON file")
    args = ap.parse_args(argv)

    # trafilatura logs every page it cannot parse; the tally counts them instead.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    tallies: dict[str, Tally] = {fmt: Tally() for fmt in args.formats}
    started = time.perf_counter()
    until = started + args.minutes * 60 if args.minutes else float("inf")
    with tempfile.TemporaryDirectory(prefix="eventledger-fuzz-") as tmp:
        folder = Path(tmp)
        if args.pipeline:
            tallies["pipeline"] = Tally()
            run_pipeline(args.pipeline, args.seed, folder, tallies["pipeline"], until)
        run_readers(args.formats, args.inputs, args.seed, folder, tallies, until)
    total_s = time.perf_counter() - started

    console = Console()
    table = Table(title=f"fuzzing (seed {args.seed})")
    for col in ("input", "inputs", "accepted", "articles", "rejected", "top codes", "stage fail", "unhandled", "s", "slowest s"):  # fmt: skip
        table.add_column(col, justify="left" if col in ("input", "top codes") else "right")
    for name, t in tallies.items():
        table.add_row(
            name,
            f"{t.inputs:,}",
            f"{t.accepted:,}",
            f"{t.articles:,}",
            f"{t.rejections:,}",
            " ".join(f"{c}:{k}" for c, k in t.reasons.most_common(2)),
            f"{t.stage_failures}",
            f"{t.unhandled}",
            f"{t.seconds:.0f}",
            f"{t.slowest_s:.2f}",
        )
    total_inputs = sum(t.inputs for t in tallies.values())
    total_unhandled = sum(t.unhandled for t in tallies.values())
    console.print(table)
    console.print(f"{total_inputs:,} inputs in {total_s:.0f} s: {total_unhandled} unhandled exceptions, {sum(t.stage_failures for t in tallies.values())} stage failures")  # fmt: skip
    for t in tallies.values():
        for tb in t.tracebacks:
            console.print(tb, markup=False, highlight=False)
    result = {
        "seed": args.seed,
        "inputs_per_format_asked": args.inputs,
        "minutes_limit": args.minutes,
        "pipeline_texts": args.pipeline,
        "total_inputs": total_inputs,
        "total_unhandled": total_unhandled,
        "seconds": round(total_s, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "by_input": {k: t.as_dict() for k, t in tallies.items()},
    }
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0 if total_unhandled == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
