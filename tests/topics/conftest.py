"""Small token tables for the topics tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

WORDS = {
    "war": ["tank", "missile", "front", "drone", "shelling", "troops", "artillery", "trench"],
    "vote": ["ballot", "poll", "senate", "campaign", "voter", "district", "primary", "turnout"],
    "money": ["tariff", "inflation", "market", "rate", "bond", "export", "price", "bank"],
}


def make_tokens(n_documents: int = 60, seed: int = 7) -> pd.DataFrame:
    """Documents drawn from three word groups, with outlet and date metadata."""
    rng = np.random.default_rng(seed)
    groups = list(WORDS)
    rows = []
    for i in range(n_documents):
        group = groups[i % 3]
        tokens = list(rng.choice(WORDS[group], size=20)) + list(
            rng.choice(WORDS[groups[(i + 1) % 3]], size=3))
        rows.append({"doc_id": f"d{i:03d}", "outlet": ["A", "B"][i % 2],
                     "date": pd.Timestamp("2025-01-01") + pd.Timedelta(days=5 * i),
                     "section": group, "tokens": [str(t) for t in tokens],
                     "n_tokens": len(tokens)})
    frame = pd.DataFrame(rows)
    frame["outlet"] = frame["outlet"].astype("category")
    return frame


@pytest.fixture
def tokens() -> pd.DataFrame:
    return make_tokens()


FAST = {"n_topics": 3, "n_iterations": 60, "burn_in": 10, "passes": 3,
        "n_infer_iterations": 30, "min_df": 1}
