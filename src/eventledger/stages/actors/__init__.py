"""Actors stage: speaker and actor names normalised and typed from a dictionary."""

from eventledger.stages.actors.dictionary import TYPES, ActorDictionary, ActorNormalizer, Match

__all__ = ["TYPES", "ActorDictionary", "ActorNormalizer", "Match"]
