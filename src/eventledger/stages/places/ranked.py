"""`places.ranked.v1` and `.v2`: the gazetteer resolver with the learned ranker
(geo_ranker v1) choosing among same-named candidates; v2 (the default) also
reads a bare name as the city inside the division named after it.

Everything else is `places.gazetteer.v1`'s: detection, the rules that say
what a name is (a country, a region by its kind word, a town inside an
explicit parent), and the story's focus. See `ranker.py` for the model and
when the rules' choice is kept against it.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from eventledger.pipeline import register
from eventledger.stages.places.gazetteer import Gazetteer
from eventledger.stages.places.ranker import GeoRanker
from eventledger.stages.places.resolver import PlaceResolver, _Context, _Spot

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = ["RankedPlaceResolver", "RankedPlaceResolverV2"]


@register("places.ranked.v1")
class RankedPlaceResolver(PlaceResolver):
    """Fill `doc.places` as `places.gazetteer.v1` does, the ranker choosing among candidates."""

    # v2 reads a bare name as the city inside its namesake division (`ranker._seat_of`).
    city_for_bare_name = False

    def __init__(
        self,
        settings: Settings | None = None,
        gazetteer: Gazetteer | None = None,
        ranker: GeoRanker | None = None,
    ) -> None:
        super().__init__(settings, gazetteer)
        ranker = ranker if ranker is not None else GeoRanker.shipped()
        self.ranker = ranker.with_city_for_bare_name() if self.city_for_bare_name else ranker

    def _context(self, spots: list[_Spot]) -> _Context:
        # The story's own points come from the rules alone, as in training
        # (`scripts/train_geo_ranker.py`): the model is fitted on that context.
        rules = copy.copy(self)
        rules.ranker = None
        return PlaceResolver._context(rules, spots)


@register("places.ranked.v2")
class RankedPlaceResolverV2(RankedPlaceResolver):
    """`places.ranked.v1` where a bare name is the city inside the division named after it.

    "Six people were killed in Kharkiv" is the city, not the oblast, however
    the model weighs the story's other places; "the Kharkiv region" is still
    the oblast (see `ranker._seat_of`). The default pipeline's places stage.
    """

    city_for_bare_name = True
