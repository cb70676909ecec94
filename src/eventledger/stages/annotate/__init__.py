"""The linguistic layer: the spaCy pipeline, fed paragraph by paragraph."""

from eventledger.stages.annotate.spacy_stage import SpacyAnnotator, load_nlp, paragraphs

__all__ = ["SpacyAnnotator", "load_nlp", "paragraphs"]
