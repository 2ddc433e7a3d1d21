"""The frames stage: codebooks as data, and lexicon scores from their terms.

A codebook (YAML, see ``framing/data/codebooks/trump_ukraine_roles.yaml``) names the frames,
defines them, gives coding rules, examples and lexicon terms; its sha256 travels with every
model and result made from it. :class:`LexiconScorer` turns the lexicon into dictionary scores
per passage, usable alone or as features. :class:`FrameClassifier` learns calibrated
multi-label frame probabilities from coded passages; :func:`cross_validate_frames` scores it
with folds grouped by document.
"""

from __future__ import annotations

from framing.frames._classifier import FrameClassifier
from framing.frames._codebook import Codebook, Frame, load_codebook
from framing.frames._evaluate import cross_validate_frames
from framing.frames._lexicon import LexiconScorer, lexicon_scores

__all__ = [
    "Codebook", "Frame", "FrameClassifier", "LexiconScorer", "cross_validate_frames",
    "lexicon_scores", "load_codebook",
]
