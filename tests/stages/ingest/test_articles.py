from __future__ import annotations

import hashlib

import pytest

from eventledger.errors import EmptyInput, MalformedRecord, TooLarge
from eventledger.stages.ingest import RawArticle, article_id, text_hash, to_article

BODY = "An airstrike hit the clinic on Tuesday, the ministry said.\n\nFour staff were killed."


@pytest.mark.parametrize(
    ("key", "revision", "expected"),
    [
        ("abc-123", 1, "abc-123"),
        ("A.b_c-9", 1, "A.b_c-9"),
        ("abc-123", 2, "abc-123.r2"),
        ("x" * 64, 1, "x" * 64),
        ("x" * 65, 1, "d" + hashlib.sha1(("x" * 65).encode()).hexdigest()[:12]),
        (
            "https://example.org/a/1",
            1,
            "d" + hashlib.sha1(b"https://example.org/a/1").hexdigest()[:12],
        ),
        ("-starts-with-dash", 3, "d" + hashlib.sha1(b"-starts-with-dash").hexdigest()[:12] + ".r3"),
        ("sha256:ff", 1, "d" + hashlib.sha1(b"sha256:ff").hexdigest()[:12]),
    ],
)
def test_article_id(key: str, revision: int, expected: str) -> None:
    assert article_id(key, revision) == expected


def test_to_article_cleans_and_identifies() -> None:
    raw = RawArticle(
        source="a.txt", text=BODY + "\n\nAdvertisement\n", id="story-1", outlet="Daily Post"
    )
    article = to_article(raw)
    assert article.text == BODY
    assert [(r.reason, r.line) for r in article.removed] == [("advertisement", 5)]
    assert (article.id, article.key, article.revision) == ("story-1", "story-1", 1)
    assert article.outlet == "Daily Post"
    assert article.source == "a.txt"
    assert article.published is None and article.published_source is None


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        (RawArticle(source="s", text=BODY, id="id-1", url="https://e.org/1"), "id-1"),
        (RawArticle(source="s", text=BODY, url="https://e.org/1"), "https://e.org/1"),
        (RawArticle(source="s", text=BODY), "sha256:" + text_hash(BODY)),
    ],
)
def test_to_article_key_prefers_id_then_url_then_hash(raw: RawArticle, key: str) -> None:
    article = to_article(raw)
    assert article.key == key
    assert article.id == article_id(key, 1)


def test_text_hash_ignores_line_wrapping() -> None:
    wrapped = (
        "An airstrike hit the clinic\non Tuesday,   the ministry said.\n\nFour staff\nwere killed."
    )
    one = to_article(RawArticle(source="a", text=BODY))
    two = to_article(RawArticle(source="b", text=wrapped))
    assert one.text != two.text
    assert (
        one.text_hash
        == two.text_hash
        == hashlib.sha256(
            b"An airstrike hit the clinic on Tuesday, the ministry said. Four staff were killed."
        ).hexdigest()
    )
    assert one.key == two.key


def test_text_hash_differs_for_different_words() -> None:
    assert text_hash("four killed") != text_hash("five killed")


@pytest.mark.parametrize(
    ("given", "flag", "published", "source"),
    [
        ("2024-03-12", None, "2024-03-12", "metadata"),
        ("2024-03-12", "2024-01-01", "2024-03-12", "metadata"),
        (None, "2024-01-01", "2024-01-01", "flag"),
        ("2024-03-12T10:00:00Z", None, "2024-03-12T10:00:00+00:00", "metadata"),
        (" 2024-03-12T10:00:00+02:00 ", None, "2024-03-12T10:00:00+02:00", "metadata"),
        (None, None, None, None),
    ],
)
def test_to_article_published(
    given: str | None, flag: str | None, published: str | None, source: str | None
) -> None:
    article = to_article(RawArticle(source="s", text=BODY, published=given), published=flag)
    assert (article.published, article.published_source) == (published, source)


def test_to_article_outlet_argument_only_fills_a_gap() -> None:
    assert (
        to_article(RawArticle(source="s", text=BODY, outlet="Given"), outlet="Flag").outlet
        == "Given"
    )
    assert to_article(RawArticle(source="s", text=BODY), outlet="Flag").outlet == "Flag"


@pytest.mark.parametrize("bad", ["12/03/2024", "yesterday", "2024-13-01", "9" * 500])
def test_to_article_rejects_invalid_published(bad: str) -> None:
    with pytest.raises(MalformedRecord) as info:
        to_article(RawArticle(source="feed.xml#3", text=BODY, published=bad))
    assert info.value.source == "feed.xml#3"
    assert "ISO 8601" in str(info.value)


def test_to_article_converts_html_when_there_is_no_text() -> None:
    article = to_article(
        RawArticle(source="s", html="<p>Four staff were killed.</p><p>The ward burned.</p>")
    )
    assert article.text == "Four staff were killed.\n\nThe ward burned."


@pytest.mark.parametrize(
    "raw",
    [
        RawArticle(source="s", text="  \n\t "),
        RawArticle(source="s", text="Advertisement\n\nShare this article"),
        RawArticle(source="s", html="<div> </div>"),
    ],
)
def test_to_article_rejects_empty(raw: RawArticle) -> None:
    with pytest.raises(EmptyInput):
        to_article(raw)


def test_to_article_rejects_neither_text_nor_html() -> None:
    with pytest.raises(MalformedRecord):
        to_article(RawArticle(source="s"))


def test_to_article_rejects_too_long() -> None:
    with pytest.raises(TooLarge) as info:
        to_article(RawArticle(source="big.txt", text="word " * 100), max_article_chars=50)
    assert info.value.source == "big.txt"
