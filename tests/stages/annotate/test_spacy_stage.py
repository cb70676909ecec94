from __future__ import annotations

import pytest

from eventledger.stages.annotate import paragraphs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One.\n\nTwo.", [(0, "One."), (6, "Two.")]),
        ("One\nstill one.\n\n\n  \nTwo.", [(0, "One\nstill one."), (20, "Two.")]),
        ("", []),
    ],
)
def test_paragraphs_offsets(text, expected):
    got = list(paragraphs(text))
    assert got == expected
    for offset, para in got:
        assert text[offset : offset + len(para)] == para


def test_annotate_sentence_offsets_point_into_text(make_doc):
    text = "Shelling hit the town on Monday. Two people died.\n\nThe ministry said so."
    doc = make_doc(text)
    assert [text[s.start : s.end] for s in doc.sentences] == [
        "Shelling hit the town on Monday.",
        "Two people died.",
        "The ministry said so.",
    ]
    # token offsets map back through the paragraph offset
    sent = doc.sentences[2]
    tok = sent.span[1]
    ev = doc.span_evidence(sent.offset, tok)
    assert ev.text == "ministry" == text[ev.start : ev.end]


def test_annotate_batches_many_documents(annotator, make_doc):
    from eventledger.models import Article
    from eventledger.pipeline import Document

    docs = [
        Document(Article(id=f"d{i}", key=f"d{i}", text=f"Report {i}.\n\nMore {i}."))
        for i in range(5)
    ]
    out = list(annotator.pipe(docs))
    assert [len(d.paragraphs) for d in out] == [2] * 5
    assert out[3].sentences[1].span.text == "More 3."


@pytest.mark.parametrize(
    ("text", "first"),
    [
        # a headline over the lede: its own sentence
        (
            "Shelling hits clinic in north Halba\nThe ministry says the clinic was hit.",
            "Shelling hits clinic in north Halba",
        ),
        # hard-wrapped wire copy: the line ends mid-sentence, no break
        (
            "The medical charity said on\nThursday that it would leave.",
            "The medical charity said on\nThursday that it would leave.",
        ),
    ],
)
def test_a_line_that_stands_alone_ends_its_sentence(annotator, text, first):
    from eventledger.models import Article
    from eventledger.pipeline import Document

    doc = annotator(Document(Article(id="t", key="t", text=text)))
    assert doc.sentences[0].span.text.strip() == first


@pytest.mark.parametrize(
    "text",
    [
        # one sentence of clauses, no full stop before its end
        "Witnesses said " + ", and ".join(["shelling killed two people in Halba"] * 120) + ".",
        # a long list, one item a line, no full stops
        "\n".join(["- 3 killed in Halba on 12 March"] * 150),
    ],
)
def test_annotate_caps_sentence_length(make_doc, text):
    from eventledger.stages.annotate.sentence_cap import HARD_TOKENS

    doc = make_doc(text)
    assert len(doc.sentences) > 1
    assert max(len(s.span) for s in doc.sentences) <= HARD_TOKENS + 1
    assert all(doc.text[s.start : s.end] == s.span.text for s in doc.sentences)


def test_annotate_keeps_ordinary_sentences_whole(make_doc):
    text = (
        "Shelling killed two patients at a clinic in Halba on Tuesday, the health office said, "
        "and witnesses said the building, which housed a pharmacy, a laboratory and a ward, "
        "was destroyed.\nAmbulances could not reach it."
    )
    doc = make_doc(text)
    assert [s.span.text.strip() for s in doc.sentences] == [
        text.split("\n")[0],
        "Ambulances could not reach it.",
    ]


@pytest.mark.parametrize(
    ("text", "body"),
    [
        (
            "KYIV, Aug 12 - A Russian missile struck a clinic in the city overnight, "
            "killing two nurses, regional officials said.",
            "A Russian missile struck",
        ),
        (
            "PORT-AU-PRINCE, Oct 4 (Reuters) - Gunmen killed at least 12 people in a town "
            "north of the capital, police said on Friday.",
            "Gunmen killed",
        ),
        (
            "KHAN YUNIS, Gaza Strip (AP) — Israeli strikes killed 15 people, health officials "
            "said.",
            "Israeli strikes killed",
        ),
        ("Kampala [Uganda], June 2: Police said ten people died in the raid.", "Police said"),
        (
            "Port Sudan, Sudan - Shelling by the paramilitary forces hit a hospital in "
            "Omdurman on Wednesday, killing six people.",
            "Shelling by",
        ),
        # a dateline of the day alone
        (
            "Sept 18 - A military helicopter attacked a school in a village, killing 11 "
            "children, villagers said.",
            "A military helicopter",
        ),
        # a country whose name has "of" or "and" in it
        (
            "BUNIA, Democratic Republic of Congo, Nov 2 (Reuters) - Militiamen killed 22 "
            "civilians in a village, a local official said.",
            "Militiamen killed",
        ),
    ],
)
def test_a_wire_dateline_is_a_sentence_of_its_own(make_doc, text, body):
    doc = make_doc(text)
    first, second = doc.sentences[0], doc.sentences[1]
    assert doc.text[second.start :].startswith(body)
    # no arc of the lede's parse reaches into the dateline
    assert all(t.head.i >= second.span.start for t in second.span)
    assert all(t.head.i < second.span.start for t in first.span)


@pytest.mark.parametrize(
    "text",
    [
        # a headline's topic in title case, no day: the headline stays whole
        "Ukraine: Russian strike hits clinic in Dnipro",
        # prose
        "Police said on Friday that gunmen killed 12 people in the town.",
        # two names and a dash in a headline, not a place and its country
        "Israel, Hamas agree to truce - sources",
        # a day that opens a sentence
        "March 3 was the day the strike on the clinic happened.",
    ],
)
def test_a_paragraph_without_a_dateline_is_not_cut(make_doc, text):
    doc = make_doc(text)
    assert doc.text[doc.sentences[0].start : doc.sentences[0].end].startswith(text[:20])
    assert len(doc.sentences) == 1


def test_each_list_item_is_a_sentence_of_its_own(make_doc):
    doc = make_doc(
        "Fighting\n"
        "- A drone attack on the city killed one person, the governor said.\n"
        "- Shelling of the town killed a woman, officials said."
    )
    texts = [doc.text[s.start : s.end].strip() for s in doc.sentences]
    assert texts[0] == "Fighting"
    assert any(t.startswith("- A drone attack") and "Shelling" not in t for t in texts)
    assert any(t.startswith("- Shelling of the town") for t in texts)


def test_a_live_blog_time_stamp_is_no_part_of_its_sentence(make_doc):
    doc = make_doc("09:30 GMT - Hezbollah says it fired rockets at northern Israel")
    second = doc.sentences[1]
    assert doc.text[second.start :].startswith("Hezbollah says")
    assert all(t.head.i >= second.span.start for t in second.span)
