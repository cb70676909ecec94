"""From a raw record (text or HTML plus metadata) to a cleaned, identified Article."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from eventledger.errors import EmptyInput, MalformedRecord, TooLarge, UnsupportedLanguage
from eventledger.models import Article

from .cleaning import clean_text
from .language import detect_language
from .markup import html_to_text

__all__ = ["RawArticle", "article_id", "normalize_published", "text_hash", "to_article"]

_PLAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Longer than any ISO 8601 date-time with fraction and offset.
_MAX_DATE_CHARS = 40


@dataclass(slots=True)
class RawArticle:
    """What a reader found: text or HTML, metadata as given, and where it came from."""

    source: str  # "path", "path:LINE" for a JSON Lines record, "path#N" for the Nth feed/WARC entry
    text: str | None = None
    html: str | None = None
    id: str | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO 8601 date or date-time string
    language: str | None = None
    encoding: str | None = None  # how the bytes were decoded (None: given as text)
    encoding_confidence: float | None = None


def article_id(key: str, revision: int) -> str:
    """A short id safe in URLs and file names: the key when it is one, else a digest of it."""
    base = key if _PLAIN_ID.fullmatch(key) else "d" + hashlib.sha1(key.encode()).hexdigest()[:12]
    return f"{base}.r{revision}" if revision > 1 else base


def text_hash(text: str) -> str:
    """sha256 hex of `text` with whitespace runs folded to one space, so wrapping does not matter."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def normalize_published(value: str, source: str | None = None) -> str:
    """`value` as an ISO 8601 date or date-time; MalformedRecord when it is neither."""
    text = value.strip()
    if len(text) <= _MAX_DATE_CHARS:
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            pass
        try:
            return datetime.fromisoformat(text).isoformat()
        except ValueError:
            pass
    shown = text if len(text) <= _MAX_DATE_CHARS else text[:_MAX_DATE_CHARS] + "…"
    raise MalformedRecord(
        f"published {shown!r} is not an ISO 8601 date or date-time; "
        "write it as 2024-03-14 or 2024-03-14T09:30:00+00:00",
        source,
    )


def _metadata(value: str | None) -> str | None:
    """A metadata string on one line, NFC, without control characters; None when blank."""
    if value is None:
        return None
    folded = " ".join(_CONTROL.sub(" ", unicodedata.normalize("NFC", value)).split())
    return folded or None


def to_article(
    raw: RawArticle,
    *,
    outlet: str | None = None,
    published: str | None = None,
    max_article_chars: int = 200_000,
    languages: Collection[str] | None = None,
) -> Article:
    """Clean `raw` into an Article; `outlet`/`published` only fill what the record lacks.

    With `languages` (ISO 639-1 codes), an article in another language, as its
    record says or as its text clearly shows, is UnsupportedLanguage.
    """
    if raw.text is not None:
        body = raw.text
    elif raw.html is not None:
        body = html_to_text(raw.html)
    else:
        raise MalformedRecord("the record has neither text nor html; give one of them", raw.source)
    text, removed = clean_text(body)
    if not text:
        what = "only boilerplate" if removed else "no text"
        raise EmptyInput(f"the article holds {what} after cleaning; nothing to analyse", raw.source)
    if len(text) > max_article_chars:
        raise TooLarge(
            f"the article is {len(text):,} characters after cleaning, over the limit of "
            f"{max_article_chars:,}; split it or raise max_article_chars",
            raw.source,
        )
    language = _metadata(raw.language)
    if languages:
        _check_language(language, text, languages, raw.source)
    given = _metadata(raw.published)
    flag = _metadata(published)
    if given is not None:
        when, when_source = normalize_published(given, raw.source), "metadata"
    elif flag is not None:
        when, when_source = normalize_published(flag, raw.source), "flag"
    else:
        when, when_source = None, None
    digest = text_hash(text)
    key = _metadata(raw.id) or _metadata(raw.url) or f"sha256:{digest}"
    return Article(
        id=article_id(key, 1),
        key=key,
        text=text,
        revision=1,
        url=_metadata(raw.url),
        title=_metadata(raw.title),
        outlet=_metadata(raw.outlet) or _metadata(outlet),
        published=when,
        published_source=when_source,
        language=language,
        encoding=raw.encoding,
        encoding_confidence=raw.encoding_confidence,
        removed=removed,
        source=raw.source,
        text_hash=digest,
    )


def _check_language(
    given: str | None, text: str, languages: Collection[str], source: str | None
) -> None:
    """UnsupportedLanguage when the record's language, or failing that the one its
    text clearly shows, is not among `languages` (a tag's region is ignored: en-GB)."""
    if given is not None:
        code = given.lower().replace("_", "-").split("-")[0]
        how = "the record says so"
    else:
        detected = detect_language(text)
        if detected is None:
            return  # too short or mixed to tell: read it
        code, probability = detected
        how = f"detected with probability {probability:.2f}"
    if code not in {lang.lower() for lang in languages}:
        raise UnsupportedLanguage(
            f"language not supported: {code} ({how}); the pipeline reads "
            f"{', '.join(sorted(languages))} (setting 'languages')",
            source,
        )
