from __future__ import annotations

import pytest

from eventledger.errors import UnsupportedLanguage
from eventledger.stages.ingest import RawArticle, to_article
from eventledger.stages.ingest.language import detect_language

EN = "Shelling killed two patients at a clinic in Halba on Tuesday, the health office said."
FR = "Un bombardement a tué deux patients dans une clinique de Halba mardi, a indiqué le bureau de santé."
DE = "Ein Luftangriff traf am Dienstag eine Klinik im Norden der Stadt und tötete mindestens vier Menschen."
RU = (
    "Обстрел убил двух человек в клинике во вторник, сообщили в министерстве здравоохранения. "
    "По словам свидетелей, здание было разрушено, и машины скорой помощи не могли подъехать."
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (EN, "en"),
        (FR, "fr"),
        (DE, "de"),
        (RU, "ru"),
        ("A strike.", None),
        ("- 3 killed in Halba", None),
    ],
)
def test_detect_language_only_when_clear(text, code):
    found = detect_language(text)
    assert (found[0] if found else None) == code


@pytest.mark.parametrize(("text", "code"), [(FR, "fr"), (DE, "de"), (RU, "ru")])
def test_to_article_rejects_another_language(text, code):
    with pytest.raises(UnsupportedLanguage, match=f"language not supported: {code}") as info:
        to_article(RawArticle(source="x.txt", text=text), languages=["en"])
    assert info.value.source == "x.txt"


@pytest.mark.parametrize(
    ("given", "text", "ok"),
    [
        ("fr", EN, False),  # the record's language decides when it gives one
        ("en-GB", EN, True),
        ("EN", FR, True),
        (None, EN, True),
        (None, "A strike in Halba.", True),  # too short to tell: read it
    ],
)
def test_to_article_stores_the_given_language(given, text, ok):
    raw = RawArticle(source="x", text=text, language=given)
    if not ok:
        with pytest.raises(UnsupportedLanguage, match="the record says so"):
            to_article(raw, languages=["en"])
        return
    assert to_article(raw, languages=["en"]).language == given


def test_to_article_without_languages_checks_nothing():
    assert to_article(RawArticle(source="x", text=FR)).text == FR
