"""Scoring code shared by the accuracy gate (tests) and the benchmarks."""

from eventledger.evaluation.golden import score_against_golden
from eventledger.evaluation.metrics import prf

__all__ = ["prf", "score_against_golden"]
