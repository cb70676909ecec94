"""The language of an article's text, from py3langid (offline, loaded once per process).

Only a confident guess counts: short or mixed texts ("A strike.", a list of
place names) get low confidence and are never rejected on a guess.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["MIN_LANGUAGE_CONFIDENCE", "MIN_LANGUAGE_WORDS", "detect_language"]

# A guess under this probability, or from fewer words, is no reason to reject.
MIN_LANGUAGE_CONFIDENCE = 0.9
MIN_LANGUAGE_WORDS = 8
# Enough text to tell a language; reading more only costs time.
_SAMPLE_CHARS = 5000


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float] | None:
    """(ISO 639-1 code, probability) when the text says its language clearly, else None."""
    sample = text[:_SAMPLE_CHARS]
    if len(sample.split()) < MIN_LANGUAGE_WORDS:
        return None
    code, probability = _identifier().classify(sample)
    if probability < MIN_LANGUAGE_CONFIDENCE:
        return None
    return str(code), float(probability)
