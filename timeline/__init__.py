"""timeline: reconstruct what happened when from a pile of news articles."""

__version__ = "0.1.0"
