from __future__ import annotations

import io
import json
import os
import tracemalloc
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventledger.errors import (
    BinaryInput,
    EmptyInput,
    EncodingError,
    InputError,
    MalformedRecord,
    TooLarge,
    UnreadableInput,
)
from eventledger.stages.ingest import RawArticle, read_paths, to_article

PARA = "An airstrike hit a clinic in the north of the city on Tuesday, killing at least four people, the health ministry said."
PARA2 = "Witnesses said the building was destroyed and that ambulances could not reach it for hours after the attack."
PAGE = (
    "<html><head><title>Clinic hit</title>"
    '<meta property="og:site_name" content="Daily Post">'
    '<meta property="article:published_time" content="2024-03-12T10:00:00Z">'
    f"</head><body><article><p>{PARA}</p><p>{PARA2}</p></article></body></html>"
)
RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Daily Post</title><link>https://example.org/</link>
<item><title>Clinic hit</title><link>https://example.org/a/1</link><guid>post-1</guid>
<pubDate>Tue, 12 Mar 2024 10:00:00 GMT</pubDate>
<description>&lt;p&gt;{PARA}&lt;/p&gt;&lt;p&gt;{PARA2}&lt;/p&gt;</description></item>
<item><title>No body</title><link>https://example.org/a/2</link></item>
</channel></rss>
"""
ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Health Watch</title><id>urn:hw</id>
<updated>2024-03-13T08:00:00Z</updated>
<entry><title>Raid on hospital</title><id>urn:hw:7</id>
<link href="https://hw.example/7"/><updated>2024-03-13T08:00:00+02:00</updated>
<content type="html">&lt;p&gt;{PARA}&lt;/p&gt;</content></entry>
</feed>
"""


def read_all(*paths: Path | str, **kw: int) -> list[RawArticle | InputError]:
    return list(read_paths(paths, **kw))


def only(items: list[RawArticle | InputError]) -> RawArticle | InputError:
    assert len(items) == 1, items
    return items[0]


def test_read_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f"{PARA}\n\n{PARA2}\n", encoding="utf-8")
    raw = only(read_all(path))
    assert isinstance(raw, RawArticle)
    assert (raw.source, raw.text, raw.title, raw.published) == (
        str(path),
        f"{PARA}\n\n{PARA2}\n",
        None,
        None,
    )


def test_read_plain_text_header_block(tmp_path: Path) -> None:
    path = tmp_path / "a.text"
    path.write_text(
        "Title: Clinic hit\nOUTLET: Daily Post\npublished: 2024-03-12\nURL: https://e.org/1\n"
        f"Id: story-9\nLanguage: en\n\n{PARA}\n",
        encoding="utf-8",
    )
    raw = only(read_all(path))
    assert isinstance(raw, RawArticle)
    assert (raw.title, raw.outlet, raw.published, raw.url, raw.id, raw.language) == (
        "Clinic hit",
        "Daily Post",
        "2024-03-12",
        "https://e.org/1",
        "story-9",
        "en",
    )
    assert raw.text == f"{PARA}\n"


@pytest.mark.parametrize(
    "text",
    [
        f"Title: Clinic hit\nThe strike came at dawn.\n\n{PARA}\n",  # not all key lines
        f"The strike came at dawn.\nTitle: Clinic hit\n\n{PARA}\n",  # first line is no key
        "Title: Clinic hit\nPublished: 2024-03-12\n",  # no blank line ends it
        f"Author: Jane Doe\n\n{PARA}\n",  # unknown key
    ],
)
def test_read_plain_text_without_header_keeps_all(tmp_path: Path, text: str) -> None:
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    raw = only(read_all(path))
    assert isinstance(raw, RawArticle)
    assert (raw.text, raw.title, raw.published) == (text, None, None)


def test_read_plain_text_header_bad_date(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f"Published: last Tuesday\n\n{PARA}\n", encoding="utf-8")
    error = only(read_all(path))
    assert isinstance(error, MalformedRecord)
    assert error.source == str(path)


@pytest.mark.parametrize("name", ["page.html", "page.htm", "page.unknown"])
def test_read_html_page(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(PAGE, encoding="utf-8")
    raw = only(read_all(path))
    assert isinstance(raw, RawArticle)
    assert raw.text == f"{PARA}\n\n{PARA2}"
    assert (raw.title, raw.outlet, raw.published) == ("Clinic hit", "Daily Post", "2024-03-12")


def test_read_jsonl_streams_records_and_reports_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "a1", "text": PARA, "published": "2024-03-12", "outlet": "Daily Post"}),
        '{"id": "a2", "text": "unterminated',
        "",
        json.dumps(
            {"id": 3, "html": f"<p>{PARA2}</p>", "url": "https://e.org/3", "language": "en"}
        ),
        json.dumps({"id": "a4", "title": "no body"}),
        json.dumps({"id": "a5", "text": PARA, "published": "12 March"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "a8", "text": PARA, "title": 42}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read_all(path)
    got = [(type(item).__name__, item.source) for item in items]
    assert got == [
        ("RawArticle", f"{path}:1"),
        ("MalformedRecord", f"{path}:2"),
        ("RawArticle", f"{path}:4"),
        ("MalformedRecord", f"{path}:5"),
        ("MalformedRecord", f"{path}:6"),
        ("MalformedRecord", f"{path}:7"),
        ("MalformedRecord", f"{path}:8"),
    ]
    first, third = items[0], items[2]
    assert isinstance(first, RawArticle) and isinstance(third, RawArticle)
    assert (first.id, first.text, first.published, first.outlet) == (
        "a1",
        PARA,
        "2024-03-12",
        "Daily Post",
    )
    assert (third.id, third.html, third.url, third.language) == (
        "3",
        f"<p>{PARA2}</p>",
        "https://e.org/3",
        "en",
    )
    assert to_article(third).text == PARA2


def test_read_jsonl_rejects_an_overlong_line_and_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "batch.ndjson"
    long = json.dumps({"text": "x " * 5000})
    path.write_text(
        "\n".join([json.dumps({"text": PARA}), long, json.dumps({"text": PARA2})]) + "\n"
    )
    items = read_all(path, max_record_bytes=1000)
    assert [(type(i).__name__, i.source) for i in items] == [
        ("RawArticle", f"{path}:1"),
        ("TooLarge", f"{path}:2"),
        ("RawArticle", f"{path}:3"),
    ]


def test_read_rss_feed(tmp_path: Path) -> None:
    path = tmp_path / "news.rss"
    path.write_text(RSS, encoding="utf-8")
    items = read_all(path)
    assert [(type(i).__name__, i.source) for i in items] == [
        ("RawArticle", f"{path}#1"),
        ("MalformedRecord", f"{path}#2"),
    ]
    raw = items[0]
    assert isinstance(raw, RawArticle)
    assert (raw.id, raw.url, raw.title, raw.outlet, raw.published) == (
        "post-1",
        "https://example.org/a/1",
        "Clinic hit",
        "Daily Post",
        "2024-03-12T10:00:00+00:00",
    )
    assert to_article(raw).text == f"{PARA}\n\n{PARA2}"


def test_read_jsonl_rejects_a_number_too_long_to_convert(tmp_path: Path) -> None:
    # Found by benchmarks/fuzz.py: json.loads raised a bare ValueError on an
    # integer of more than 4,300 digits.
    path = tmp_path / "batch.jsonl"
    record = json.dumps({"text": PARA, "id": 1}).replace('"id": 1', '"id": ' + "9" * 5000)
    lines = [record, json.dumps({"text": PARA2})]
    path.write_text("\n".join(lines) + "\n")
    items = read_all(path)
    assert [(type(i).__name__, i.source) for i in items] == [
        ("MalformedRecord", f"{path}:1"),
        ("RawArticle", f"{path}:2"),
    ]
    assert "cannot be read" in str(items[0])


@pytest.mark.parametrize("ref", ["&#x110000;", "&#xD800;", "&#99999999999999999999;", "&#0;"])
def test_read_feed_with_a_character_reference_to_no_character(tmp_path: Path, ref: str) -> None:
    # Found by benchmarks/fuzz.py: feedparser's loose parser raised ValueError
    # (chr() out of range) or UnicodeEncodeError (a surrogate) on such a reference.
    path = tmp_path / "news.rss"
    path.write_text(RSS.replace("<title>Clinic hit</title>", f"<title>Clinic{ref} hit</title>"))
    items = read_all(path)
    assert [type(i).__name__ for i in items] == ["RawArticle", "MalformedRecord"]
    raw = items[0]
    assert isinstance(raw, RawArticle) and raw.title is not None
    assert raw.title.startswith("Clinic") and raw.title.endswith("hit")
    assert to_article(raw).text == f"{PARA}\n\n{PARA2}"


def test_read_feed_turns_a_feedparser_failure_into_a_rejection(tmp_path: Path, monkeypatch) -> None:
    import feedparser

    def fail(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(feedparser, "parse", fail)
    path = tmp_path / "news.rss"
    path.write_text(RSS)
    item = only(read_all(path))
    assert isinstance(item, MalformedRecord)
    assert "feedparser failed: ValueError: boom" in str(item)


@pytest.mark.parametrize("name", ["health.atom", "health.xml", "health.dat"])
def test_read_atom_feed(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(ATOM, encoding="utf-8")
    raw = only(read_all(path))
    assert isinstance(raw, RawArticle)
    assert (raw.source, raw.id, raw.url, raw.outlet, raw.published) == (
        f"{path}#1",
        "urn:hw:7",
        "https://hw.example/7",
        "Health Watch",
        "2024-03-13T06:00:00+00:00",
    )
    assert to_article(raw).text == PARA


def _warc(path: Path, gz: bool) -> None:
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=gz)

        def response(uri: str, body: bytes, content_type: str, status: str = "200 OK") -> None:
            headers = StatusAndHeaders(
                status, [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                uri,
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": "2025-01-01T00:00:00Z"},
            )
            writer.write_record(record)

        response("https://e.org/logo.png", b"\x89PNG\r\n\x1a\n", "image/png")
        response(
            "https://e.org/a/1",
            PAGE.replace("Clinic hit", "Zaïre clinic hit").encode("cp1252"),
            "text/html; charset=windows-1252",
        )
        response("https://e.org/gone", b"<html>Not found</html>", "text/html", "404 Not Found")
        response("https://e.org/a/2", PAGE.replace("Clinic hit", "Café hit").encode(), "text/html")


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_read_warc_html_responses(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    _warc(path, gz=name.endswith(".gz"))
    items = read_all(path)
    assert [(type(i).__name__, i.source) for i in items] == [
        ("RawArticle", f"{path}#2"),
        ("RawArticle", f"{path}#4"),
    ]
    first, second = items
    assert isinstance(first, RawArticle) and isinstance(second, RawArticle)
    assert (first.url, second.url) == ("https://e.org/a/1", "https://e.org/a/2")
    assert (first.title, second.title) == ("Zaïre clinic hit", "Café hit")
    # The page's date, not WARC-Date (the crawl).
    assert first.published == second.published == "2024-03-12"
    assert first.text == f"{PARA}\n\n{PARA2}"


def test_read_folder_recurses_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text(PARA)
    (tmp_path / "b" / "a.txt").write_text(PARA)
    (tmp_path / "a.txt").write_text(PARA)
    (tmp_path / "c.txt").write_text(PARA)
    (tmp_path / ".hidden.txt").write_text(PARA)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(PARA)
    sources = [i.source for i in read_all(tmp_path)]
    assert sources == [str(tmp_path / p) for p in ("a.txt", "b/a.txt", "b/z.txt", "c.txt")]


def test_read_folder_skips_excluded_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PARA)
    (tmp_path / "ledger.db").write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    (tmp_path / "ledger.db-wal").write_bytes(b"\x00" * 100)
    excluded = [tmp_path / "ledger.db", str(tmp_path / "ledger.db-wal"), tmp_path / "absent"]
    assert [i.source for i in read_paths([tmp_path], exclude=excluded)] == [str(tmp_path / "a.txt")]
    assert [type(i).__name__ for i in read_all(tmp_path)] == [
        "RawArticle",
        "BinaryInput",
        "BinaryInput",
    ]


def test_read_folder_loop_is_reported(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(PARA)
    os.symlink(tmp_path, tmp_path / "sub" / "up")
    items = read_all(tmp_path)
    assert [type(i).__name__ for i in items] == ["RawArticle", "UnreadableInput"]
    assert items[1].source == str(tmp_path / "sub" / "up")


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("empty.txt", b"", EmptyInput),
        ("blank.txt", b"  \n\t\n ", EmptyInput),
        ("blank.jsonl", b"\n\n", EmptyInput),
        ("image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, BinaryInput),
        ("report.txt", b"%PDF-1.7\n%\xe2\xe3\n", BinaryInput),
        ("nul.txt", b"text" + b"\x00" * 10, BinaryInput),
        ("nul.jsonl", b'{"text": "a"}\x00\n', BinaryInput),
        ("noise.txt", bytes(range(128, 256)) * 4, EncodingError),
        ("bad.rss", b"<rss><channel><title>x", MalformedRecord),
        ("bad.feed", b"<feed><title>unclosed <entry", MalformedRecord),
        (
            "empty.rss",
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
            EmptyInput,
        ),
        ("bad.warc", b"this is not a WARC file at all\n" * 3, MalformedRecord),
    ],
)
def test_read_bad_input_is_yielded_not_raised(
    tmp_path: Path, name: str, data: bytes, error: type
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    item = only(read_all(path))
    assert type(item) is error
    assert item.source == str(path)
    assert str(item).startswith(f"{path}: ")


def test_read_missing_path(tmp_path: Path) -> None:
    item = only(read_all(tmp_path / "nope.txt"))
    assert isinstance(item, UnreadableInput)


def test_read_fifo_is_not_opened(tmp_path: Path) -> None:
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    assert isinstance(only(read_all(path)), UnreadableInput)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_read_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(PARA)
    path.chmod(0)
    assert isinstance(only(read_all(path)), UnreadableInput)


def test_read_huge_file_rejected_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(50_000_000)  # sparse: 50 MB of size, no data written
    tracemalloc.start()
    try:
        item = only(read_all(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(item, TooLarge)
    assert peak < 1_000_000


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_read_legacy_encoded_text(tmp_path: Path, encoding: str) -> None:
    text = "Médecins Sans Frontières said the clinic in Zaïre was shelled; staff fled à pied.\n" * 3
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    raw = only(read_all(path))
    assert isinstance(raw, RawArticle)
    assert raw.text == text
    assert raw.encoding == "iso8859-1"  # no byte in 0x80-0x9F: the two read alike
    assert raw.encoding_confidence == 0.9


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        (
            "de.txt",
            "Herr Müller sagte, die Klinik in Köln sei getroffen.\n".encode("latin-1"),
            "iso8859-1",
        ),
        (
            "de.html",
            '<html><head><meta charset="iso-8859-15"></head><body><p>Müller €</p></body></html>'.encode(
                "iso-8859-15"
            ),
            "iso8859-15",
        ),
        ("ok.txt", "Müller".encode(), "utf-8"),
    ],
)
def test_read_records_the_encoding(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    raw = only(read_all(path))
    assert isinstance(raw, RawArticle) and "Müller" in (raw.text or "")
    assert raw.encoding == expected
    assert to_article(raw).encoding == expected


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (json.dumps({"id": "j1", "text": PARA}) + "\n", (":1", PARA)),
        (f"{PARA}\n", ("", PARA + "\n")),
    ],
)
def test_read_sniffs_unknown_extension(
    tmp_path: Path, content: str, expected: tuple[str, str]
) -> None:
    path = tmp_path / "article"
    path.write_text(content, encoding="utf-8")
    raw = only(read_all(path))
    assert isinstance(raw, RawArticle)
    assert (raw.source, raw.text) == (str(path) + expected[0], expected[1])


def test_read_sniffs_warc_without_extension(tmp_path: Path) -> None:
    path = tmp_path / "crawl.bin"
    _warc(path, gz=True)
    assert [i.source for i in read_all(path)] == [f"{path}#2", f"{path}#4"]


def _one_record_warc(path: Path, gz: bool) -> bytes:
    """A WARC file of one HTML response; its bytes."""
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=gz)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://e.org/a/1",
                "response",
                payload=io.BytesIO(PAGE.encode()),
                http_headers=headers,
            )
        )
    return path.read_bytes()


@pytest.mark.parametrize(
    ("gz", "cut"),
    [
        (False, 10),  # the page's last bytes, short of its Content-Length
        (False, 200),  # a payload cut in the middle
        (True, 1),  # the gzip trailer cut: the member ends early
        (True, 10),
        (True, 120),  # a gzip member cut inside its compressed data
        (True, 300),  # cut inside the record's headers
    ],
)
def test_read_warc_truncated_record_rejected(tmp_path: Path, gz: bool, cut: int) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    data = _one_record_warc(path, gz)
    path.write_bytes(data[:-cut])
    item = only(read_all(path))
    assert isinstance(item, MalformedRecord)
    assert "truncated" in str(item)


@pytest.mark.parametrize("gz", [False, True])
def test_read_warc_whole_record_is_not_called_truncated(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    _one_record_warc(path, gz)
    item = only(read_all(path))
    assert isinstance(item, RawArticle) and item.text == f"{PARA}\n\n{PARA2}"
