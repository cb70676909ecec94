"""`places.ranked.v1`: the gazetteer resolver with the learned ranker (geo_ranker v1)
choosing among same-named candidates.

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

__all__ = ["RankedPlaceResolver"]


@register("places.ranked.v1")
class RankedPlaceResolver(PlaceResolver):
    """Fill `doc.places` as `places.gazetteer.v1` does, the ranker choosing among candidates."""

    def __init__(
        self,
        settings: Settings | None = None,
        gazetteer: Gazetteer | None = None,
        ranker: GeoRanker | None = None,
    ) -> None:
        super().__init__(settings, gazetteer)
        self.ranker = ranker if ranker is not None else GeoRanker.shipped()

    def _context(self, spots: list[_Spot]) -> _Context:
        # The story's own points come from the rules alone, as in training
        # (`scripts/train_geo_ranker.py`): the model is fitted on that context.
        rules = copy.copy(self)
        rules.ranker = None
        return PlaceResolver._context(rules, spots)
