"""MUC-4 (terrorism templates): incident type, role fillers scored with
CEAF-REE, and casualty counts from the raw answer keys.

    .venv/bin/python benchmarks/muc4.py --split dev --json out/muc4.json

Which pipeline: the configured one (the default holds the trained argument
stage `events.roles_model.v2` after the rules). `--roles-model STAGE` runs
that argument stage after the rules in place of the pipeline's own;
`--roles-model` alone is `events.roles_model.v1` (the opt-in stage before
v2); `--roles-model none` takes the argument stage out, so the rules' actors
alone are read (the default pipeline's score before v2 joined it).

Data: ../shared/data/muc4 (see its SOURCE.md). dev = TST1+TST2, test =
TST3+TST4 (200 documents each); the processed JSON (GTT/GRIT's) gives the
role-filler entities, the raw keys the casualty counts.

How eventledger's output is read as MUC-4 (document level, as GRIT scores it:
the role fillers of all templates of a document are pooled):
- events: asserted and historical events (MUC-4 keys past incidents too);
- events of type Battles (armed clashes) give no fillers: MUC-4 keys
  terrorist acts, not combat between forces.

Which actors are read, when the pipeline holds an argument stage: those it
found or confirmed (`source` "model" or "rules+model"); the rules' actors it
does not confirm are left out (adding them back, one role at a time, lowered
dev CEAF-REE for every role). A perpetrator whose head is a proper noun or an
organisation's entity, or whose last word is an organisation noun (army,
front, cartel, ...), is PerpOrg ("FMLN", "the Medellin cartel"), any other
PerpInd ("urban guerrillas"); victims are Victim, weapons Weapon, and targets
as below (any target the model gives is a Target, as it tells people from
things). With no argument stage the rules' actors are read as follows:
- PerpInd / PerpOrg: perpetrator actors (the events stage keeps only
  subjects that name people, groups or organisations); PerpOrg when the spaCy
  entity over the mention is ORG or NORP or its head is an organisation noun
  (army, front, cartel, ...), else PerpInd; "FMLN guerrillas" gives both
  (the phrase to PerpInd, the ORG entity inside it to PerpOrg);
- Victim: target actors that end in a personal name (trailing proper nouns
  with a PERSON entity), the name only; Target: target actors headed by a
  physical-target noun (taxonomy `events.actors.physical`); other targets
  ("the country", "many people") give nothing (precision first: MUC-4
  victims are overwhelmingly named people);
- Weapon: weapon actors.

Either way:
- incident type: ACLED sub-type / trigger mapped to MUC-4 (see `muc_type`),
  of the first event; scored on documents with templates, right when it is one
  of the document's gold template types;
- casualties: per document, the largest killed (injured) figure of the
  first sentence that reports any (a sum would add up "nine soldiers" and
  "seven of the nine soldiers"), against the sum of `HUM TGT: NUMBER`
  over descriptions whose `EFFECT OF INCIDENT` is DEATH (INJURY) in the key;
  exact-match accuracy on documents whose key has such a number. With no
  killed figure, the named people killed in the first killing event count
  one each ("Archbishop Oscar Romero was killed" -> 1).

Case: the processed text is lower-cased. Before parsing, each word gets its
most probable case from spaCy's English word-form probabilities
(`spacy-lookups-data`, `evaluation.runner.CaseModel`; unknown words are taken
for names and title-cased) and each sentence's first letter is upper-cased;
offsets are unchanged. Without spacy-lookups-data, only sentence case. Role
fillers are compared normalised (lower case), so this changes only what the
parser and the entity recogniser see.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from eventledger.config import load_settings
from eventledger.evaluation.ceaf import ROLES, ceaf_ree, normalize_mention
from eventledger.evaluation.muc4 import muc_type, read_casualties, read_gold
from eventledger.evaluation.runner import (
    CaseModel,
    entity_label,
    run_texts,
    sentence_case,
    tokens_in,
)
from eventledger.pipeline import Document, Pipeline
from eventledger.stages.events.rules import load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
# `--roles-model` with no name puts v1 in (as before v2 was the default's)
ROLES_STAGE = "events.roles_model.v1"
ROLES_PREFIX = "events.roles_model."
_MODEL_SOURCES = ("model", "rules+model")
SPLITS = {
    "dev": ("dev.json", ("key-tst1.v7.gz", "key-tst2.v4.gz")),
    "test": ("test.json", ("key-tst3.v2.gz", "key-tst4.v2.gz")),
}
_PEOPLE = {
    "people", "person", "persons", "civilian", "civilians", "man", "men", "woman", "women",
    "child", "children", "peasant", "peasants", "priest", "priests", "soldier", "soldiers",
    "policeman", "policemen", "guard", "guards", "student", "students", "worker", "workers",
    "member", "members", "official", "officials", "mayor", "judge", "leader", "leaders",
    "jesuit", "jesuits", "minister", "journalist", "journalists", "victim", "victims",
}  # fmt: skip
_KILLING = re.compile(r"kill|murder|assassinat|slay|slain|execut|massacre", re.IGNORECASE)
_ORG_HEADS = {"army", "front", "cartel", "movement", "organization", "police"}


def _entities_in(doc: Document, start: int, end: int) -> list[tuple[str, int, int]]:
    """(label, start, end) of the named entities inside the char span [start, end)."""
    out = []
    for offset, sdoc in doc.paragraphs:
        if offset > end or offset + len(sdoc.text) < start:
            continue
        for ent in sdoc.ents:
            a, b = offset + ent.start_char, offset + ent.end_char
            if start <= a and b <= end:
                out.append((str(ent.label_), a, b))
    return out


def _person_name(doc: Document, start: int, end: int) -> tuple[int, int] | None:
    """The char span of the personal name a phrase ends with ("governor Antonio
    Roldan Betancur"): its trailing proper nouns, when one of them is in a
    PERSON entity and none in another kind of name; "'s" left out."""
    toks = [t for t in tokens_in(doc, start, end) if t.lower_ != "'s"]
    run = []
    for t in reversed(toks):
        if t.pos_ != "PROPN":
            break
        run.insert(0, t)
    labels = {t.ent_type_ for t in run}
    if not run or "PERSON" not in labels or labels & {"ORG", "GPE", "NORP", "LOC", "FAC"}:
        return None
    offset = start - toks[0].idx if toks else 0
    a = tokens_in(doc, start, end)[0]
    offset = start - a.idx
    last = run[-1]
    return offset + run[0].idx, offset + last.idx + len(last.text)


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


_VICTIM_KINDS = {"killed", "injured", "hostages", "missing"}
_FACTUALITY = ("asserted", "historical")


def _strip_count(text: str) -> str:
    words = text.split()
    while words and (words[0].lower() in _COUNT_WORDS or re.fullmatch(r"[\d,.]+", words[0])):
        words = words[1:]
    return " ".join(words)


_COUNT_WORDS = {
    "at", "least", "more", "than", "about", "some", "nearly", "up", "to", "one", "two",
    "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "dozens", "hundreds", "of", "several", "a", "an", "the",
}  # fmt: skip


def predict(
    doc: Document, model_only: bool = False
) -> tuple[dict[str, list[list[str]]], str | None, dict[str, float]]:
    """(role entities, incident type, casualty sums) eventledger gives one document;
    `model_only`: the actors the trained argument stage found or confirmed
    (`source` "model" or "rules+model"), not the other actors of the rules."""
    roles: dict[str, list[list[str]]] = {r: [] for r in ROLES}

    seen: set[tuple[str, str]] = set()

    def add(role: str, mention: str) -> None:
        key = normalize_mention(mention)
        # one entity per normalised string; a bare number or date is no filler
        if not key or re.match(r"^[\d,.]+(?:\s|$)", key) or (role, key) in seen:
            return
        seen.add((role, key))
        roles[role].append([mention.strip()])

    lists = load_taxonomy()["events"]["actors"]
    # MUC-4 keys terrorist acts: an armed clash between forces is none
    told = [e for e in doc.events if e.factuality in _FACTUALITY]
    events = [e for e in told if e.type != "Battles"]
    for ev in events:
        for actor in ev.actors:
            if not actor.evidence or (model_only and actor.source not in _MODEL_SOURCES):
                continue
            span = actor.evidence[0]
            label = entity_label(doc, span.start, span.end)
            if label in ("DATE", "TIME", "QUANTITY", "CARDINAL", "MONEY"):
                continue
            if actor.role == "perpetrator" and model_only:
                # the model's phrase: a name (the group's) or an organisation noun is the
                # organisation, any other common noun the individuals ("FMLN" / "rebels")
                last = span.text.split()[-1].lower() if span.text.split() else ""
                named = _named_head(doc, span.start, span.end) or last in _ORG_HEADS
                add("PerpOrg" if named else "PerpInd", span.text)
            elif actor.role == "perpetrator":
                org = _member_of(doc, span.start, span.end)
                if org is not None:  # "members of the FMLN": the individuals and their group
                    add("PerpInd", doc.text[span.start : org[1]])
                    add("PerpOrg", doc.text[org[0] : org[1]])
                    continue
                last = span.text.split()[-1].lower() if span.text.split() else ""
                inner = [
                    (a, b)
                    for lab, a, b in _entities_in(doc, span.start, span.end)
                    if lab == "ORG" and (a, b) != (span.start, span.end)
                ]
                if inner and last in lists["agents"]:
                    # "FMLN guerrillas": the individuals and the organisation they belong to
                    add("PerpInd", span.text)
                    for a, b in inner:
                        add("PerpOrg", doc.text[a:b])
                    continue
                org = label in ("ORG", "NORP") or last in _ORG_HEADS
                add("PerpOrg" if org else "PerpInd", span.text)
            elif actor.role == "weapon":
                add("Weapon", span.text)
            elif actor.role == "victim" and span.text == actor.name:
                # a phrase named as the victims (not a figure's group word)
                add("Victim", span.text)
            elif actor.role == "target":
                last = span.text.split()[-1].lower() if span.text.split() else ""
                name = _person_name(doc, span.start, span.end)
                if name is not None:
                    # the name, without the title before it ("governor antonio roldan")
                    add("Victim", doc.text[name[0] : name[1]])
                elif (
                    last in lists["physical"]
                    or _singular(last) in lists["physical"]
                    or actor.source in _MODEL_SOURCES  # the model tells people from things
                ):
                    add("Target", span.text)
    casualties: dict[str, float] = {}
    first: dict[str, int] = {}
    for fig in doc.figures:
        if fig.kind not in ("killed", "injured") or fig.best is None or fig.scope != "incident":
            continue
        si = doc.sentence_at(fig.evidence[0].start) if fig.evidence else None
        if si is None:
            continue
        first.setdefault(fig.kind, si)
        if first[fig.kind] == si:
            casualties[fig.kind] = max(casualties.get(fig.kind, 0), fig.best)
    if "killed" not in casualties:
        # no killed figure: each named person killed counts one ("Archbishop
        # Oscar Romero was killed"), in the first event that names any
        for ev in events:
            if not _KILLING.search(ev.trigger or ""):
                continue
            names = {
                normalize_mention(doc.text[n[0] : n[1]])
                for a in ev.actors
                if a.role == "target" and a.evidence
                for n in [_person_name(doc, a.evidence[0].start, a.evidence[0].end)]
                if n is not None
            }
            if names:
                casualties["killed"] = len(names)
                break
    mtype = muc_type(_as_dict(told[0])) if told else None
    return roles, mtype, casualties


def _named_head(doc: Document, start: int, end: int) -> bool:
    """Whether the phrase's head word is a proper noun or an organisation's entity."""
    toks = tokens_in(doc, start, end)
    heads = [t for t in toks if t.head == t or t.head not in toks]
    return bool(heads) and (heads[0].pos_ == "PROPN" or heads[0].ent_type_ in ("ORG", "NORP"))


_MEMBER_NOUNS = {"member", "members", "commando", "commandos", "column", "unit", "squad", "cell"}


def _member_of(doc: Document, start: int, end: int) -> tuple[int, int] | None:
    """The char span of X in "members of X" when the perpetrator is such a phrase."""
    toks = tokens_in(doc, start, end)
    if not toks or toks[-1].lower_ not in _MEMBER_NOUNS:
        return None
    head = toks[-1]
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                offset = start - toks[0].idx  # the paragraph's offset in the text
                a = pobj.left_edge
                b = pobj.right_edge
                return offset + a.idx, offset + b.idx + len(b.text)
    return None


def _as_dict(ev: Any) -> dict[str, Any]:
    return {"subtype": ev.subtype, "plover": ev.plover}


def with_roles_stage(pipeline: list[str], stage: str | None) -> list[str]:
    """`pipeline` with `stage` as its argument stage right after the rules (None: with
    none), in place of the one it holds."""
    out = [s for s in pipeline if not s.startswith(ROLES_PREFIX)]
    if stage is not None:
        at = out.index("events.rules.v1") + 1
        out.insert(at, stage)
    return out


def evaluate(
    data: Path, split: str, limit: int | None = None, roles_model: str | None = ""
) -> dict[str, Any]:
    """Scores for one split. `roles_model`: "" the configured pipeline as it is;
    a stage name: that argument stage after the rules in place of the pipeline's;
    None: no argument stage (the rules' actors alone)."""
    processed, keys = SPLITS[split]
    gold = read_gold(data / "gtt_processed" / processed)
    if limit:
        gold = dict(list(gold.items())[:limit])
    casualties = read_casualties([data / "raw" / k for k in keys])
    settings = load_settings()
    if roles_model != "":
        settings.pipeline = with_roles_stage(settings.pipeline, roles_model)
    stage = next((s for s in settings.pipeline if s.startswith(ROLES_PREFIX)), None)
    model_only = stage is not None
    pipeline = Pipeline.from_settings(settings)
    recase = CaseModel.from_lookups()
    if recase is None:
        # without the word table the parser sees lower-case names: about 5 points
        # of CEAF-REE lower (20.9 -> 15.6 on test, rules alone)
        print("warning: spacy-lookups-data is not installed (make bench): sentence case only")
        recase = sentence_case
    items = [(docid, recase(g["text"]), None) for docid, g in gold.items()]
    preds: dict[str, dict[str, list[list[str]]]] = {}
    type_hits: list[bool] = []
    cas_hits: Counter[str] = Counter()
    cas_total: Counter[str] = Counter()
    for doc in run_texts(items, settings, pipeline):
        roles, mtype, cas = predict(doc, model_only=model_only)
        preds[doc.id] = roles
        g = gold[doc.id]
        if g["types"]:
            type_hits.append(mtype in g["types"])
        for kind, value in casualties.get(doc.id, {}).items():
            cas_total[kind] += 1
            cas_hits[kind] += int(cas.get(kind) == value)
    scores = ceaf_ree({d: g["roles"] for d, g in gold.items()}, preds)
    total = sum(cas_total.values())
    return {
        "documents": len(gold),
        "argument_stage": stage,
        "ceaf_ree_f1": round(scores["micro_avg"].f1, 4),
        "ceaf_ree": {k: v.as_dict() for k, v in scores.items()},
        "type_accuracy": round(sum(type_hits) / len(type_hits), 4) if type_hits else 0.0,
        "type_documents": len(type_hits),
        "casualty_exact": round(sum(cas_hits.values()) / total, 4) if total else 0.0,
        "casualty": {
            k: {"exact": round(cas_hits[k] / cas_total[k], 4), "documents": cas_total[k]}
            for k in sorted(cas_total)
        },
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--split", choices=["dev", "test", "both"], default="both")
    ap.add_argument("--limit", type=int, help="only the first N documents of each split")
    ap.add_argument(
        "--roles-model",
        nargs="?",
        const=ROLES_STAGE,
        default="",
        metavar="STAGE",
        help=(
            "the trained argument stage to run after the rules in place of the configured "
            f"pipeline's: a registered name (no name: {ROLES_STAGE}), or 'none' for the "
            "rules' actors alone (docs/models.md); not given: the pipeline as configured"
        ),
    )
    ap.add_argument("--json", help="write the scores to this JSON file")
    args = ap.parse_args(argv)
    data = Path(args.data) / "muc4"
    if not (data / "gtt_processed" / "dev.json").exists():
        print(f"MUC-4 data not found under {data}; skipping (see its SOURCE.md).")
        return 0
    splits = ["dev", "test"] if args.split == "both" else [args.split]
    roles = None if args.roles_model == "none" else args.roles_model
    results = {s: evaluate(data, s, args.limit, roles) for s in splits}
    console = Console()
    for split, res in results.items():
        who = res["argument_stage"] or "the rules alone"
        table = Table(
            title=f"MUC-4 {split}, {who}: CEAF-REE (anchors on test: GRIT 54.50, GTT 50.23)"
        )
        for col in ("role", "P", "R", "F1", "matched", "predicted", "gold"):
            table.add_column(col, justify="right")
        for role, s in res["ceaf_ree"].items():
            table.add_row(
                role,
                *(f"{s[k] * 100:.2f}" for k in ("precision", "recall", "f1")),
                *(str(s[k]) for k in ("matched", "predicted", "gold")),
            )
        console.print(table)
        console.print(
            f"incident type accuracy {res['type_accuracy']:.4f} "
            f"({res['type_documents']} documents with templates); "
            f"casualty exact {res['casualty_exact']:.4f} {res['casualty']}"
        )
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
