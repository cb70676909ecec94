"""Claims stage: who said what, with speaker, cue, stance and content evidence."""

from eventledger.stages.claims.assembled import CompletedClaimExtractor
from eventledger.stages.claims.batched import BatchedClaimExtractor
from eventledger.stages.claims.combined import TaggedClaimExtractor
from eventledger.stages.claims.quotes import Quote, pair_quotes
from eventledger.stages.claims.retuned import RetunedClaimExtractor
from eventledger.stages.claims.rules import ClaimExtractor, load_cue_lexicon, load_media_names

__all__ = [
    "BatchedClaimExtractor",
    "ClaimExtractor",
    "CompletedClaimExtractor",
    "Quote",
    "RetunedClaimExtractor",
    "TaggedClaimExtractor",
    "load_cue_lexicon",
    "load_media_names",
    "pair_quotes",
]
