"""figures stage: counts of people with kind, group, scope and claimant."""

from eventledger.stages.figures.rules import Count, FigureRules, load_taxonomy, parse_count

__all__ = ["Count", "FigureRules", "load_taxonomy", "parse_count"]
