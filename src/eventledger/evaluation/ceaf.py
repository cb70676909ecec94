"""CEAF-REE: role-filler entity scoring for document-level event extraction
(MUC-4), as defined by Du, Cardie and Rush, "GRIT: Generative Role-filler
Transformers for Document-level Event Entity Extraction" (EACL 2021) and used
by GTT (Du, Rush and Cardie, NAACL 2021).

What this follows (their `eval.py`, repository xinyadu/grit_doc_event_entity):
- per document and per role, gold entities are sets of coreferent mention
  strings and predicted entities are sets of mention strings;
- every string is normalised SQuAD-style: lower-cased, punctuation removed,
  the articles a/an/the removed, whitespace collapsed;
- the similarity phi(gold, pred) is 1 when every predicted mention is one of
  the gold entity's mentions (their `phi_strict`; with one predicted mention
  per entity, as GRIT and eventledger produce, this is "the predicted mention
  matches a gold mention"), else 0;
- gold and predicted entities are aligned one-to-one to maximise the summed
  similarity (Kuhn-Munkres); with a 0/1 similarity that is a maximum bipartite
  matching, computed here with Kuhn's augmenting paths, which is exact;
- precision = matched / predicted entities, recall = matched / gold entities,
  summed over documents per role; the overall score is the micro average over
  the five roles.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["ROLES", "RoleScore", "ceaf_ree", "match_entities", "normalize_mention"]

ROLES = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = str.maketrans("", "", string.punctuation)

Entity = Sequence[str]  # coreferent mention strings of one entity


def normalize_mention(text: str) -> str:
    """A mention as the GRIT/GTT scorer compares it (lower, no punctuation or articles)."""
    return " ".join(_ARTICLES.sub(" ", text.lower().translate(_PUNCT)).split())


def _phi(gold: set[str], pred: set[str]) -> bool:
    return bool(pred) and pred <= gold


def match_entities(gold: Sequence[Entity], pred: Sequence[Entity]) -> int:
    """The number of (gold, predicted) entity pairs in a best one-to-one alignment."""
    g = [{normalize_mention(m) for m in e} for e in gold]
    p = [{normalize_mention(m) for m in e} for e in pred]
    edges = [[j for j, pe in enumerate(p) if _phi(ge, pe)] for ge in g]
    owner: dict[int, int] = {}  # predicted entity -> gold entity it is aligned with

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    return sum(augment(i, set()) for i in range(len(g)))


@dataclass(slots=True)
class RoleScore:
    """Matched, predicted and gold entity counts, with P/R/F1 derived."""

    matched: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        """Counts and rounded P/R/F1 as plain data."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "matched": self.matched,
            "predicted": self.predicted,
            "gold": self.gold,
        }


def ceaf_ree(
    gold: Mapping[str, Mapping[str, Sequence[Entity]]],
    pred: Mapping[str, Mapping[str, Sequence[Entity]]],
    roles: Iterable[str] = ROLES,
) -> dict[str, RoleScore]:
    """CEAF-REE per role and `micro_avg`, over the documents of `gold`
    (`{docid: {role: [entity, ...]}}`; a document missing from `pred` predicts nothing)."""
    roles = tuple(roles)
    scores = {r: RoleScore() for r in roles}
    for docid, gold_roles in gold.items():
        pred_roles = pred.get(docid, {})
        for role in roles:
            g = [e for e in gold_roles.get(role, ()) if e]
            p = [e for e in pred_roles.get(role, ()) if e]
            s = scores[role]
            s.matched += match_entities(g, p)
            s.predicted += len(p)
            s.gold += len(g)
    total = RoleScore()
    for s in scores.values():
        total.matched += s.matched
        total.predicted += s.predicted
        total.gold += s.gold
    scores["micro_avg"] = total
    return scores
