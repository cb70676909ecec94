"""Readers: files and folders to RawArticles, rejected inputs yielded as InputErrors."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import feedparser
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from eventledger.errors import (
    EmptyInput,
    InputError,
    MalformedRecord,
    TooLarge,
    UnreadableInput,
)

from .articles import RawArticle, normalize_published
from .decoding import SNIFF_BYTES, Decoded, check_binary, decode
from .markup import read_page

__all__ = ["read_paths"]

_SUFFIXES = (
    (".warc.gz", "warc"),
    (".warc", "warc"),
    (".jsonl", "jsonl"),
    (".ndjson", "jsonl"),
    (".txt", "text"),
    (".text", "text"),
    (".html", "html"),
    (".htm", "html"),
    (".xhtml", "html"),
    (".xml", "feed"),
    (".rss", "feed"),
    (".atom", "feed"),
    (".feed", "feed"),
)
_HEADER_LINE = re.compile(
    r"(title|outlet|published|url|id|language)[ \t]*:[ \t]*(.*)", re.IGNORECASE
)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_JSONL_FIELDS = ("id", "url", "title", "outlet", "published", "language")
_DRAIN_CHUNK = 1 << 16
# A numeric character reference; feedparser's loose parser fails on one that
# names no character (over U+10FFFF, a surrogate, NUL).
_CHARREF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,16})|([0-9]{1,32}));")


def read_paths(
    paths: Iterable[str | Path],
    *,
    max_file_bytes: int = 20_000_000,
    max_record_bytes: int = 5_000_000,
    exclude: Iterable[str | Path] = (),
) -> Iterator[RawArticle | InputError]:
    """Every article in `paths` (files or folders), and an InputError instance for each rejected input.

    Files listed in `exclude` (say, the ledger's own database inside the folder
    being ingested) are skipped when a folder walk meets them.
    """
    skip = frozenset(Path(p).resolve() for p in exclude)
    for path in paths:
        yield from _walk(Path(path), (), max_file_bytes, max_record_bytes, skip)


def _walk(
    path: Path,
    ancestors: tuple[tuple[int, int], ...],
    max_file: int,
    max_record: int,
    skip: frozenset[Path],
) -> Iterator[RawArticle | InputError]:
    source = _display(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        yield UnreadableInput("no such file or folder; check the path", source)
        return
    except OSError as e:
        yield UnreadableInput(f"cannot read it ({e.strerror or e}); check its permissions", source)
        return
    if stat.S_ISDIR(st.st_mode):
        here = (st.st_dev, st.st_ino)
        if here in ancestors:
            yield UnreadableInput(
                "this folder links back to a folder that contains it; skipped", source
            )
            return
        try:
            with os.scandir(path) as entries:
                names = sorted(e.name for e in entries if not e.name.startswith("."))
        except OSError as e:
            yield UnreadableInput(f"cannot list the folder ({e.strerror or e})", source)
            return
        for name in names:
            child = path / name
            if skip and child.resolve() in skip:
                continue
            yield from _walk(child, (*ancestors, here), max_file, max_record, skip)
    elif stat.S_ISREG(st.st_mode):
        try:
            yield from _read_file(path, st.st_size, max_file, max_record)
        except InputError as e:
            yield e
        except OSError as e:
            yield UnreadableInput(f"reading failed ({e.strerror or e})", source)
    else:
        yield UnreadableInput(
            "not a regular file (a pipe, socket or device); give a file or folder", source
        )


def _display(path: Path) -> str:
    """The path as text that can be stored and printed: a byte of the file name
    that is not UTF-8 is written as an escape (0xff as the four characters \\xff)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _format_of(name: str) -> str | None:
    lower = name.lower()
    for suffix, fmt in _SUFFIXES:
        if lower.endswith(suffix):
            return fmt
    return None


def _read_file(
    path: Path, size: int, max_file: int, max_record: int
) -> Iterator[RawArticle | InputError]:
    source = _display(path)
    if size == 0:
        raise EmptyInput("the file is empty; nothing to ingest", source)
    fmt = _format_of(path.name)
    # WARC and JSON Lines are streamed record by record, so their size is no limit.
    if fmt == "warc":
        with path.open("rb") as f:
            yield from _read_warc(f, source, max_file)
        return
    if fmt == "jsonl":
        with path.open("rb") as f:
            check_binary(f.read(SNIFF_BYTES), source)
            f.seek(0)
            yield from _read_jsonl(f, source, max_record)
        return
    # Decided from stat() so a huge file is never read into memory.
    if size > max_file:
        raise _too_large(size, max_file, source)
    with path.open("rb") as f:
        data = f.read(max_file + 1)
    if len(data) > max_file:  # it grew after stat()
        raise _too_large(len(data), max_file, source)
    if fmt is None:
        fmt = _sniff(data)
    if fmt == "warc":
        yield from _read_warc(io.BytesIO(data), source, max_file)
    elif fmt == "jsonl":
        yield from _read_jsonl(io.BytesIO(data), source, max_record)
    elif fmt == "feed":
        if not data.strip():
            raise EmptyInput("the file is only whitespace; nothing to ingest", source)
        check_binary(data[:SNIFF_BYTES], source)
        yield from _read_feed(data, source)
    elif fmt == "html":
        yield _read_html(decode(data, source, _meta_charset(data)), source)
    else:
        yield _read_text(decode(data, source), source)


def _too_large(size: int, limit: int, source: str) -> TooLarge:
    return TooLarge(
        f"the file is {size:,} bytes, over the limit of {limit:,}; split it, "
        "use JSON Lines (read line by line) or raise max_file_bytes",
        source,
    )


def _sniff(data: bytes) -> str:
    """The format of a file whose name does not say it, from its first bytes."""
    head = data[:SNIFF_BYTES]
    if head.startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"\x1f\x8b"):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(head)) as z:
                if z.read(5) == b"WARC/":
                    return "warc"
        except (OSError, EOFError, zlib.error):
            pass
        return "binary"  # check_binary names it when the text reader decodes it
    lower = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lower.startswith(b"<"):
        if any(tag in lower for tag in (b"<rss", b"<feed", b"<rdf:rdf")):
            return "feed"
        return "html"
    if lower.startswith(b"{"):
        first = lower.split(b"\n", 1)[0]
        try:
            if isinstance(json.loads(first), dict):
                return "jsonl"
        except ValueError:
            pass
    return "text"


def _meta_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its head (<meta charset> or http-equiv)."""
    head = data[:SNIFF_BYTES].decode("ascii", "ignore")
    for meta in re.finditer(r"<meta\b[^>]*>", head, re.IGNORECASE):
        if match := _CHARSET.search(meta.group(0)):
            return match.group(1)
    return None


def _read_text(decoded: Decoded, source: str) -> RawArticle:
    """A plain text article, with an optional header block of `Key: value` lines."""
    text = decoded.text
    raw = RawArticle(
        source=source,
        text=text,
        encoding=decoded.encoding,
        encoding_confidence=decoded.confidence,
    )
    if not _HEADER_LINE.match(text):
        return raw
    fields: dict[str, str] = {}
    lines = text.split("\n")
    # A final newline ends the last line; it is no blank line of its own.
    real = lines[:-1] if text.endswith("\n") else lines
    end = next((i for i, line in enumerate(real) if not line.strip()), None)
    if end is None:
        return raw  # no blank line ends the block: it is body text
    for line in lines[:end]:
        match = _HEADER_LINE.fullmatch(line.strip())
        if match is None:
            return raw  # not a header block after all: keep every line as body
        fields.setdefault(match.group(1).lower(), match.group(2).strip())
    raw.text = "\n".join(lines[end + 1 :])
    for key, value in fields.items():
        if value:
            setattr(raw, key, value)
    if raw.published is not None:
        raw.published = normalize_published(raw.published, source)
    return raw


def _read_html(decoded: Decoded, source: str) -> RawArticle:
    html = decoded.text
    page = read_page(html)
    return RawArticle(
        source=source,
        text=page.text,
        html=html,
        url=page.url,
        title=page.title,
        outlet=page.outlet,
        published=page.published,
        encoding=decoded.encoding,
        encoding_confidence=decoded.confidence,
    )


def _read_jsonl(f: IO[bytes], source: str, max_record: int) -> Iterator[RawArticle | InputError]:
    seen_any = False
    number = 0
    while line := f.readline(max_record + 1):
        number += 1
        where = f"{source}:{number}"
        content = line.rstrip(b"\r\n")
        if number == 1:
            content = content.removeprefix(b"\xef\xbb\xbf")
        if len(content) > max_record:
            while line and not line.endswith(b"\n"):
                line = f.readline(_DRAIN_CHUNK)
            seen_any = True
            yield TooLarge(
                f"the record is over {max_record:,} bytes; split the article or raise max_record_bytes",
                where,
            )
            continue
        if not content.strip():
            continue
        seen_any = True
        try:
            yield _jsonl_record(decode(content, where).text, where)
        except InputError as e:
            yield e
    if not seen_any:
        raise EmptyInput("the JSON Lines file has no records", source)


def _jsonl_record(line: str, where: str) -> RawArticle:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise MalformedRecord(
            f"not valid JSON ({e.msg} at column {e.colno}); fix or drop the line", where
        ) from None
    except RecursionError:
        raise MalformedRecord("JSON nested too deeply to read", where) from None
    except ValueError as e:  # an integer of more digits than Python converts (4,300)
        raise MalformedRecord(
            f"a value cannot be read ({e}); fix or drop the line", where
        ) from None
    if not isinstance(record, dict):
        raise MalformedRecord(f"expected a JSON object, got {type(record).__name__}", where)
    body = {}
    for name in ("text", "html"):
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise MalformedRecord(
                f"field {name!r} must be a string, got {type(value).__name__}", where
            )
        body[name] = value if value and value.strip() else None
    if body["text"] is None and body["html"] is None:
        raise MalformedRecord("the record needs a non-empty 'text' or 'html' string", where)
    raw = RawArticle(source=where, text=body["text"], html=body["html"])
    for name in _JSONL_FIELDS:
        value: Any = record.get(name)
        if name == "id" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value is not None and not isinstance(value, str):
            raise MalformedRecord(
                f"field {name!r} must be a string, got {type(value).__name__}", where
            )
        setattr(raw, name, (value.strip() or None) if value is not None else None)
    if raw.published is not None:
        raw.published = normalize_published(raw.published, where)
    return raw


def _struct_to_iso(value: Any) -> str | None:
    """feedparser's UTC struct_time as an ISO date-time."""
    try:
        return datetime(*value[:6], tzinfo=UTC).isoformat()
    except (TypeError, ValueError):
        return None


def _charref(match: re.Match[bytes]) -> bytes:
    """A numeric character reference, or U+FFFD's when it names no character."""
    hexa, decimal = match.groups()
    code = int(hexa, 16) if hexa is not None else int(decimal)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return b"&#xFFFD;"
    return match.group(0)


def _read_feed(data: bytes, source: str) -> Iterator[RawArticle | InputError]:
    # A BytesIO, never bytes: feedparser opens a bytes argument as a file name,
    # and a feed's text is untrusted.
    try:
        parsed = feedparser.parse(io.BytesIO(_CHARREF.sub(_charref, data)))
    except Exception as e:  # noqa: BLE001 - feedparser on untrusted markup; a reason, never a crash
        raise MalformedRecord(
            f"not a feed that can be read (feedparser failed: {type(e).__name__}: {e}); "
            "check it is RSS or Atom",
            source,
        ) from None
    if not parsed.entries:
        if parsed.bozo:
            raise MalformedRecord(
                f"not a feed that can be read ({parsed.get('bozo_exception')}); check it is RSS or Atom",
                source,
            )
        raise EmptyInput("the feed has no entries", source)
    outlet = parsed.feed.get("title") or None
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{source}#{number}"
        content = entry.get("content") or []
        value, kind = None, "text/html"
        if content and content[0].get("value"):
            value, kind = content[0]["value"], content[0].get("type") or kind
        elif entry.get("summary"):
            value = entry["summary"]
            kind = (entry.get("summary_detail") or {}).get("type") or kind
        if not value or not value.strip():
            yield MalformedRecord("the feed entry has no content or summary", where)
            continue
        published = None
        for name in ("published_parsed", "updated_parsed"):
            if entry.get(name):
                published = _struct_to_iso(entry[name])
                if published:
                    break
        is_plain = kind == "text/plain"
        yield RawArticle(
            source=where,
            text=value if is_plain else None,
            html=None if is_plain else value,
            id=entry.get("id") or None,
            url=entry.get("link") or None,
            title=entry.get("title") or None,
            outlet=outlet,
            published=published,
        )


def _read_warc(f: IO[bytes], source: str, max_file: int) -> Iterator[RawArticle | InputError]:
    number = found = 0
    try:
        archive = ArchiveIterator(f)
        for number, record in enumerate(archive, start=1):
            # warcio reads almost anything as an old ARC file; only WARC is accepted.
            if record.format != "warc":
                raise MalformedRecord(
                    f"record {number} is not a WARC record; give a WARC (or .warc.gz) file",
                    source,
                )
            where = f"{source}#{number}"
            article = _warc_record(record, where, max_file)
            if isinstance(article, RawArticle):
                # A cut-off record must never be stored as if it were whole (it
                # would become the current revision of a longer, intact one).
                truncated = _warc_truncation(archive, record)
                if truncated:
                    article = MalformedRecord(
                        f"the record is truncated ({truncated}); nothing of it was stored", where
                    )
            if article is not None:
                found += 1
                yield article
    except ArchiveLoadFailed as e:
        raise MalformedRecord(
            f"not a WARC archive that can be read ({e}) after record {number}", source
        ) from None
    except (EOFError, zlib.error, gzip.BadGzipFile) as e:
        raise MalformedRecord(
            f"the archive is truncated or corrupt after record {number} ({e})", source
        ) from None
    except (AttributeError, TypeError, ValueError, IndexError, KeyError) as e:
        # warcio fails on headers cut short (a record cut inside its WARC headers).
        raise MalformedRecord(
            f"the archive is truncated or corrupt after record {number} "
            f"({type(e).__name__}: {e}); check that the file is complete",
            source,
        ) from None
    if number == 0:
        raise MalformedRecord("no WARC records found; check that it is a WARC file", source)
    if found == 0:
        raise EmptyInput(
            f"none of the {number} WARC records is a successful HTML response; nothing to ingest",
            source,
        )


def _warc_truncation(archive: ArchiveIterator, record: Any) -> str | None:
    """Why the record just read is incomplete, or None when it is whole.

    Reads the record to its end: an uncompressed record then has no bytes of
    its Content-Length left unread, and a gzip member has reached its trailer.
    """
    archive.read_to_end()
    missing = getattr(record.raw_stream, "limit", 0)
    if missing > 0:
        declared = record.rec_headers.get_header("Content-Length")
        return f"{missing:,} of its {declared} bytes (Content-Length) are missing"
    decompressor = archive.reader.decompressor if archive.reader else None
    if decompressor is not None and not decompressor.eof:
        return "its gzip member ends early"
    return None


def _warc_record(record: Any, where: str, max_file: int) -> RawArticle | InputError | None:
    """An article from an HTML response record; None for other records."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    if "html" not in content_type.lower():
        return None
    status = record.http_headers.get_statuscode() or ""
    if not status.startswith("2"):
        return None  # redirects and error pages are not articles
    payload = record.content_stream().read(max_file + 1)
    try:
        if len(payload) > max_file:
            raise _too_large(len(payload), max_file, where)
        match = _CHARSET.search(content_type)
        decoded = decode(payload, where, match.group(1) if match else _meta_charset(payload))
    except InputError as e:
        return e
    html = decoded.text
    page = read_page(html)
    # The page's own metadata gives the date; WARC-Date is when it was crawled.
    return RawArticle(
        source=where,
        text=page.text,
        html=html,
        url=record.rec_headers.get_header("WARC-Target-URI") or page.url,
        title=page.title,
        outlet=page.outlet,
        published=page.published,
        encoding=decoded.encoding,
        encoding_confidence=decoded.confidence,
    )
