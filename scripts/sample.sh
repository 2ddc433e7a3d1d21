#!/usr/bin/env bash
# The main job on the bundled sample corpus: set up, import, and summarize.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
OUT="${1:-reports/sample}"
.venv/bin/framing corpus import corpora/sample/articles.jsonl \
  --aliases corpora/sample/outlet_aliases.csv --out "$OUT/corpus" --force
.venv/bin/framing corpus info "$OUT/corpus"
echo
echo "The corpus store is in $OUT/corpus (manifest.json, documents/, dropped.parquet, outlets.csv)."
