"""Type aliases shared across framing's public API."""

from __future__ import annotations

import os
from typing import Literal, TypeAlias

PathLike: TypeAlias = str | os.PathLike[str]
Seed: TypeAlias = int
BadRows: TypeAlias = Literal["error", "warn", "skip"]
KeepPolicy: TypeAlias = Literal["earliest", "one_per_outlet"]
