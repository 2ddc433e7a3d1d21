"""The frames stage: codebooks as data, and lexicon scores from their terms.

A codebook (YAML, see ``framing/data/codebooks/trump_ukraine_roles.yaml``) names the frames,
defines them, gives coding rules, examples and lexicon terms; its sha256 travels with every
model and result made from it. :class:`LexiconScorer` turns the lexicon into dictionary scores
per passage, usable alone or as features.
"""

from __future__ import annotations

from framing.frames._codebook import Codebook, Frame, load_codebook
from framing.frames._lexicon import LexiconScorer, lexicon_scores

__all__ = ["Codebook", "Frame", "LexiconScorer", "lexicon_scores", "load_codebook"]
