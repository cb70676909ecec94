"""Places stage: toponyms and facilities geocoded against an offline GeoNames gazetteer."""

from eventledger.stages.places.gazetteer import Admin1, Candidate, Gazetteer, normalize
from eventledger.stages.places.resolver import PlaceResolver, geo_precision, where_prec

__all__ = [
    "Admin1",
    "Candidate",
    "Gazetteer",
    "PlaceResolver",
    "geo_precision",
    "normalize",
    "where_prec",
]
