"""Cues for ACLED's sub-event types beyond attacks, read from one parsed sentence.

Each cue is a trigger word with the dependency structure that makes it the
type ACLED's codebook defines: who did what to what. A finder takes a spaCy
token and returns the sub-type it cues, or None. Only the codebook's
definitions and general English decide a rule:

- territory: a verb of taking ("captured", "seized control of", "drove ...
  out of") whose object is a place; a state actor as the taker is
  "Government regains territory", any other armed actor "Non-state actor
  overtakes territory"; a taker unnamed reads from the verb (re-taking verbs,
  "recaptured", "liberated", are said of governments). A withdrawal, an
  evacuation deal or a deserted place taken is "Non-violent transfer";
- weapons stopped before use (seized, defused, intercepted, found in a
  cache, shot down) are "Disrupted weapons use"; bases and posts set up are
  "Headquarters or base established"; troops deployed or mobilised and
  groups formed, merged or disbanded are "Change to group/activity";
  ceasefires, truces, treaties, peace talks, prisoner swaps and surrenders
  are "Agreement";
- weapons that decide an explosion's type: grenades, chemical agents
  (chlorine, nerve agents, "poison gas"), suicide bombers; rape and sexual
  assault are "Sexual violence"; a mob, vigilantes or a lynching are "Mob
  violence";
- a protest's coding follows from what happened at it (`protest_subtype`):
  protesters who riot, throw things or set fires make it a violent
  demonstration; otherwise deaths or injuries dealt to them make it
  excessive force, tear gas, dispersal or arrests an intervention, and
  nothing of these a peaceful protest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

__all__ = [
    "CUE_FINDERS",
    "armed",
    "crowd_control",
    "depth",
    "protest_subtype",
    "protest_told",
    "side_of",
    "weapons_of",
]

# -- vocabulary ------------------------------------------------------------

_TERRITORY_NOUNS = frozenset(
    {"town", "village", "city", "area", "district", "region", "territory", "province", "hill",
     "hilltop", "ground", "position", "base", "locality", "neighbourhood", "neighborhood",
     "capital", "county", "settlement", "outpost", "stronghold", "bastion", "airport", "highway",
     "crossing", "countryside", "mountain", "valley", "island", "port", "suburb", "enclave",
     "municipality", "sector", "front", "frontline", "airbase", "garrison", "headquarters",
     "site", "zone", "road", "border", "height", "peak", "camp"}
)  # fmt: skip
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_TAKE_VERBS = frozenset(
    {"capture", "seize", "overrun", "take", "retake", "recapture", "regain", "liberate",
     "reclaim", "control", "gain", "win", "storm", "occupy", "enter", "free", "purge", "clear"}
)  # fmt: skip
# Verbs that say the place was held before: ACLED's "regains" when unnamed takers.
_RETAKE_VERBS = frozenset({"retake", "recapture", "regain", "liberate", "reclaim", "free"})
_CONTROL_VERBS = frozenset({"take", "seize", "gain", "establish", "assume", "wrest", "regain"})
_EXPEL_VERBS = frozenset({"drive", "push", "expel", "flush", "oust", "chase", "force"})
_WITHDRAW_VERBS = frozenset(
    {"withdraw", "retreat", "evacuate", "cede", "vacate", "abandon", "leave"}
)
_EMPTY_WORDS = frozenset({"deserted", "abandoned", "empty", "evacuated", "vacated"})

_STATE_WORDS = frozenset(
    {"army", "troop", "soldier", "military", "government", "police", "policeman", "gendarme",
     "gendarmerie", "marine", "navy", "commando", "regime", "state", "national", "federal",
     "security", "defence", "defense", "armed", "pro-government", "paratrooper", "ministry",
     "authority", "official", "force", "unit"}
)  # fmt: skip
_NON_STATE_WORDS = frozenset(
    {"rebel", "militant", "insurgent", "fighter", "militia", "militiaman", "jihadist", "terrorist",
     "extremist", "guerrilla", "gunman", "separatist", "bandit", "insurgency", "opposition",
     "group", "faction", "mujahideen", "mujahid", "jihadi", "cartel", "gang", "mob"}
)  # fmt: skip

_WEAPON_NOUNS = frozenset(
    {"weapon", "arm", "arms", "ammunition", "ammo", "munition", "explosive", "ied", "bomb",
     "mine", "landmine", "grenade", "rifle", "gun", "firearm", "pistol", "revolver", "cartridge",
     "round", "rocket", "missile", "drone", "cache", "arsenal", "device", "kalashnikov",
     "launcher", "detonator", "tnt", "dynamite", "shell", "mortar", "carbine", "musket",
     "shotgun", "ak-47", "weaponry", "materiel", "vest", "uav", "projectile", "bullet", "machinegun"}
)  # fmt: skip
_DISRUPT_VERBS = frozenset(
    {"seize", "confiscate", "recover", "find", "discover", "uncover", "unearth", "defuse",
     "diffuse", "dismantle", "deactivate", "defuze", "intercept", "neutralize", "neutralise",
     "impound", "destroy", "clear", "remove", "detect", "bust", "foil", "thwart", "avert"}
)  # fmt: skip
# Weapons a strike also "destroys" ("destroyed artillery batteries" is the strike itself).
_SMALL_ARMS = frozenset(
    {"weapon", "arm", "arms", "ammunition", "ammo", "explosive", "ied", "mine", "landmine",
     "device", "cache", "gun", "rifle", "firearm", "munition", "grenade", "bomb"}
)  # fmt: skip
_FIND_VERBS = frozenset(
    {"find", "discover", "uncover", "unearth", "seize", "recover", "confiscate"}
)
_PLOT_NOUNS = frozenset({"attack", "plot", "bombing", "attempt"})
_DISPOSAL = frozenset({"disposal", "sapper", "demining", "de-mining", "deminer"})

_BASE_NOUNS = frozenset(
    {"base", "headquarters", "hq", "post", "outpost", "checkpoint", "camp", "garrison",
     "barracks", "point", "station", "fortification", "position", "airbase", "airstrip"}
)  # fmt: skip
_BUILD_VERBS = frozenset({"establish", "set", "build", "open", "create", "erect", "install",
                          "construct", "deploy", "station"})  # fmt: skip
_CIVIL_CAMPS = frozenset({"refugee", "displacement", "idp", "relief", "medical", "training"})

_UNIT_NOUNS = frozenset(
    {"troop", "force", "soldier", "unit", "fighter", "reinforcement", "brigade", "battalion",
     "division", "militia", "army", "contingent", "regiment", "squad", "personnel", "detachment",
     "corps", "guard", "militant", "volunteer", "battlegroup", "coalition", "alliance", "group",
     "wing", "command"}
)  # fmt: skip
_MOVE_VERBS = frozenset(
    {"deploy", "redeploy", "mobilize", "mobilise", "dispatch", "send", "amass", "reinforce",
     "relocate", "station", "withdraw", "rename", "disband", "dissolve", "merge", "form",
     "recruit", "reposition", "move"}
)  # fmt: skip
# Group changes whose object is the group itself, not its troops.
_FORM_VERBS = frozenset({"form", "merge", "rename", "disband", "dissolve", "create", "launch"})

_AGREEMENT_NOUNS = frozenset(
    {"agreement", "ceasefire", "truce", "accord", "treaty", "pact", "armistice", "memorandum"}
)  # fmt: skip
_DEAL_MODS = frozenset({"peace", "ceasefire", "evacuation", "reconciliation", "surrender",
                        "exchange", "swap", "prisoner"})  # fmt: skip
_CAPTIVES = frozenset({"prisoner", "detainee", "captive", "hostage", "body", "pow"})
_BREACH = frozenset({"violation", "breach", "violate", "collapse"})

_CHEMICAL_AGENTS = frozenset({"chlorine", "sarin", "tabun", "soman", "phosgene", "ricin", "vx"})
_CHEMICAL_MODS = frozenset({"chemical", "toxic", "poison", "poisonous", "nerve", "mustard",
                            "chlorine", "sarin"})  # fmt: skip
_CHEMICAL_HEADS = frozenset(
    {"gas", "agent", "weapon", "attack", "bomb", "munition", "substance", "shell", "projectile",
     "cylinder", "canister", "container", "rocket", "strike", "barrel"}
)  # fmt: skip
_ACCIDENT_VERBS = frozenset({"leak", "spill", "escape", "emit"})

_SEXUAL_WORDS = frozenset({"rape", "gang-rape", "gangrape", "molest", "molestation", "sodomize"})
_SEXUAL_HEADS = frozenset({"assault", "violence", "abuse", "harassment", "attack", "exploitation",
                           "slavery", "torture"})  # fmt: skip

_MOB_WORDS = frozenset({"mob", "vigilante", "vigilantism", "lynch", "lynching"})
_MOB_DEEDS = frozenset(
    {"kill", "beat", "attack", "lynch", "burn", "stone", "assault", "murder", "chop", "hack",
     "torch", "set", "thrash", "violence", "killing", "justice"}
)  # fmt: skip

_PROTEST_WORDS = frozenset(
    {"protest", "protester", "protestor", "demonstration", "demonstrator", "rally", "marcher",
     "sit-in", "picket", "rioter", "riot", "demonstrate", "march"}
)  # fmt: skip
_PROTEST_LEMMAS_VERBAL = frozenset({"protest", "demonstrate", "rally", "march", "riot"})
# Words that make a protest told a planned or forbidden one, not one that took place.
_PROTEST_NOT_TOLD = frozenset({"anticipation", "ahead", "plan", "ban", "prevent", "call"})
_CROWD_WORDS = frozenset({"crowd", "protester", "protestor", "demonstrator", "rioter", "marcher",
                          "chain", "sit-in", "rally", "protest", "demonstration", "gathering",
                          "activist", "student", "supporter"})  # fmt: skip
_RIOT_DEEDS = frozenset(
    {"throw", "hurl", "pelt", "clash", "attack", "burn", "torch", "loot", "vandalize",
     "vandalise", "smash", "storm", "stone", "riot", "damage", "destroy", "fight", "set",
     "barricade", "ransack", "block", "scuffle"}
)  # fmt: skip
_RIOT_NOUNS = frozenset({"riot", "rioter", "molotov", "firecracker", "vandalism", "scuffle",
                         "barricade", "stone-throwing", "firebomb", "clash"})  # fmt: skip
_VIOLENT_MODS = frozenset({"violent", "aggressive", "unruly", "rowdy"})
_INTERVENTION = frozenset(
    {"teargas", "tear", "cannon", "baton", "pepper", "disperse", "dispersal", "break", "stun",
     "rubber", "crackdown", "clear", "arrest", "detain", "suppress", "repress", "charge",
     "cane", "truncheon", "spray", "pellet", "fire", "bullet", "gunfire", "ammunition", "shoot",
     "beat", "attack", "assault", "kill", "injure", "wound"}
)  # fmt: skip
_CAUSE_PREPS = frozenset({"over", "against", "about", "following", "for", "after"})
_HARM_WORDS = frozenset({"kill", "die", "dead", "death", "shoot", "wound", "injure", "injury",
                         "fatal", "deadly", "bloody", "massacre", "lethal",
                         "wounded", "injured", "killed"})  # fmt: skip


# -- helpers -----------------------------------------------------------------


def depth(tok: Any) -> int:
    """How many heads above `tok` its sentence's root is (0 for the root)."""
    n = 0
    while tok.head.i != tok.i and n < 64:
        tok, n = tok.head, n + 1
    return n


# Irregular forms the small model's lemmatizer leaves as they are.
_LEMMA_FIXES = {"retook": "retake", "retaken": "retake", "overtook": "overtake",
                "overtaken": "overtake"}  # fmt: skip


def _lemma(tok: Any) -> str:
    lemma = tok.lemma_.lower()
    return _LEMMA_FIXES.get(lemma, lemma)


def _mods(tok: Any) -> set[str]:
    return {_lemma(c) for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod")} | {
        c.lower_ for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod")
    }


def _with_conjuncts(toks: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for t in toks:
        out.append(t)
        out.extend(t.conjuncts)
    return out


def _heads_of_of(tok: Any) -> list[Any]:
    """`tok` and the noun after its "of" ("a cache of arms", "control of the town")."""
    out = [tok]
    for p in tok.children:
        if p.dep_ == "prep" and p.lower_ in ("of", "over"):
            out += _with_conjuncts(c for c in p.children if c.dep_ == "pobj")
    return out


def _objects(verb: Any) -> list[Any]:
    """The verb's objects, the subject of its passive, and their conjuncts and "of" nouns."""
    objs = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd")]
    if verb.dep_ in ("acl", "relcl") and verb.tag_ == "VBN":
        objs.append(verb.head)  # "weapons seized in the raid"
    out: list[Any] = []
    for o in _with_conjuncts(objs):
        out += _heads_of_of(o)
    return out


def _subjects(verb: Any) -> list[Any]:
    """The doers of a verb: its subject, or the agent of its passive."""
    subj = [c for c in verb.children if c.dep_ == "nsubj"]
    for c in verb.children:
        if c.dep_ == "agent":
            subj += [p for p in c.children if p.dep_ == "pobj"]
    if not subj and verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _subjects(verb.head)  # "troops entered and recaptured the town"
    if not subj and verb.dep_ in ("xcomp", "advcl") and verb.head.pos_ == "VERB":
        return _subjects(verb.head)
    return _with_conjuncts(subj)


def _is_place(tok: Any) -> bool:
    return tok.ent_type_ in _PLACE_LABELS or _lemma(tok) in _TERRITORY_NOUNS


def _has_particle(verb: Any, words: Iterable[str]) -> bool:
    w = set(words)
    return any(c.dep_ in ("prt", "advmod", "prep") and c.lower_ in w for c in verb.children)


def side_of(doers: list[Any]) -> str | None:
    """ "state" or "non-state" for the doers of a deed, from their words; None when unsaid."""
    words: set[str] = set()
    for d in doers:
        for t in d.subtree:
            words.add(_lemma(t))
            words.add(t.lower_)
    if words & _NON_STATE_WORDS:
        return "non-state"
    if words & _STATE_WORDS:
        return "state"
    if any(d.ent_type_ in ("ORG", "NORP") for d in doers):
        return "non-state"  # a named group that calls itself no army
    return None


# -- finders -----------------------------------------------------------------


def _territory(tok: Any) -> str | None:
    """Territory changing hands: regained, overtaken, or handed over without a fight."""
    if tok.pos_ != "VERB":
        return None
    lemma = _lemma(tok)
    objs = _objects(tok)
    took = False
    if lemma in _TAKE_VERBS and any(_is_place(o) for o in objs):
        took = lemma not in ("take", "win", "gain", "clear", "purge", "free", "enter", "storm")
        if lemma in ("take", "win") and _has_particle(tok, ("over", "back")):
            took = True
        if lemma in ("clear", "purge", "free") and any(
            p.dep_ == "prep" and p.lower_ == "of" for p in tok.children
        ):
            took = True  # "cleared the town of militants"
    if lemma in _CONTROL_VERBS and any(_lemma(o) == "control" for o in objs):
        took = True  # "seized control of the district", "established control over an area"
    if lemma in _EXPEL_VERBS and _has_particle(tok, ("out", "away")):
        took = True  # "drove the rebels out of two districts"
    if lemma == "control" and any(_is_place(o) for o in objs):
        took = True
    if lemma in _WITHDRAW_VERBS or (
        lemma in ("pull", "hand") and _has_particle(tok, ("out", "over"))
    ):
        armed = side_of(_subjects(tok)) is not None
        placed = any(_is_place(o) for o in objs) or any(
            p.dep_ == "prep" and any(_is_place(c) for c in p.children) for p in tok.children
        )
        return "Non-violent transfer of territory" if armed and placed else None
    if not took:
        return None
    if any(_EMPTY_WORDS & {_lemma(t) for t in o.lefts for t in t.subtree} for o in objs):
        return "Non-violent transfer of territory"
    sent = tok.sent
    if any(_lemma(t) in _WITHDRAW_VERBS and t.pos_ == "VERB" for t in sent if t.i != tok.i):
        return "Non-violent transfer of territory"  # "took the town after the army withdrew"
    side = side_of(_subjects(tok))
    if side == "state":
        return "Government regains territory"
    if side == "non-state":
        return "Non-state actor overtakes territory"
    if lemma in _RETAKE_VERBS or _has_particle(tok, ("back",)):
        return "Government regains territory"
    return None


def _disrupted(tok: Any) -> str | None:
    """Weapons stopped before use: seized, found, defused, intercepted, shot down."""
    lemma = _lemma(tok)
    if tok.pos_ == "NOUN" and lemma in _DISPOSAL:
        return "Disrupted weapons use"  # "bomb disposal experts", "sappers"
    if tok.pos_ == "NOUN" and lemma in ("seizure", "discovery", "interception", "haul"):
        objs = [t for t in tok.subtree if _lemma(t) in _WEAPON_NOUNS]
        return "Disrupted weapons use" if objs else None
    if tok.pos_ != "VERB":
        return None
    objs = _objects(tok)
    nouns = {_lemma(o) for o in objs} | {o.lower_ for o in objs}
    if lemma == "shoot" and _has_particle(tok, ("down",)):
        return "Disrupted weapons use" if nouns & _WEAPON_NOUNS else None
    if lemma not in _DISRUPT_VERBS:
        return None
    if lemma in ("foil", "thwart", "avert"):
        return "Disrupted weapons use" if nouns & _PLOT_NOUNS else None
    wanted = _SMALL_ARMS if lemma in ("destroy", "remove", "clear") else _WEAPON_NOUNS
    if lemma in _FIND_VERBS:
        # "found a hideout where the gang kept rifles": the weapons anywhere in what was found
        nouns |= {_lemma(t) for o in objs for t in o.subtree}
    return "Disrupted weapons use" if nouns & wanted else None


def _base(tok: Any) -> str | None:
    """A base, post or headquarters set up."""
    if tok.pos_ != "VERB" or _lemma(tok) not in _BUILD_VERBS:
        return None
    if _lemma(tok) == "set" and not _has_particle(tok, ("up",)):
        return None
    for o in _objects(tok):
        if _lemma(o) in _BASE_NOUNS and not (_mods(o) & _CIVIL_CAMPS):
            if _lemma(o) == "point" and not ({"observation", "military"} & _mods(o)):
                continue
            if _lemma(o) in ("station", "position") and "military" not in _mods(o):
                continue
            return "Headquarters or base established"
    return None


def _group_change(tok: Any) -> str | None:
    """Troops deployed or mobilised, a group formed, merged, renamed or disbanded."""
    if tok.pos_ != "VERB" or _lemma(tok) not in _MOVE_VERBS:
        return None
    lemma = _lemma(tok)
    units = [o for o in _objects(tok) if _lemma(o) in _UNIT_NOUNS]
    if lemma in ("mobilize", "mobilise", "deploy", "redeploy", "amass", "station") and not units:
        doers = [h for s in _subjects(tok) for h in _heads_of_of(s)]  # "dozens of fighters"
        units = [s for s in doers if _lemma(s) in _UNIT_NOUNS]
    if not units:
        return None
    if lemma == "withdraw" or (lemma in _FORM_VERBS and lemma != "form" and not units):
        return None
    return "Change to group/activity"


def _agreement(tok: Any) -> str | None:
    """A ceasefire, truce, treaty, peace talks, a prisoner swap or a surrender."""
    lemma = _lemma(tok)
    if _a_cause(tok):
        return None  # "protests over last month's ceasefire deal"
    if tok.pos_ in ("NOUN", "PROPN"):
        if lemma in _BREACH or _lemma(tok.head) in _BREACH:
            return None
        if any(_lemma(c) in _BREACH for c in tok.children):
            return None
        if lemma in _AGREEMENT_NOUNS and tok.dep_ != "compound":
            return "Agreement"
        if lemma == "fire" and any(c.lower_ == "cease" for c in tok.lefts):
            return "Agreement"  # "cease-fire" split in three
        if lemma in ("deal", "talk", "negotiation") and (_mods(tok) & (_DEAL_MODS | {"peace"})):
            return "Agreement"
        if lemma in ("exchange", "swap", "release") and any(
            _lemma(t) in _CAPTIVES for t in tok.subtree
        ):
            return "Agreement" if lemma != "release" else None
        return None
    if tok.pos_ != "VERB":
        return None
    if lemma in ("agree", "sign") and any(
        _lemma(t) in (_AGREEMENT_NOUNS | {"deal", "ceasefire", "halt", "stop", "end"})
        for t in tok.subtree
    ):
        return "Agreement"
    if lemma in ("swap", "exchange") and any(_lemma(o) in _CAPTIVES for o in _objects(tok)):
        return "Agreement"
    if lemma in ("surrender", "defect") and side_of(_subjects(tok)) is not None:
        return "Agreement"
    return None


def _chemical(tok: Any) -> str | None:
    """A chemical agent used as a weapon: chlorine, sarin, "poison gas"."""
    lemma = _lemma(tok)
    hit = lemma in _CHEMICAL_AGENTS or (lemma in _CHEMICAL_HEADS and _mods(tok) & _CHEMICAL_MODS)
    if not hit or "tear" in _mods(tok):
        return None
    if any(_lemma(t) in _ACCIDENT_VERBS for t in tok.sent):
        return None  # a leak from a plant is a disaster, not a weapon
    return "Chemical weapon"


def _grenade(tok: Any) -> str | None:
    if _lemma(tok) != "grenade":
        return None
    if tok.dep_ == "compound" and _lemma(tok.head) in ("launcher", "launch"):
        return None  # "a grenade launcher" is no grenade thrown
    if {"rocket", "rocket-propelled", "propelled", "stun"} & _mods(tok):
        return None
    return "Grenade"


def _suicide(tok: Any) -> str | None:
    if tok.lower_ not in ("suicide", "self-immolation"):
        return None
    head = _lemma(tok.head)
    return "Suicide bomb" if head.startswith(("bomb", "attack", "blast", "vest", "car")) else None


def _sexual(tok: Any) -> str | None:
    lemma = _lemma(tok)
    if lemma in _SEXUAL_WORDS or tok.lower_.startswith(("rape", "gang-rape", "molest")):
        return None if tok.lower_.startswith("rapist") else "Sexual violence"
    if lemma in ("sexual", "sexually") and _lemma(tok.head) in _SEXUAL_HEADS | {"abuse"}:
        return "Sexual violence"
    return None


def _mob(tok: Any) -> str | None:
    """A mob, vigilantes or a lynching doing violence."""
    lemma = _lemma(tok)
    if lemma in ("lynch", "lynching", "vigilantism"):
        return "Mob violence"
    if lemma not in _MOB_WORDS:
        return None
    first = tok
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head  # "residents and vigilantes killed ...": the first conjunct's head
    head = first.head
    if first.dep_ == "pobj" and head.dep_ == "agent":
        head = head.head
    if _lemma(head) in _MOB_DEEDS or any(_lemma(c) in _MOB_DEEDS for c in tok.children):
        return "Mob violence"
    if tok.dep_ == "compound" and _lemma(tok.head) in _MOB_DEEDS:
        return "Mob violence"  # "mob killings", "mob justice"
    return None


_AIRCRAFT = frozenset(
    {"jet", "warplane", "helicopter", "chopper", "drone", "aircraft", "plane", "gunship", "uav",
     "bomber", "airplane", "airforce"}
)  # fmt: skip
_LAUNCH_VERBS = frozenset(
    {"fire", "launch", "drop", "strike", "bomb", "hit", "target", "pound", "attack", "raid",
     "shell", "rocket", "unleash"}
)  # fmt: skip
_CAPTURE_VERBS = frozenset({"apprehend", "nab", "intercept", "capture", "round"})
_PERSONS = frozenset(
    {"member", "suspect", "people", "person", "man", "woman", "militant", "fighter", "commander",
     "leader", "activist", "smuggler", "terrorist", "insurgent", "rebel", "individual", "youth",
     "official", "journalist", "protester", "student"}
)  # fmt: skip


def _aerial(tok: Any) -> str | None:
    """Aircraft as the doers of a strike ("missiles fired by jets", "raids by helicopters")."""
    if _lemma(tok) not in _AIRCRAFT:
        return None
    if tok.dep_ == "pobj" and tok.head.lower_ == "by":
        head = tok.head.head
    elif tok.dep_ == "nsubj":
        head = tok.head
    else:
        return None
    return "Air/drone strike" if _lemma(head) in _LAUNCH_VERBS else None


def _captured(tok: Any) -> str | None:
    """People caught by the state ("intercepted fifteen suspects", "rounded up activists")."""
    if tok.pos_ != "VERB" or _lemma(tok) not in _CAPTURE_VERBS:
        return None
    if _lemma(tok) == "round" and not _has_particle(tok, ("up",)):
        return None
    people = [o for o in _objects(tok) if _lemma(o) in _PERSONS or o.ent_type_ == "PERSON"]
    if not people or side_of(_subjects(tok)) == "non-state":
        return None  # fighters capturing soldiers is no arrest
    return "Arrests"


CUE_FINDERS: tuple[Callable[[Any], str | None], ...] = (
    _chemical,
    _aerial,
    _suicide,
    _grenade,
    _sexual,
    _mob,
    _disrupted,
    _territory,
    _base,
    _agreement,
    _group_change,
    _captured,
)


# -- protests ------------------------------------------------------------------


def protest_told(tok: Any) -> bool:
    """Whether `tok` names a protest that took place ("a rally", "protesters marched")."""
    lemma = _lemma(tok)
    if _sit_in(tok):
        return True
    if lemma not in _PROTEST_WORDS and not (lemma == "chain" and "human" in _mods(tok)):
        return False
    if tok.ent_type_ == "DATE" or (lemma == "march" and tok.text[0].isupper()):
        return False  # the month of March
    if tok.dep_ == "compound" and _lemma(tok.head) not in _PROTEST_WORDS:
        return False  # "riot police", "protest leaders": no protest told
    if tok.pos_ == "VERB" and lemma not in _PROTEST_LEMMAS_VERBAL:
        return False
    if lemma == "march" and tok.pos_ == "VERB" and side_of(_subjects(tok)) == "state":
        return False  # troops marching
    cur = tok
    for _ in range(4):
        if _lemma(cur) in _PROTEST_NOT_TOLD:
            return False
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return True


def _sit_in(tok: Any) -> bool:
    """ "sit-in" as three tokens ("sit", "-", "in")."""
    doc = tok.doc
    return (
        tok.lower_ in ("sit", "sits")
        and tok.i + 2 < len(doc)
        and doc[tok.i + 1].text == "-"
        and doc[tok.i + 2].lower_ in ("in", "ins")
    )


def crowd_control(tok: Any) -> bool:
    """Whether `tok` names a means of crowd control (tear gas, water cannon, dispersal)."""
    lemma, mods = _lemma(tok), _mods(tok)
    return (
        lemma == "teargas"
        or (lemma == "gas" and "tear" in mods)
        or (lemma == "cannon" and "water" in mods)
        or (lemma == "spray" and "pepper" in mods)
        or (lemma == "bullet" and "rubber" in mods)
        or lemma in ("disperse", "dispersal")
        or (lemma == "charge" and "baton" in mods | {_lemma(c) for c in tok.children})
    )


def protest_subtype(tokens: Iterable[Any]) -> str:
    """ACLED's coding of a protest from what its sentences tell happened at it.

    Protesters doing violence make it a violent demonstration; otherwise
    deaths or injuries at the hands of those policing it (force named, or
    the protesters the ones harmed) excessive force; force without harm an
    intervention; nothing of these a peaceful protest.
    """
    riot = force = harm = crowd_harmed = False
    for t in tokens:
        if _a_cause(t):
            continue  # what the protest is about did not happen at it
        lemma = _lemma(t)
        crowd_doer = t.pos_ == "VERB" and any(_lemma(s) in _CROWD_WORDS for s in _subjects(t))
        if lemma in _RIOT_DEEDS and crowd_doer:
            riot = True
        if lemma in _RIOT_NOUNS and not (t.dep_ in ("compound", "amod") and t.head.pos_ == "NOUN"):
            # a riot noun as a modifier names gear or a unit ("riot police", "riot
            # shields"), not a riot
            riot = riot or lemma != "clash" or _crowd_near(t)
        if lemma in _VIOLENT_MODS and _lemma(t.head) in _PROTEST_WORDS | {"clash", "crowd"}:
            riot = riot or not _negated_prefix(t)
        if lemma == "turn" and any(_lemma(c) in _VIOLENT_MODS for c in t.children):
            riot = True  # "the march turned violent"
        if crowd_control(t):
            force = True
        elif lemma in _INTERVENTION and lemma not in _HARM_WORDS:
            if lemma in ("arrest", "detain", "charge", "break", "clear", "beat", "attack"):
                if not any(_lemma(o) in _CROWD_WORDS for o in _objects(t)) and not (
                    lemma == "break" and _has_particle(t, ("up",))
                ):
                    continue
            force = True
        if lemma in ("bullet", "ammunition", "round", "fire") and "live" in _mods(t):
            harm = force = True  # "live bullets": lethal force, whoever was hit
        if lemma in _HARM_WORDS:
            harm = True
            patients = _objects(t) + (_subjects(t) if lemma in ("die", "dead") else [])
            crowd_harmed = crowd_harmed or any(_lemma(o) in _CROWD_WORDS for o in patients)
    if riot:
        return "Violent demonstration"
    if harm and (force or crowd_harmed):
        return "Excessive force against protesters"
    if force:
        return "Protest with intervention"
    return "Peaceful protest"


def _negated_prefix(tok: Any) -> bool:
    """ "non-violent" as "non", "-", "violent"."""
    doc = tok.doc
    return tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ == "non"


def _a_cause(tok: Any) -> bool:
    """Whether `tok` is what a protest is about ("a protest over the deadly shooting")."""
    cur = tok
    for _ in range(6):
        if cur.dep_ == "prep" and cur.lower_ in _CAUSE_PREPS:
            return True
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _crowd_near(tok: Any) -> bool:
    """Whether a "clash" has protesters among its parties ("protesters clashed with police")."""
    near = list(tok.subtree) + list(tok.head.subtree if tok.head.i != tok.i else [])
    return any(_lemma(t) in _CROWD_WORDS for t in near)


# -- targets and weapons -------------------------------------------------------

_ARMED_TARGETS = frozenset(
    {"soldier", "troop", "army", "military", "police", "policeman", "policemen", "militant",
     "fighter", "rebel", "insurgent", "checkpoint", "convoy", "patrol", "barracks", "force",
     "militia", "militiaman", "jihadist", "outpost", "garrison", "personnel", "gendarme",
     "commando", "terrorist", "serviceman", "servicemen", "paratrooper", "unit", "post",
     "bunker", "base", "combatant"}
)  # fmt: skip
_CIVIL_TARGETS = frozenset(
    {"civilian", "village", "villager", "resident", "school", "hospital", "market", "church",
     "mosque", "bar", "hotel", "restaurant", "home", "house", "farmer", "people", "child",
     "woman", "worshipper", "student", "passenger", "shop", "community", "family", "clinic"}
)  # fmt: skip


def _targets(tok: Any) -> list[Any]:
    """What a trigger is done to: its objects and "on"/"at"/"against" nouns."""
    heads = [tok, *(c for c in tok.children if c.dep_ == "conj" and c.pos_ == "VERB")]
    out = [c for h in heads for c in h.children if c.dep_ in ("dobj", "nsubjpass")]
    for p in tok.children:
        if p.dep_ == "prep" and p.lower_ in ("on", "at", "against", "upon"):
            out += [c for c in p.children if c.dep_ == "pobj"]
    return _with_conjuncts(out)


def armed(tok: Any) -> bool:
    """Whether a trigger's targets are armed men or their posts ("attacked a checkpoint")."""
    words: set[str] = set()
    for t in _targets(tok):
        words |= {_lemma(w) for w in t.subtree} | {t.lower_}
    return bool(words & _ARMED_TARGETS) and not words & _CIVIL_TARGETS


def weapons_of(verb: Any) -> list[Any]:
    """The weapons a disrupting verb names as its objects ("seized two landmines")."""
    return [o for o in _objects(verb) if _lemma(o) in _WEAPON_NOUNS or o.lower_ in _WEAPON_NOUNS]
