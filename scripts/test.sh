#!/usr/bin/env bash
# Set up, then run every check CI runs: ruff, the import-layer contract, and the tests
# (unit, property, doctests) with coverage.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check framing tests notebooks corpora $(ls -d benchmarks 2>/dev/null)
.venv/bin/lint-imports
.venv/bin/python -m pytest --cov=framing --cov-report=term:skip-covered --durations=15 "$@"
