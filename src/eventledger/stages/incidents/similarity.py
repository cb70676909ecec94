"""Text similarity of two reports: weighted term profiles compared by cosine.

A profile is a bag of crude lemmas (lower-cased, plural and verb endings
cut) of a text's content words, with sublinear term frequency. Words every
conflict report uses ("killed", "attack", "hospital", "said") weigh little,
names (a capitalised word inside a sentence) weigh more: with no corpus at
hand to learn document frequencies from, this stands in for IDF, and it
needs no state that would grow with the ledger.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter

__all__ = ["Profile", "cosine", "lemma", "profile", "shared_terms"]

Profile = dict[str, float]

# English function words and reporting words that say nothing about which event.
STOP_WORDS = frozenset(
    """a about above after again against ago all also although am among an and any are
    around as at be because been before being below between both but by can could did do
    does doing down during each either else ever every few for from further had has have
    having he her here hers him his how however i if in into is it its itself just last
    least less many may me might more most much must my near neither never new next no nor
    not now of off on once one only onto or other our out over own per please rather same
    several shall she should since so some such than that the their them then there these
    they this those though through thus to too toward towards under until up upon us very
    via was we were what when where whether which while who whom whose why will with within
    without would yet you your said says say saying told tell according added adding also
    reported reports report reporting statement stated news agency told mr mrs ms dr
    monday tuesday wednesday thursday friday saturday sunday today yesterday tonight week
    weeks day days month months year years time times morning evening night afternoon
    january february march april may june july august september october november december
    two three four five six seven eight nine ten dozen dozens hundreds thousands least
    photo image video caption file read share click subscribe follow advertisement copyright
    """.split()
)
# Words nearly every report of an attack or a crime uses: they count, but little.
COMMON_WORDS = frozenset(
    """kill killed killing attack attacked attacks people person civilian civilians dead
    death deaths died die wound wounded injure injured injuries injury strike strikes struck
    hospital hospitals health medical war forces force military government official
    officials authorities authority security group groups country area city town village
    region state local international human rights children women men including least number
    toll victims victim fighting fight conflict violence armed army troops soldiers police
    ministry spokesman spokesperson spokeswoman source sources shoot shot shooting shootings
    gun guns gunman gunmen gunfire fire fired bullet weapon suspect suspects officer officers
    arrest arrested charge charged investigation investigator scene shooter crime murder
    homicide body bodies family friend neighbor neighbour resident residents home house
    street road car vehicle near outside inside""".split()
)
COMMON_WEIGHT = 0.25
NAME_WEIGHT = 2.0
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Characters that separate a name's parts in one spelling and not in another.
_JOINERS = str.maketrans({"-": " ", "'": " ", "’": " ", "‘": " "})


@functools.lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """A crude lemma: lower case, possessive, plural and common verb endings cut
    ("attacks" -> "attack", "shelled" -> "shell", "bombing" -> "bomb")."""
    w = word.casefold().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'-")
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4 and not w.endswith("ss"):
            w = w[: -len(suffix)] + keep
            break
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # "shell(l)ed" -> "shell", "bomb(b)ing" -> "bomb"
    return w


def _terms(text: str) -> Counter[str]:
    """Weighted counts of the content lemmas of a text; a capitalised word inside a
    sentence (a name) counts double, a word every conflict report uses a quarter."""
    counts: Counter[str] = Counter()
    start = True
    for match in _WORD.finditer(text.translate(_JOINERS)):
        word = match.group()
        folded = word.casefold()
        before = text[max(0, match.start() - 2) : match.start()]
        sentence_start = start or any(c in ".!?\n:" for c in before)
        start = False
        if folded in STOP_WORDS or len(folded) < 3:
            continue
        term = lemma(word)
        if term in COMMON_WORDS or folded in COMMON_WORDS:
            counts[term] += COMMON_WEIGHT
        elif word[0].isupper() and not sentence_start:
            counts[term] += NAME_WEIGHT
        else:
            counts[term] += 1.0
    return counts


def profile(text: str) -> Profile:
    """The unit-length weighted term vector of a text (sublinear term frequency)."""
    weights = {t: 1.0 + math.log(c) if c >= 1 else c for t, c in _terms(text).items()}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items()} if norm else {}


def cosine(a: Profile, b: Profile) -> float:
    """Cosine of two profiles (both unit length): 0 when either is empty."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def shared_terms(a: Profile, b: Profile, n: int = 5) -> list[str]:
    """The `n` terms that weigh most in both profiles, for `why`."""
    both = sorted(set(a) & set(b), key=lambda t: -a[t] * b[t])
    return both[:n]
