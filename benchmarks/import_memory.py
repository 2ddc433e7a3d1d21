"""Benchmark: where `framing corpus import` holds its memory, phase by phase (issue 20).

Imports the seeded synthetic corpus of ``framing.synthetic`` (``--articles`` rows, written once
into ``--workdir`` and reused; not timed) with the scale benchmark's arguments (its outlet
aliases, defaults otherwise), in a fresh child process per size, and samples that process's
resident memory every 5 ms. Each sample is charged to the phase running then:

* ``date scan``: the read of each source's dates that decides day/month order;
* ``pass 1``: reading, normalizing, fingerprinting and staging every batch;
* ``sha256``: each source's checksum for the manifest;
* ``decide``: duplicate decisions between the passes (``_decide`` and ``find_duplicates``);
* ``write documents`` / ``write dropped`` / ``write outlets``: pass 2.

For each size it prints the peak RSS per phase (MB) and the process's ``ru_maxrss``; with two
or more sizes, the growth per added document between the first and the last, phase by phase:
the figure that says which structure grows with the corpus.

Usage::

    python -m benchmarks.import_memory --articles 50000,200000 [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

PHASES = ("date scan", "pass 1", "sha256", "decide", "write documents", "write dropped",
          "write outlets")

_CHILD = r"""
import json, resource, sys, threading, time
from pathlib import Path
import framing.corpus._import as imp

corpus, out = Path(sys.argv[1]), Path(sys.argv[2])
page = __import__("os").sysconf("SC_PAGE_SIZE")
state = {"phase": "pass 1"}
peaks = {}
stop = threading.Event()

def rss_mb():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * page / 2**20

def sample():
    while not stop.is_set():
        phase, value = state["phase"], rss_mb()
        peaks[phase] = max(peaks.get(phase, 0.0), value)
        time.sleep(0.005)

def phase(name, function):
    def wrapped(*args, **kwargs):
        before = state["phase"]
        state["phase"] = name
        try:
            return function(*args, **kwargs)
        finally:
            state["phase"] = before
    return wrapped

for attribute, name in [("_date_reading", "date scan"), ("_sha256", "sha256"),
                        ("_decide", "decide"), ("_write_documents", "write documents"),
                        ("_write_dropped", "write dropped"), ("_write_outlets", "write outlets")]:
    setattr(imp, attribute, phase(name, getattr(imp, attribute)))
thread = threading.Thread(target=sample, daemon=True)
thread.start()
started = time.perf_counter()
store = imp.import_corpus([corpus / "articles.jsonl"], out, progress=False, force=True,
                          outlet_aliases=corpus / "outlet_aliases.csv")
seconds = time.perf_counter() - started
stop.set()
thread.join()
print(json.dumps({"peaks": peaks, "seconds": seconds, "kept": len(store),
                  "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(articles: int, workdir: Path) -> dict:
    """Import ``articles`` synthetic articles in a fresh process; its peaks per phase."""
    corpus = workdir / f"n{articles}"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    if not (corpus / "articles.jsonl").exists():
        subprocess.run([sys.executable, "-m", "framing.synthetic", str(corpus),
                        "--n-articles", str(articles), "--force"], check=True,
                       capture_output=True, env=env)
    result = subprocess.run([sys.executable, "-c", _CHILD, str(corpus), str(workdir / "store")],
                            check=True, capture_output=True, text=True, env=env)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="50000,200000", help="comma list of sizes")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/framing-bench-import-mem"))
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.articles.split(",")]
    results = {}
    for size in sizes:
        results[size] = measure(size, args.workdir)
        got = results[size]
        print(f"{size:,} articles: {got['seconds']:.1f} s, {got['kept']:,} kept, "
              f"ru_maxrss {got['ru_maxrss_mb']:.0f} MB", flush=True)
    print("\n| phase | " + " | ".join(f"{s:,} MB" for s in sizes)
          + (" | growth, bytes/document |" if len(sizes) > 1 else " |"))
    print("|---|" + "---:|" * (len(sizes) + (len(sizes) > 1)))
    for name in [*PHASES, "ru_maxrss"]:
        values = [results[s]["ru_maxrss_mb"] if name == "ru_maxrss"
                  else results[s]["peaks"].get(name, float("nan")) for s in sizes]
        row = f"| {name} | " + " | ".join(f"{v:,.0f}" for v in values)
        if len(sizes) > 1:
            growth = (values[-1] - values[0]) * 2**20 / (sizes[-1] - sizes[0])
            row += f" | {growth:,.0f}"
        print(row + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
