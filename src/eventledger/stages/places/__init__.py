"""Places stage: toponyms and facilities geocoded against an offline GeoNames gazetteer."""

from eventledger.stages.places.gazetteer import Admin1, Candidate, Gazetteer, normalize
from eventledger.stages.places.ranked import RankedPlaceResolver, RankedPlaceResolverV2
from eventledger.stages.places.ranker import GeoRanker
from eventledger.stages.places.resolver import PlaceResolver, geo_precision, where_prec

__all__ = [
    "Admin1",
    "Candidate",
    "Gazetteer",
    "GeoRanker",
    "PlaceResolver",
    "RankedPlaceResolver",
    "RankedPlaceResolverV2",
    "geo_precision",
    "normalize",
    "where_prec",
]
