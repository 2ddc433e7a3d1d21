#!/usr/bin/env bash
# Create .venv (Python 3.11+) and install framing with its pinned dependencies from setup.cfg.
# Idempotent: a second run only checks that everything is installed. The extras: the tests,
# sentence embeddings, static embeddings and the Dask engine (FRAMING_EXTRAS overrides them).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "framing needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[${FRAMING_EXTRAS:-test,embeddings,static,dask}]"
