"""Topic x frame cross-tabulation: which topics carry which roles, per outlet."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from framing.corpus import InputError
from framing.measure._topics import topic_columns as find_topic_columns
from framing.measure._topics import topic_labels


def topic_frame_table(
    topics: pd.DataFrame,
    passage_frames: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "outlet",
    weighting: Literal["proportion", "main_topic"] = "proportion",
    use: Literal["probability", "decision"] = "probability",
    labels: Mapping[str, str] | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Cross topics with frames: how often the passages of each topic carry each frame.

    Two readings, both descriptive (no correction for classifier error):

    - ``weighting="proportion"``: the mean frame value over all passages, each weighted by its
      proportion of topic ``t``: ``sum_i theta_it x_if / sum_i theta_it``, where ``x_if`` is
      ``p_<frame>`` (``use="probability"``) or ``is_<frame>`` (``"decision"``). ``weight`` is
      ``sum_i theta_it``, the topic's size in passages.
    - ``weighting="main_topic"``: among passages whose largest topic is ``t``, the mean of
      ``x_if`` (the share that carry frame ``f``); ``weight`` is their number.

    Parameters
    ----------
    topics : DataFrame
        ``topic_<k>`` proportions keyed by ``passage_id`` (passage topics) or ``doc_id``
        (document topics, given to each of the document's passages).
    passage_frames : DataFrame
        ``passage_id``, ``doc_id``, metadata, ``p_<frame>`` and ``is_<frame>``.
    by : str, sequence of str or None, default="outlet"
        Metadata columns of ``passage_frames`` to split the table by (None: one table).
    weighting : {"proportion", "main_topic"}, default="proportion"
        See above.
    use : {"probability", "decision"}, default="probability"
        Average ``p_<frame>`` or ``is_<frame>``.
    labels : sequence or mapping of str, optional
        Topic names for a ``label`` column (see :func:`topic_prevalence`); by default those in
        ``topics.attrs["topic_labels"]``.

    Returns
    -------
    DataFrame
        One row per ``by`` group, topic and frame: the ``by`` columns, ``topic``, [``label``,]
        ``frame``, ``estimate`` (the share described above), ``weight``, ``n_passages``
        (passages in the group) and ``lift`` (``estimate``
        over the group's mean frame value: above 1 means the topic carries the frame more
        than the group's passages on average).

    Raises
    ------
    InputError
        No topic or frame columns, no shared key, or passages without topics.

    Examples
    --------
    >>> frames = pd.DataFrame({"passage_id": ["a:0", "b:0"], "doc_id": ["a", "b"],
    ...                        "outlet": ["X", "X"], "p_peacemaker": [0.9, 0.1]})
    >>> topics = pd.DataFrame({"doc_id": ["a", "b"], "topic_0": [1.0, 0.0],
    ...                        "topic_1": [0.0, 1.0]})
    >>> topic_frame_table(topics, frames)[["outlet", "topic", "frame", "estimate", "weight"]]
      outlet    topic       frame  estimate  weight
    0      X  topic_0  peacemaker       0.9     1.0
    1      X  topic_1  peacemaker       0.1     1.0
    """
    if weighting not in ("proportion", "main_topic"):
        raise InputError(f"The 'weighting' parameter must be 'proportion' or 'main_topic'. "
                         f"Got {weighting!r} instead.", field="weighting")
    if use not in ("probability", "decision"):
        raise InputError(f"The 'use' parameter must be 'probability' or 'decision'. "
                         f"Got {use!r} instead.", field="use")
    topic_columns = find_topic_columns(topics)
    if not topic_columns:
        raise InputError("the topics table has no topic_<k> columns", field="topic_<k>")
    prefix = "p_" if use == "probability" else "is_"
    frame_columns = [c for c in passage_frames.columns if c.startswith(prefix)]
    if not frame_columns:
        raise InputError(f"passage_frames has no {prefix}<frame> columns", field=f"{prefix}<frame>")
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    for key in keys:
        if key not in passage_frames.columns:
            raise InputError(f"passage_frames has no {key!r} column to split by", field=key)
    if "passage_id" in topics.columns and "passage_id" in passage_frames.columns:
        on, validate = "passage_id", "one_to_one"
    elif "doc_id" in topics.columns and "doc_id" in passage_frames.columns:
        on, validate = "doc_id", "many_to_one"
    else:
        raise InputError("the topics and passage_frames tables share no 'passage_id' or "
                         "'doc_id' column to join on", field="passage_id")
    if not topics[on].is_unique:
        raise InputError(f"the topics table has {on} values more than once "
                         f"(first: {topics[on][topics[on].duplicated()].iloc[0]!r})", field=on)
    joined = passage_frames[[on, *keys, *frame_columns]].merge(
        topics[[on, *topic_columns]], on=on, how="left", validate=validate)
    missing = joined[topic_columns[0]].isna().to_numpy()
    if missing.any():
        row = int(np.flatnonzero(missing)[0])
        raise InputError(f"{int(missing.sum())} passages have no topics (first: "
                         f"{on}={joined[on].iloc[row]!r})", row=row + 1, field=on)
    theta = joined[topic_columns].to_numpy(dtype=float)
    if weighting == "main_topic":
        theta = (theta.argmax(axis=1)[:, None] == np.arange(theta.shape[1])).astype(float)
    values = joined[frame_columns].to_numpy(dtype=float)
    frames = [c[len(prefix):] for c in frame_columns]
    group_codes, group_index = (pd.factorize(pd.MultiIndex.from_frame(joined[keys]), sort=True)
                                if keys else (np.zeros(len(joined), int), None))
    rows = []
    for g in range(int(group_codes.max()) + 1 if len(joined) else 0):
        mine = group_codes == g
        weight = theta[mine].sum(axis=0)                        # (n_topics,)
        with np.errstate(invalid="ignore", divide="ignore"):
            value = (theta[mine].T @ values[mine]) / weight[:, None]  # (n_topics, n_frames)
        overall = values[mine].mean(axis=0)
        group = dict(zip(keys, group_index[g], strict=True)) if keys else {}
        for t, topic in enumerate(topic_columns):
            for f, frame in enumerate(frames):
                rows.append({**group, "topic": topic, "frame": frame,
                             "estimate": value[t, f], "weight": weight[t],
                             "n_passages": int(mine.sum()),
                             "lift": value[t, f] / overall[f] if overall[f] > 0 else np.nan})
    out = pd.DataFrame(rows, columns=[*keys, "topic", "frame", "estimate", "weight",
                                      "n_passages", "lift"])
    names = topic_labels(topics, topic_columns, labels)
    if names is not None:
        out.insert(out.columns.get_loc("topic") + 1, "label", out["topic"].map(names))
    return out
