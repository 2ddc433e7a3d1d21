#!/usr/bin/env bash
# The main job on the bundled sample corpus: set up, import the corpus, and run the full report
# (passages about Trump in the Ukraine peace process, topics, frame classifier, prevalence by
# outlet and over time, every chart) into reports/sample/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
OUT="${1:-reports/sample}"
mkdir -p "$OUT"
.venv/bin/framing corpus import corpora/sample/articles.jsonl \
  --aliases corpora/sample/outlet_aliases.csv --out "$OUT/corpus" --force --quiet
echo
.venv/bin/framing report --corpus "$OUT/corpus" --out "$OUT/report" \
  --annotations corpora/sample/annotations.csv --force
echo
echo "Done. Open $OUT/report/corpus_report.html in a browser (the report: summary, charts and"
echo "tables; corpus_report_with_code.html shows the code), $OUT/report/figures/ (every chart"
echo "as PDF, SVG and PNG), $OUT/report/tables/ (every table as CSV); $OUT/report/manifest.json"
echo "records the inputs' hashes, parameters, seeds, versions and the time of each step."
