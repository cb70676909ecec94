"""A cap on sentence length, set before the parser runs.

The rule stages look at a sentence and a trigger's subtree once per match,
so their cost grows with the square of the longest sentence. News prose has
no sentence of hundreds of words, but a long list without full stops, or a
run-on text, is one such "sentence" to the parser. This component counts the
tokens since the last full stop and, past `SOFT_TOKENS`, starts a sentence
after the next line break, semicolon or comma; past `HARD_TOKENS` at the next
word. The parser keeps boundaries set before it, so no parse, and no stage,
ever sees a sentence longer than `HARD_TOKENS` plus one word.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language

__all__ = ["HARD_TOKENS", "NAME", "SOFT_TOKENS", "cap_sentences"]

NAME = "eventledger_sentence_cap"
SOFT_TOKENS = 80
HARD_TOKENS = 150
_ENDS = frozenset({".", "!", "?"})
_BREAKS = frozenset({";", ",", ":"})


@Language.component(NAME)
def cap_sentences(doc: Any) -> Any:
    run = 0
    prev = None
    for tok in doc:
        if prev is not None and not tok.is_space:
            if prev.text in _ENDS:
                run = 0
            elif (run >= SOFT_TOKENS and (prev.text in _BREAKS or "\n" in prev.text)) or (
                run >= HARD_TOKENS
            ):
                tok.is_sent_start = True
                run = 0
        if not tok.is_space:
            run += 1
        prev = tok
    return doc
