"""Boilerplate topics: newsletter blurbs, photo captions, link lists, copyright lines.

A topic is flagged as boilerplate by either of two rules (``TopicModel.boilerplate_``):

1. **One source.** More than ``max_source_share`` (0.5) of the topic's tokens in the training
   documents come from one outlet (the ``outlet`` column, when the training table has one),
   and more than twice that outlet's share of all the training tokens. News topics are
   written by many outlets; one outlet's page furniture is written by it alone. The second
   condition keeps the rule from flagging every topic of a corpus that one or two outlets
   write most of (two outlets of equal size: every topic is "half from one outlet"). On
   AllSides' Trump and Ukraine/Russia coverage (4,549 articles, K=15, DMR on outlet and year)
   this flags exactly the three boilerplate topics read by hand: The Hill's lists of
   linked headlines (0.81 and 0.53 of their tokens from The Hill) and CNN's photo captions
   ("hide_caption, photos, life_in_the_spotlight": 0.75 from CNN); the largest share of any
   other topic is 0.23 (``benchmarks/topics_boilerplate.py``). The Hill writes 15% of that
   corpus's characters and CNN 9%, so the flagged topics hold 3.5 to 8 times their outlet's
   share of the text (the fit was not rerun with the second condition).
2. **Boilerplate words.** At least ``min_words`` (3) of the topic's ``n_words`` (10) best FREX
   words are, or contain as a part of a phrase, words of :data:`BOILERPLATE_WORDS`
   (subscription, newsletter, copyright, caption, photo credit, cookie and podcast vocabulary).
   This needs no outlet column, and catches blurbs that several outlets share: on the same
   model, a Cohen/Manafort topic whose FREX words hold "reprint_permission, daily_newsletters,
   manage_newsletters, copyright" (the Washington Times' and USA TODAY's page lines).

To keep boilerplate out of the topics rather than flag it, cut the repeated sentences before
tokenizing (:func:`framing.text.drop_repeated_sentences`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from framing.topics._words import frex_scores

#: Words of page furniture rather than news (matched as a token or a part of a phrase token).
BOILERPLATE_WORDS: frozenset[str] = frozenset({
    "newsletter", "newsletters", "subscribe", "subscribed", "subscriber", "subscribers",
    "subscription", "subscriptions", "unsubscribe", "inbox", "signup", "recaptcha", "reprint",
    "reprints", "copyright", "llc", "caption", "captions", "hide_caption", "getty", "shutterstock",
    "photographer", "photos", "gallery", "slideshow", "cookie", "cookies", "podcast", "podcasts",
    "itunes", "spotify", "stitcher", "transcript", "advertisement", "sponsored", "newsroom",
    "playbook", "download", "app",
})


def boilerplate_word(token: str) -> bool:
    """Whether ``token`` is, or has as a part of a phrase, a word of BOILERPLATE_WORDS.

    Examples
    --------
    >>> boilerplate_word("daily_newsletters"), boilerplate_word("newspaper")
    (True, False)
    """
    return token in BOILERPLATE_WORDS or any(
        part in BOILERPLATE_WORDS for part in token.split("_"))


def flag_boilerplate(topic_word: np.ndarray, vocabulary: Sequence[str],
                     word_counts: np.ndarray, *, doc_topic: np.ndarray | None = None,
                     doc_lengths: np.ndarray | None = None,
                     sources: Sequence[object] | None = None, max_source_share: float = 0.5,
                     min_source_lift: float = 2.0, n_words: int = 10,
                     min_words: int = 3) -> pd.DataFrame:
    """One row per topic: ``boilerplate``, ``reason``, ``top_source``, ``source_share``.

    The two rules of the module's docstring; ``sources`` (one outlet per training document,
    with ``doc_topic`` and ``doc_lengths``) enables the first, which also needs the topic's
    share from its top source to exceed ``min_source_lift`` times that source's share of all
    the tokens.

    Examples
    --------
    >>> topic_word = np.array([[0.4, 0.3, 0.2, 0.1, 0.0], [0.0, 0.1, 0.2, 0.3, 0.4]])
    >>> vocabulary = ["newsletter", "copyright", "sign_up", "tank", "war"]
    >>> flags = flag_boilerplate(topic_word + 0.01, vocabulary, np.ones(5) * 10, n_words=2,
    ...                          min_words=2)
    >>> flags["boilerplate"].tolist()
    [True, False]
    """
    n_topics = topic_word.shape[0]
    frex = frex_scores(topic_word, 0.5, word_counts=word_counts)
    words = np.asarray(vocabulary, dtype=object)
    rows = []
    shares = None
    if sources is not None and doc_topic is not None and doc_lengths is not None:
        mass = pd.DataFrame(np.asarray(doc_topic) * np.asarray(doc_lengths)[:, None])
        by_source = mass.groupby(pd.Series(sources, dtype=object).astype(str).to_numpy()).sum()
        shares = by_source / by_source.sum().replace(0, np.nan)
        overall = by_source.sum(axis=1) / max(float(by_source.to_numpy().sum()), 1e-300)
    for topic in range(n_topics):
        best = words[np.argsort(-frex[topic], kind="stable")[:n_words]]
        hits = [str(word) for word in best if boilerplate_word(str(word))]
        reasons = []
        top_source, source_share = None, float("nan")
        if shares is not None and len(shares):
            top_source = str(shares[topic].idxmax())
            source_share = float(shares[topic].max())
            if (source_share > max_source_share
                    and source_share > min_source_lift * overall[top_source]):
                reasons.append(f"{source_share:.0%} of its tokens from {top_source} (which "
                               f"writes {overall[top_source]:.0%} of all tokens)")
        if len(hits) >= min_words:
            reasons.append("boilerplate words: " + ", ".join(hits))
        rows.append({"topic": topic, "boilerplate": bool(reasons), "reason": "; ".join(reasons),
                     "top_source": top_source, "source_share": source_share})
    return pd.DataFrame(rows)
