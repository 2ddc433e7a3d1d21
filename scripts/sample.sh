#!/usr/bin/env bash
# The main job on the bundled sample corpus: set up, import the corpus, find the passages about
# Trump in the Ukraine peace process, and show what was found.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
OUT="${1:-reports/sample}"
mkdir -p "$OUT"
.venv/bin/framing corpus import corpora/sample/articles.jsonl \
  --aliases corpora/sample/outlet_aliases.csv --out "$OUT/corpus" --force --quiet
echo
.venv/bin/framing corpus info "$OUT/corpus" | tail -n 8
echo
.venv/bin/framing passages extract --corpus "$OUT/corpus" --actor trump --issue ukraine_peace \
  --out "$OUT/passages" --force --quiet --jobs 2
echo
.venv/bin/framing passages kwic "$OUT/passages" --n 10 --html "$OUT/kwic.html"
.venv/bin/framing passages audit "$OUT/passages" --out "$OUT/audit_sheet.csv" --force
echo
echo "Done. Open $OUT/kwic.html for every mention in context; $OUT/corpus is the corpus store,"
echo "$OUT/passages the passages (framing.text.load_passages), $OUT/audit_sheet.csv a sheet to mark."
