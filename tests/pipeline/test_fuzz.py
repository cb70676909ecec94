"""The whole pipeline on generated text: no stage fails, nothing is raised.

A small sample of short texts (spaCy is slow); `benchmarks/fuzz.py` runs
many more.
"""

from __future__ import annotations

import hypothesis
import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from eventledger.errors import InputError
from eventledger.pipeline import Document, Pipeline
from eventledger.stages.ingest import RawArticle, to_article

FUZZ = hypothesis.settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

SENTENCES = st.sampled_from(
    [
        "At least 12 people were killed in an air strike on Al-Amal Hospital in Khan Younis on Tuesday, the ministry said.",
        "Gunmen abducted two nurses near Kadugli on 14 March 2024, a union official said.",
        "The death toll has risen to {n}, officials said.",
        "{n} killed and {n} wounded in Kharkiv overnight Friday.",
        "Between {n} and {n} died on {n} March {n}.",
    ]
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**300), max_value=10**300).map(str),
    st.integers(0, 10**20).map(lambda n: f"{n:,}"),
    st.sampled_from(["1e308", "inf", "NaN", "٣٤", "a million", "zero", "-0", "0x7fffffffffffffff"]),
)
QUOTES = st.lists(st.sampled_from(list("\"'“”‘’«»„")), min_size=1, max_size=20)
PIECES = st.one_of(
    st.tuples(SENTENCES, NUMBERS).map(lambda t: t[0].replace("{n}", t[1])),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
    st.tuples(QUOTES, SENTENCES).map(lambda t: "".join(t[0]) + t[1] + "".join(reversed(t[0]))),
    st.lists(
        st.sampled_from([" ", "\t", "\n", "\r\n", "\u00a0", "\u2028", "\u200b", "\x0b", "\x85"]),
        min_size=1,
        max_size=6,
    ).map("".join),
    st.tuples(st.sampled_from(["a", "9", "killed", "\u0301", "ー"]), st.integers(50, 800)).map(
        lambda t: t[0] * t[1]
    ),
    st.characters(min_codepoint=0, max_codepoint=0x9F).map(lambda c: f"killed{c}in{c}Gaza"),
)
TEXTS = st.lists(PIECES, min_size=1, max_size=6).map(" ".join)


@pytest.fixture(scope="module")
def pipeline(settings) -> Pipeline:
    return Pipeline.from_settings(settings)


@FUZZ
@given(text=TEXTS)
def test_pipeline_never_fails_on_generated_text(pipeline: Pipeline, text: str) -> None:
    try:
        article = to_article(RawArticle(source="fuzz", text=text), languages=["en"])
    except InputError as exc:
        assert str(exc.args[0]).strip()
        return
    doc = pipeline(Document(article))
    assert doc.failures == []
    for record in (*doc.figures, *doc.events, *doc.claims):
        for ev in record.evidence:
            assert ev.text == article.text[ev.start : ev.end]
