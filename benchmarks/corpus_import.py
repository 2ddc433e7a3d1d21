"""Benchmark: import a large synthetic news CSV, against pandas' plain ``read_csv``.

Generates a deterministic synthetic CSV (default 1,000,000 rows, about 1.2 GB) with planted exact
and near duplicates, then measures, each in a fresh Python process so peak memory is clean:

* ``pandas``: ``pandas.read_csv(path)`` with default settings (the baseline);
* ``framing``: ``framing.corpus.import_corpus([path], out, progress=False, force=True)``
  (defaults: exact + MinHash LSH near-duplicate detection);
* ``framing-exact``: the same with ``dedup="exact"`` (what near-duplicate detection costs);
* ``framing-2jobs``: the default import with ``n_jobs=2`` (pass 1 in two worker processes);
* ``framing-stages`` (with ``--stages``): the default import again, instrumented: the time and
  peak resident memory of each stage of the importer, sampled every 20 ms.

Peak memory is the child's ``ru_maxrss`` as returned by ``wait4`` when it exits (it includes the
interpreter and the imported libraries). Wall time is the time of the call alone, read in the
child; "total" adds interpreter start-up and imports.

Usage::

    python benchmarks/corpus_import.py [--rows N] [--workdir DIR] [--keep-file] [--record]
        [--skip-exact] [--stages] [--only pandas,framing]

The work folder (default: a new temp folder) holds the CSV and the stores; it is deleted at the
end unless ``--keep-file`` is given (then the CSV stays, the stores go). ``--record`` appends the
result to ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
SEED = 20_250_101
CHUNK_ROWS = 20_000
EXACT_SHARE = 0.02
NEAR_SHARE = 0.02
TEXT_CHARS = 950
PEAK_GOAL_MB = 1024

# -- synthetic data --------------------------------------------------------------------------

_FUNCTION_WORDS = (
    "the of and to a in that is was he for it with as his on be at by i this had not are but "
    "from or have an they which one you were her all she there would their we him been has when "
    "who will more no if out so said what up its about into than them can only other new some "
    "could time these two may then do first any my now such like our over man me even most made "
    "after also did many before must through back years where much your way well down should "
    "because each just those people how too little state good very make world still own see men "
    "work long get here between both life being under never day same another know while last "
    "might us great old year off come since against go came right used take three"
).split()
_ONSETS = ("b bl br c ch cl cr d dr f fl fr g gl gr h j k l m n p pl pr qu r s sc sh sl sm sn "
           "sp st str sw t th tr v w wh y z").split()
_VOWELS = "a e i o u a e i o ea ai ou io ie".split()
_CODAS = ("", "", "", "n", "r", "s", "t", "l", "m", "nd", "nt", "st", "rt", "ck", "ng", "sh",
          "ll", "ss", "x")
_SUFFIXES = ("", "", "", "", "s", "ed", "ing", "er", "ly", "tion", "ment", "ness", "al", "ive")
_OUTLETS = (
    "The Daily Ledger", "Metro Herald", "National Observer", "The Evening Standard-Post",
    "Capital Tribune", "Riverside Gazette", "The Morning Courier", "Global Wire Service",
    "Northern Chronicle", "The Civic Review", "Harbor Times", "Summit Dispatch", "The Sentinel",
    "Valley Press", "Pacific Journal", "Atlantic Monitor", "Frontier News", "The Plainsman",
    "Lakeside Examiner", "Union Register", "The Public Record", "Granite State Voice",
    "Coastal Bulletin", "The Independent Eye", "Heartland Post", "Midtown Messenger",
    "The Weekly Forum", "Bay Area Beacon", "Prairie Star", "Continental Report",
    "The Policy Desk", "Southern Clarion", "Eastern Mercury", "Western Advocate", "The Insider",
    "Pioneer Press Daily", "Liberty Ledger", "The Crossroads", "Hilltop Times",
    "World Affairs Weekly",
    # given as domains
    "dailybrief.com", "newsnow24.net", "politicswire.org", "thefactline.com", "euroreport.eu",
    "worldpulse.news", "citydesk.co.uk", "opinionhub.com", "frontpage-today.com",
    "www.signalnews.org",
)
_SECTIONS = ("politics", "world", "business", "opinion", "national", "technology", "health",
             "culture", "science", "sport")
_FIRST = ("Anna James Maria Robert Linda Michael Sarah David Laura Daniel Olga Ivan Mark Emily "
          "Peter Sofia Thomas Julia Paul Helen Andrew Nina Victor Grace Omar Lena").split()
_LAST = ("Smith Johnson Brown Miller Davis Garcia Wilson Moore Taylor Anderson Thomas Jackson "
         "White Harris Martin Kovalenko Petrenko Schmidt Rossi Dubois Novak Silva Chen Khan "
         "Murphy Walsh").split()
_OFFSETS = ("Z", "+00:00", "-05:00", "-04:00", "+01:00", "+02:00", "+03:00", "-08:00", "+05:30")


def _vocabulary(rng: np.random.Generator, n_content: int = 3_500) -> list[str]:
    """Real English function words first, then made-up, pronounceable content words."""
    words = list(dict.fromkeys(_FUNCTION_WORDS))
    seen = set(words)
    while len(words) < len(_FUNCTION_WORDS) + n_content:
        syllables = int(rng.choice([1, 2, 2, 2, 3, 3, 4]))
        word = "".join(
            _ONSETS[rng.integers(len(_ONSETS))] + _VOWELS[rng.integers(len(_VOWELS))]
            for _ in range(syllables)
        ) + _CODAS[rng.integers(len(_CODAS))] + _SUFFIXES[rng.integers(len(_SUFFIXES))]
        if 2 <= len(word) <= 16 and word not in seen:
            seen.add(word)
            words.append(word)
    return words


class NewsGenerator:
    """A deterministic stream of synthetic news rows, chunk by chunk."""

    columns = ("doc_id", "outlet", "date", "title", "text", "url", "author", "section",
               "word_count")

    def __init__(self, seed: int = SEED) -> None:
        self.rng = np.random.default_rng(seed)
        self.words = _vocabulary(self.rng)
        v = len(self.words)
        ranks = np.arange(1, v + 1, dtype=float)
        self.p = 1.0 / ranks**1.05
        self.p /= self.p.sum()
        # Every word in 24 spellings: opening quote? x capital? x what follows.
        suffixes = ("", ",", ".", '"', ',"', '."')
        table = np.empty((24, v), dtype=object)
        for quote in (0, 1):
            for cap in (0, 1):
                for s, suffix in enumerate(suffixes):
                    code = quote * 12 + cap * 6 + s
                    table[code] = [('"' if quote else "") + (w.capitalize() if cap else w)
                                   + suffix for w in self.words]
        self.table = table
        lengths = np.array([len(w) + 1 for w in self.words])
        self.words_per_text = TEXT_CHARS / (float(self.p @ lengths) + 0.12)
        self.previous: list[tuple[str, str]] = []  # (title, text) of the last chunk's originals
        self.next_id = 0
        self.planted = {"exact_duplicates": 0, "near_duplicates": 0}
        self.epoch = np.datetime64("2020-01-01")
        self.n_days = int((np.datetime64("2025-12-31") - self.epoch).astype(int)) + 1

    def _texts(self, n: int) -> list[str]:
        rng = self.rng
        counts = np.clip(rng.normal(self.words_per_text, 0.15 * self.words_per_text, n),
                         40, 3 * self.words_per_text).astype(np.int64)
        ends = np.cumsum(counts)
        starts = ends - counts
        total = int(ends[-1])
        index = rng.choice(len(self.words), size=total, p=self.p)
        period = rng.random(total) < 1 / 16
        period[ends - 1] = True
        comma = (rng.random(total) < 0.07) & ~period
        suffix = np.where(period, 2, np.where(comma, 1, 0))
        cap = np.zeros(total, dtype=bool)
        cap[1:] = period[:-1]
        cap[starts] = True
        quote = np.zeros(total, dtype=bool)
        quoted_rows = np.flatnonzero(rng.random(n) < 0.35)
        if len(quoted_rows):
            room = counts[quoted_rows] - 12
            opening = starts[quoted_rows] + (rng.random(len(quoted_rows)) * room).astype(np.int64)
            closing = opening + rng.integers(3, 10, size=len(quoted_rows))
            quote[opening] = True
            suffix[closing] += 3
        code = quote * 12 + cap * 6 + suffix
        tokens = self.table[code, index]
        texts = [" ".join(tokens[a:b]) for a, b in zip(starts, ends, strict=True)]
        # A few texts with paragraph breaks (newlines inside a quoted CSV field).
        for i in np.flatnonzero(rng.random(n) < 0.03):
            text = texts[i]
            cut = text.find(". ", len(text) // 2)
            if cut > 0:
                texts[i] = text[:cut] + ".\n\n" + text[cut + 2:]
        return texts

    def _titles(self, n: int) -> list[str]:
        rng = self.rng
        counts = rng.integers(5, 13, size=n)
        index = rng.choice(len(self.words), size=int(counts.sum()), p=self.p)
        words = self.table[6][index]  # capitalized
        ends = np.cumsum(counts)
        titles = [" ".join(words[a:b]) for a, b in zip(ends - counts, ends, strict=True)]
        for i in np.flatnonzero(rng.random(n) < 0.15):
            head, _, tail = titles[i].partition(" ")
            titles[i] = f'"{head}," {tail}: {self.words[rng.integers(len(self.words))]}'
        return titles

    def _change_words(self, text: str) -> str:
        tokens = text.split(" ")
        for position in self.rng.choice(len(tokens), size=int(self.rng.integers(1, 4)),
                                         replace=False):
            tokens[position] = self.words[self.rng.integers(150, len(self.words))]
        return " ".join(tokens)

    def chunk(self, n: int) -> list[tuple[Any, ...]]:
        rng = self.rng
        texts = self._texts(n)
        titles = self._titles(n)
        kind = rng.random(n)
        # Copy only texts that stay in the file (not ones about to be replaced by a copy), so
        # every planted copy has its original in the file.
        copied = kind < EXACT_SHARE + NEAR_SHARE
        survivors = [(titles[i], texts[i]) for i in np.flatnonzero(~copied)]
        pool = self.previous + survivors
        for i in np.flatnonzero(copied):
            title, text = pool[rng.integers(len(pool))]
            if kind[i] < EXACT_SHARE:
                titles[i] = title
                texts[i] = text if rng.random() < 0.8 else "  " + text.replace(". ", ".  ") + " "
                self.planted["exact_duplicates"] += 1
            else:
                titles[i], texts[i] = title, self._change_words(text)
                self.planted["near_duplicates"] += 1
        self.previous = survivors
        outlet = rng.integers(len(_OUTLETS), size=n)
        day = self.epoch + rng.integers(self.n_days, size=n).astype("timedelta64[D]")
        has_time = rng.random(n) < 0.5
        seconds = rng.integers(86_400, size=n)
        offsets = rng.integers(len(_OFFSETS), size=n)
        authors = rng.integers(len(_FIRST), size=(n, 2)), rng.integers(len(_LAST), size=(n, 2))
        author_kind = rng.random(n)
        sections = rng.integers(len(_SECTIONS), size=n)
        lowercase = rng.random(n) < 0.1
        rows = []
        for i in range(n):
            self.next_id += 1
            name = _OUTLETS[outlet[i]]
            domain = (name.removeprefix("www.") if "." in name
                      else "".join(c for c in name.lower() if c.isalnum()) + ".com")
            iso_day = str(day[i])
            if has_time[i]:
                s = int(seconds[i])
                date = f"{iso_day}T{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"
                date += _OFFSETS[offsets[i]]
            else:
                date = iso_day
            if author_kind[i] < 0.1:
                author = ""
            elif author_kind[i] < 0.25:
                author = (f"{_FIRST[authors[0][i, 0]]} {_LAST[authors[1][i, 0]]} and "
                          f"{_FIRST[authors[0][i, 1]]} {_LAST[authors[1][i, 1]]}")
            else:
                author = f"By {_FIRST[authors[0][i, 0]]} {_LAST[authors[1][i, 0]]}"
            slug = "-".join(titles[i].lower().split()[:6]).replace('"', "").replace(",", "")
            url = f"https://www.{domain}/{iso_day[:4]}/{iso_day[5:7]}/{slug}-{self.next_id}"
            rows.append((
                f"doc-{self.next_id:07d}",
                name.lower() if lowercase[i] and "." not in name else name,
                date, titles[i], texts[i], url, author, _SECTIONS[sections[i]],
                len(texts[i].split()),
            ))
        return rows


def generate(path: Path, rows: int, seed: int = SEED) -> dict[str, Any]:
    """Write the synthetic CSV in chunks; return its size and the planted duplicates."""
    generator = NewsGenerator(seed)
    start = time.perf_counter()
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(generator.columns)
        written = 0
        while written < rows:
            n = min(CHUNK_ROWS, rows - written)
            writer.writerows(generator.chunk(n))
            written += n
    return {"rows": rows, "bytes": path.stat().st_size, "seconds": time.perf_counter() - start,
            **generator.planted}


# -- measurement (child side) ----------------------------------------------------------------

def _memory_mb() -> dict[str, float]:
    """Resident memory now: total, anonymous (heap) and file-backed (mapped files, libraries)."""
    out = {}
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(("VmRSS:", "RssAnon:", "RssFile:")):
                name, value = line.split(":")
                out[name] = int(value.split()[0]) / 1024
    return {"rss": out.get("VmRSS", 0.0), "anon": out.get("RssAnon", 0.0),
            "file": out.get("RssFile", 0.0)}


class _StageMeter:
    """Time and peak RSS per importer stage, by wrapping the importer's internal functions.

    A thread samples /proc/self/status every 20 ms and on every stage change; for each stage it
    keeps the highest RSS seen (split into anonymous and file-backed memory, with what Arrow's
    memory pool held at that moment) and the RSS when the stage last ended.
    """

    def __init__(self) -> None:
        import pyarrow

        self._arrow_bytes = pyarrow.total_allocated_bytes
        self.stage = "start-up"
        self.peak: dict[str, dict[str, float]] = {}
        self.after: dict[str, float] = {}
        self.seconds: dict[str, float] = {}
        self.order: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self._note()

    def _note(self) -> float:
        memory = _memory_mb()
        with self._lock:
            if memory["rss"] > self.peak.get(self.stage, {"rss": 0.0})["rss"]:
                memory["arrow"] = self._arrow_bytes() / 2**20
                self.peak[self.stage] = memory
        return memory["rss"]

    def enter(self, stage: str) -> tuple[str, float]:
        self._note()
        with self._lock:
            previous, self.stage = self.stage, stage
            if stage not in self.order:
                self.order.append(stage)
        self._note()
        return previous, time.perf_counter()

    def leave(self, state: tuple[str, float]) -> None:
        rss = self._note()
        spent = time.perf_counter() - state[1]
        with self._lock:
            self.seconds[self.stage] = self.seconds.get(self.stage, 0.0) + spent
            self.after[self.stage] = rss
            self.stage = state[0]

    def wrap(self, owner: Any, name: str, stage: str) -> None:
        function = getattr(owner, name, None)
        if function is None:  # the importer changed: measure what is still there
            print(f"stages: {name} not found, not measured", file=sys.stderr)
            return

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            state = self.enter(stage)
            try:
                return function(*args, **kwargs)
            finally:
                self.leave(state)

        setattr(owner, name, wrapped)

    def wrap_generator(self, owner: Any, name: str, stage: str) -> None:
        function = getattr(owner, name, None)
        if function is None:
            print(f"stages: {name} not found, not measured", file=sys.stderr)
            return

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            iterator = function(*args, **kwargs)
            while True:
                state = self.enter(stage)
                try:
                    item = next(iterator)
                except StopIteration:
                    return
                finally:
                    self.leave(state)
                yield item

        setattr(owner, name, wrapped)

    def install(self) -> None:
        import framing.corpus._dedup as dedup
        import framing.corpus._import as imp
        import framing.corpus._readers as readers

        self.wrap_generator(readers.Source, "batches", "1 read CSV batches")
        self.wrap(imp, "normalize_batch", "1 normalize")
        self.wrap(imp._Staging, "add", "1 stage parquet + keep per-row arrays")
        self.wrap(dedup.Fingerprints, "add", "1 fingerprint (hash, MinHash, bands)")
        self.wrap(imp, "_sha256", "1 sha256 of the source")
        self.wrap(imp, "_decide", "2 decide: repeated doc_ids")
        self.wrap(imp, "find_duplicates", "2 find_duplicates: exact keys, graph, keepers")
        self.wrap(dedup, "_pairs_in_runs", "2 find_duplicates: pairs sharing a key")
        self.wrap(dedup, "_similarity", "2 find_duplicates: similarity of candidate pairs")
        self.wrap(imp, "_write_documents", "3 write documents")
        self.wrap(imp, "_write_dropped", "3 write dropped")
        self.wrap(imp, "_write_outlets", "3 write outlets")
        self._thread.start()

    def report(self) -> list[dict[str, Any]]:
        self._stop.set()
        empty = {"rss": 0.0, "anon": 0.0, "file": 0.0, "arrow": 0.0}
        return [{"stage": s, "seconds": round(self.seconds.get(s, 0.0), 2),
                 **{f"peak_{k}_mb": round(v, 1) for k, v in self.peak.get(s, empty).items()},
                 "after_rss_mb": round(self.after.get(s, 0.0), 1)} for s in self.order]


def _child(task: str, path: str, out: str) -> None:
    """Run one measured task in this (fresh) process and print a JSON line about it."""
    start_total = time.perf_counter()
    result: dict[str, Any] = {"task": task}
    meter = None
    if task == "idle":
        import pandas  # noqa: F401

        import framing.corpus  # noqa: F401

        result["seconds"] = 0.0
    elif task == "pandas":
        import pandas as pd

        start = time.perf_counter()
        frame = pd.read_csv(path)
        result["seconds"] = time.perf_counter() - start
        result["rows"] = len(frame)
        result["frame_mb"] = float(frame.memory_usage(deep=True).sum()) / 2**20
    else:
        from framing.corpus import import_corpus

        options = {"framing-exact": {"dedup": "exact"},
                   "framing-2jobs": {"n_jobs": 2}}.get(task, {})
        if task == "framing-stages":
            meter = _StageMeter()
            meter.install()
        start = time.perf_counter()
        corpus = import_corpus([path], out, progress=False, force=True, **options)
        result["seconds"] = time.perf_counter() - start
        result["manifest_rows"] = corpus.manifest["rows"]
        result["store_bytes"] = sum(p.stat().st_size for p in Path(out).rglob("*")
                                    if p.is_file())
    result["total_seconds"] = time.perf_counter() - start_total
    result["load_after"] = os.getloadavg()[0]
    if meter is not None:
        result["stages"] = meter.report()
    print("RESULT " + json.dumps(result), flush=True)


# -- measurement (parent side) ---------------------------------------------------------------

def measure(task: str, path: Path, out: Path) -> dict[str, Any]:
    """Run a task in a fresh interpreter; its peak RSS comes from wait4 when it exits."""
    load_before = os.getloadavg()[0]
    commit, code = framing_commit()
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--child", task, str(path), str(out)],
        stdout=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{task} failed with exit code {process.returncode}:\n{output}")
    line = next(x for x in output.splitlines() if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["peak_rss_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    result["load_before"] = load_before
    result["commit"], result["code"] = commit, code
    return result


def framing_commit() -> tuple[str, str]:
    """The repository's HEAD (marked when framing/corpus has uncommitted changes), and a key
    that changes exactly when the importer's code does (to catch edits during a run)."""
    git = ("git", "-C", str(HERE.parent))

    def run(*args: str) -> str:
        return subprocess.run((*git, *args), capture_output=True, text=True,
                              check=True).stdout.strip()

    try:
        commit = run("rev-parse", "--short", "HEAD")
        tree = run("rev-parse", "HEAD:framing/corpus")
        diff = run("diff", "HEAD", "--", "framing/corpus")
    except (OSError, subprocess.CalledProcessError):
        return "unknown", "unknown"
    if diff:
        commit += " + uncommitted changes in framing/corpus"
    return commit, tree + str(hash(diff))


def machine() -> dict[str, str]:
    def run(*command: str) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            return ""

    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    memory = run("free", "-g").splitlines()
    versions = {}
    for name in ("framing", "pandas", "pyarrow", "numpy", "scipy", "datasketch", "ftfy"):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "absent"
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"),
        "commit": framing_commit()[0],
        "cpu": cpu,
        "nproc": run("nproc").strip() or str(os.cpu_count()),
        "memory": next((" ".join(m.split()[1:2]) + " GiB total" for m in memory
                        if m.startswith("Mem:")), "unknown"),
        "free_g": "\n".join(memory),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": ", ".join(f"{k} {v}" for k, v in versions.items()),
    }


def table(data: dict[str, Any], results: list[dict[str, Any]], host: dict[str, str]) -> str:
    mb = data["bytes"] / 2**20
    by_task = {r["task"]: r for r in results}
    base = by_task.get("pandas")
    lines = [
        f"**{data['rows']:,} rows, {mb:,.0f} MB CSV** — {host['date']}; {host['cpu']}, "
        f"{host['nproc']} CPUs, {host['memory']}; {host['os']}; Python {host['python']}; "
        f"{host['versions']}; framing at commit {host['commit']}",
        "",
        "| run | wall s | rows/s | MB/s | peak RSS MB | time × pandas | memory × pandas "
        "| ≤ 1 GB | load before → after |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: | ---: |",
    ]
    names = {"idle": "python + pandas + framing imported (floor)",
             "pandas": "`pandas.read_csv(path)` (baseline)",
             "framing": "`import_corpus` (defaults: exact + near dedup)",
             "framing-exact": '`import_corpus(dedup="exact")`',
             "framing-2jobs": "`import_corpus(n_jobs=2)` (two worker processes)",
             "framing-stages": "`import_corpus` (defaults, instrumented)"}
    for r in results:
        seconds = r["seconds"]
        if r["task"] == "idle":
            lines.append(f"| {names['idle']} | | | | {r['peak_rss_mb']:,.0f} | | | | |")
            continue
        ratio_t = f"{seconds / base['seconds']:.1f}×" if base and r is not base else ""
        ratio_m = f"{r['peak_rss_mb'] / base['peak_rss_mb']:.2f}×" if base and r is not base else ""
        ok = "yes" if r["peak_rss_mb"] <= PEAK_GOAL_MB else "**no**"
        lines.append(
            f"| {names[r['task']]} | {seconds:,.1f} | {data['rows'] / seconds:,.0f} | "
            f"{mb / seconds:,.1f} | {r['peak_rss_mb']:,.0f} | {ratio_t} | {ratio_m} | {ok} | "
            f"{r['load_before']:.1f} → {r['load_after']:.1f} |"
        )
    if len({r["code"] for r in results}) > 1:
        lines += ["", "**Warning: framing/corpus changed during the run; the rows are not "
                  "comparable:** "
                  + "; ".join(f"`{r['task']}` at {r['commit']}" for r in results) + "."]
    lines.append("")
    planted = (f"planted: {data['exact_duplicates']:,} exact and {data['near_duplicates']:,} "
               "near duplicates (1-3 words changed)")
    accounting = [planted]
    for r in results:
        rows = r.get("manifest_rows")
        if rows:
            reasons = ", ".join(f"{k} {v:,}" for k, v in rows["dropped_by_reason"].items())
            accounting.append(
                f"`{r['task']}`: read {rows['read']:,}, kept {rows['kept']:,}, dropped "
                f"{rows['dropped']:,} ({reasons or 'none'}); store "
                f"{r['store_bytes'] / 2**20:,.0f} MB"
            )
    lines.append("Row accounting (manifest): " + "; ".join(accounting) + ".")
    if base:
        lines.append("")
        lines.append(f"pandas' DataFrame holds {base['frame_mb']:,.0f} MB "
                     "(`memory_usage(deep=True)`).")
    for r in results:
        if r.get("stages"):
            lines += [
                "", f"Stages of `{r['task']}` (time inside the stage, summed over calls; the "
                "highest RSS seen while in it, sampled every 20 ms, split into anonymous and "
                "file-backed pages, with what Arrow's memory pool held then; RSS when the stage "
                "last ended):", "",
                "| stage | s | peak RSS MB | anon | file | Arrow pool | RSS after |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            ]
            lines += [
                f"| {s['stage']} | {s['seconds']:,.1f} | {s['peak_rss_mb']:,.0f} | "
                f"{s['peak_anon_mb']:,.0f} | {s['peak_file_mb']:,.0f} | "
                f"{s['peak_arrow_mb']:,.0f} | {s['after_rss_mb']:,.0f} |"
                for s in r["stages"]
            ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=None,
                        help="folder for the CSV and stores (default: a new temp folder)")
    parser.add_argument("--keep-file", action="store_true",
                        help="keep the CSV (and reuse it if it is already there)")
    parser.add_argument("--record", action="store_true", help="append to benchmarks/README.md")
    parser.add_argument("--skip-exact", action="store_true", help='skip dedup="exact"')
    parser.add_argument("--stages", action="store_true",
                        help="also run an instrumented import: time and peak RSS per stage")
    parser.add_argument("--only", default=None,
                        help="comma-separated tasks among idle,pandas,framing,framing-exact,"
                        "framing-2jobs")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child)
        return 0

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="framing-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    repo = HERE.parent.resolve()
    if workdir.resolve().is_relative_to(repo):
        parser.error("--workdir must be outside the repository")
    path = workdir / f"news-{args.rows}.csv"
    info_path = path.with_suffix(".json")
    host = machine()
    print(host["free_g"], file=sys.stderr)
    try:
        if args.keep_file and path.exists() and info_path.exists():
            data = json.loads(info_path.read_text())
            print(f"reusing {path}", file=sys.stderr)
        else:
            print(f"generating {args.rows:,} rows into {path} ...", file=sys.stderr)
            data = generate(path, args.rows, args.seed)
            info_path.write_text(json.dumps(data))
            print(f"  {data['bytes'] / 2**20:,.0f} MB in {data['seconds']:.0f} s",
                  file=sys.stderr)
        tasks = ["idle", "pandas", "framing"] + ([] if args.skip_exact else ["framing-exact"])
        tasks += ["framing-stages"] if args.stages else []
        if args.only:
            tasks = [t for t in args.only.split(",") if t]
        results = []
        for task in tasks:
            print(f"measuring {task} ...", file=sys.stderr)
            result = measure(task, path, workdir / "store")
            print(f"  {result['seconds']:.1f} s, peak {result['peak_rss_mb']:,.0f} MB",
                  file=sys.stderr)
            results.append(result)
            shutil.rmtree(workdir / "store", ignore_errors=True)
        (workdir / "results.json").write_text(json.dumps(
            {"data": data, "machine": host, "results": results}, indent=2))
        markdown = table(data, results, host)
        print(markdown)
        if args.record:
            with open(README, "a", encoding="utf-8") as handle:
                handle.write("\n" + markdown + "\n")
    finally:
        shutil.rmtree(workdir / "store", ignore_errors=True)
        if not args.keep_file:
            path.unlink(missing_ok=True)
            info_path.unlink(missing_ok=True)
            if args.workdir is None:
                shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
