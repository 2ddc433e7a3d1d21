"""A seeded generator of a fictitious news corpus with planted ground truth.

The sample corpus in ``corpora/sample`` is made by :func:`generate_sample_corpus` (or
``python -m framing.synthetic corpora/sample --force``): about 2,000 invented articles from six
invented outlets over 2025, most of them on the Ukraine peace process, with truth tables for
sentences, actor mentions, Trump passages and their planted roles (peacemaker, isolationist,
skeptic), duplicates and deliberately imperfect rows. None of it is real reporting.
"""

from __future__ import annotations

from framing.synthetic._generate import generate_sample_corpus

__all__ = ["generate_sample_corpus"]
