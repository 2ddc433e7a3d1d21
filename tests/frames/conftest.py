"""Fixtures of the frame-model tests: one embedding cache for the whole test session.

The cache lives in pytest's cache folder (``.pytest_cache/d/framing_embeddings``), so a
passage is encoded once per machine, not once per test or per run.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def embedding_cache(request: pytest.FixtureRequest,
                    tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of the session's sentence-embedding cache."""
    cache = getattr(request.config, "cache", None)
    if cache is None:  # pytest -p no:cacheprovider: a cache for this session only
        return tmp_path_factory.mktemp("framing_embeddings")
    return Path(cache.mkdir("framing_embeddings"))
