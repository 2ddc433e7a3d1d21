"""The measure stage: how often each frame (and topic) occurs per outlet and period.

:func:`estimate_prevalence` turns a ``passage_frames`` table (from
:meth:`framing.frames.FrameClassifier.predict`) into a tidy prevalence table per group
(outlet, period, ...), with corrected estimators (ACC, PACC, EM) that use the classifier's
error rates measured on labelled out-of-sample predictions, and cluster-bootstrap intervals
that resample articles and the labelled passages alike. :func:`prevalence_differences`
compares periods or outlets from the same draws; :func:`topic_frame_table` crosses topics with
frames; :func:`assign_periods` makes calendar or event-defined periods.

The method to report is ``posterior`` (see :data:`RECOMMENDATION_RULE`): each group's share
of passages with the frame, from the classifier's scores on the group (their distribution per
class measured on the validation table) and the group's own coded passages, with an interval
that held its coverage in simulation and is narrower than the corrected counts'.
"""

from __future__ import annotations

from framing.measure._crosstab import topic_frame_table
from framing.measure._periods import assign_periods
from framing.measure._prevalence import (
    METHODS,
    RECOMMENDATION_RULE,
    SharedPassagesWarning,
    ThinCellWarning,
    WeakClassifierWarning,
    estimate_prevalence,
    prevalence_differences,
    recommended_method,
)

__all__ = [
    "METHODS", "RECOMMENDATION_RULE", "SharedPassagesWarning", "ThinCellWarning",
    "assign_periods", "estimate_prevalence", "WeakClassifierWarning", "prevalence_differences",
    "recommended_method", "topic_frame_table",
]

# --- effects and topic prevalence (framing/measure/_effects.py, _topics.py) -------------------
# Owned by another engineer: they add their imports here and extend __all__ below this line.
# Keep this block; do not delete their lines.
from framing.measure._effects import (  # noqa: E402 - the block sits below __all__ by design
    PrevalenceRegression,
    estimate_effects,
    predict_prevalence,
)
from framing.measure._topics import topic_prevalence  # noqa: E402

__all__ += ["PrevalenceRegression", "estimate_effects", "predict_prevalence", "topic_prevalence"]
# --- end of the effects and topic prevalence block --------------------------------------------

# --- single-label shares (framing/measure/_shares.py) -----------------------------------------
# Prevalence of exclusive frames as shares that sum to one; its own block, to merge beside others.
from framing.measure._shares import (  # noqa: E402
    SHARE_METHODS,
    SHARES_RECOMMENDATION_RULE,
    estimate_shares,
    is_single_label_table,
    shares_method,
)

__all__ += ["SHARE_METHODS", "SHARES_RECOMMENDATION_RULE", "estimate_shares",
            "is_single_label_table", "shares_method"]
# --- end of the single-label block ------------------------------------------------------------
