"""Ingest: read files (text, HTML, JSON Lines, feeds, WARC) and clean them into Articles.

`read_paths` yields a `RawArticle` per article found and an `InputError`
instance (not raised) per rejected input, so a run goes on; `to_article`
turns a RawArticle into a cleaned `Article` whose text every evidence
offset downstream refers to.
"""

from __future__ import annotations

from .articles import RawArticle, article_id, normalize_published, text_hash, to_article
from .cleaning import boilerplate_reason, clean_text
from .markup import html_to_text, read_page
from .readers import read_paths

__all__ = [
    "RawArticle",
    "article_id",
    "boilerplate_reason",
    "clean_text",
    "html_to_text",
    "normalize_published",
    "read_page",
    "read_paths",
    "text_hash",
    "to_article",
]
