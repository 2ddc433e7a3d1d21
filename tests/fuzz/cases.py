"""A seeded generator of malformed and odd inputs, and a runner that classifies each outcome.

Each case is a set of files plus a ``framing`` command line, run in-process through
``framing.cli.main``. The outcome is one of:

- ``import``: the command succeeded and the per-case oracle holds (every good row kept with
  its text unchanged; the books balance: read = kept + dropped by reason);
- ``error``: a clear ``InputError`` naming the file (and the row or line when the case has one);
- ``skip``: with ``--on-bad-rows skip``, every bad row counted as skipped;
- failures: ``traceback`` (any other exception), ``hang`` (past the time limit),
  ``corruption`` (a success whose stored rows differ from what the file holds),
  ``unclear`` (an error that names no file, or not the row), ``refused`` (a valid file
  refused).

Used by ``tests/fuzz/test_fuzz.py`` (a few hundred cases in CI) and
``benchmarks/fuzz_inputs.py`` (the full run).
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import signal
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

FAILURES = ("traceback", "hang", "corruption", "unclear", "refused")
WORDS = ["peace", "talks", "Trump", "Zelensky", "Genève", "été", "Kyiv", "мир", "война",
         "переговоры", "ceasefire", "Putin", "summit", "naïve", "Łódź", "grüße", "ok"]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-32", "utf-16-le", "latin-1", "cp1252",
             "cp1251", "cp1250", "koi8_r", "mac_roman", "iso8859_15", "shift_jis", "gb18030"]


@dataclass
class Case:
    """Files to write, the command to run, and what a correct outcome looks like."""

    name: str
    files: dict[str, bytes]
    argv: list[str]
    texts: dict[int, str] = field(default_factory=dict)  # good source row -> its text
    bad_rows: list[int] = field(default_factory=list)  # rows the reader must refuse or skip
    file_error: bool = False  # the whole file must be refused (the only clear outcome)
    skip: bool = False
    row_word: str = "row"
    setup: list[list[str]] = field(default_factory=list)  # commands that must succeed first
    valid: bool = False  # a valid file: only a successful read is right


def _text(rng: np.random.Generator, words: list[str]) -> str:
    return " ".join(rng.choice(words, size=int(rng.integers(3, 9)))).capitalize() + "."


def _rows(rng: np.random.Generator, n: int, words: list[str]) -> list[dict[str, str]]:
    return [{"doc_id": f"d{i}", "outlet": str(rng.choice(["CNN", "Fox", "BBC"])),
             "date": f"2024-0{1 + i % 9}-1{i % 10}", "text": f"{_text(rng, words)} n{i}"}
            for i in range(1, n + 1)]


def _csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    import csv
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _import_argv(name: str, skip: bool, extra: list[str] | None = None) -> list[str]:
    argv = ["corpus", "import", f"{{dir}}/{name}", "--out", "{dir}/store", "--quiet",
            "--dedup", "none", "--min-words", "0"] + (extra or [])
    return argv + (["--on-bad-rows", "skip"] if skip else [])


def _csv_case(rng: np.random.Generator, index: int) -> Case:
    kind = str(rng.choice(["encoding", "bad_date", "ragged", "quote", "truncate", "gzip",
                           "offset", "nul"]))
    skip = bool(rng.integers(2))
    words = WORDS if kind != "encoding" else [w for w in WORDS if w.isascii()] + list(
        rng.choice(WORDS, 3))
    rows = _rows(rng, int(rng.integers(2, 12)), words)
    texts = {i + 1: r["text"] for i, r in enumerate(rows)}
    name, case = "news.csv", None
    if kind == "encoding":
        encoding = str(rng.choice(ENCODINGS))
        content = _csv(rows)
        try:
            data = content.encode(encoding)
        except UnicodeEncodeError:
            data = content.encode("utf-8")
        return Case(f"csv/{kind}/{encoding}/{index}", {name: data},
                    _import_argv(name, skip), texts)
    bad = int(rng.integers(1, len(rows) + 1))
    if kind == "bad_date":
        rows[bad - 1]["date"] = str(rng.choice(["2024-02-30", "31/31/2024", "soon", "0000-00-00"]))
    elif kind == "offset":
        rows[bad - 1]["date"] = str(rng.choice(["2024-01-02T10:00:00+25:00",
                                                "2024-01-02T10:00:00+99:99"]))
    elif kind == "nul":
        rows[bad - 1]["text"] += "\x00"
    content = _csv(rows)
    if kind == "ragged":
        lines = content.split("\n")
        lines[bad] += ",extra"
        content = "\n".join(lines)
    if kind == "quote":
        lines = content.split("\n")
        parts = lines[bad].split(",", 3)
        lines[bad] = ",".join(parts[:3] + ['"' + parts[3]])
        return Case(f"csv/{kind}/{index}", {name: "\n".join(lines).encode()},
                    _import_argv(name, skip), texts, [bad], file_error=True)
    if kind == "truncate":
        rows[-1]["text"] = "A long, quoted text, cut"
        content = _csv(rows)
        content = content[: content.rindex("cut")]
        return Case(f"csv/{kind}/{index}", {name: content.encode()}, _import_argv(name, skip),
                    texts, [len(rows)], file_error=True)
    if kind == "gzip":
        data = gzip.compress(content.encode())
        cut = int(rng.integers(12, len(data) - 1))
        data = data[:cut] + bytes(rng.integers(0, 256, size=len(data) - cut, dtype=np.uint8))
        return Case(f"csv/{kind}/{index}", {name + ".gz": data},
                    _import_argv(name + ".gz", skip), texts, file_error=True)
    case = Case(f"csv/{kind}/{index}", {name: content.encode()}, _import_argv(name, skip),
                texts, [bad], skip=skip)
    return case


def _json_value(rng: np.random.Generator) -> tuple[str, str]:
    """A malformed value for a record, and the key it goes in."""
    kind = str(rng.choice(["dup", "nonfinite", "object", "list", "surrogate", "deep", "bool"]))
    key = str(rng.choice(["text", "outlet", "doc_id"]))
    value = {"nonfinite": str(rng.choice(["Infinity", "NaN", "-Infinity", "1e999"])),
             "object": '{"a": 1}', "list": '["x", "y"]', "surrogate": '"\\ud800 x"',
             "deep": "[" * int(rng.integers(70, 20_000)) + "]" * 0, "bool": "true",
             "dup": '"other"'}[kind]
    if kind == "deep":
        depth = int(rng.integers(70, 20_000))
        value = "[" * depth + "]" * depth
    return kind, key, value


def _json_case(rng: np.random.Generator, index: int, array: bool) -> Case:
    skip = bool(rng.integers(2))
    rows = _rows(rng, int(rng.integers(2, 10)), WORDS)
    texts = {i + 1: r["text"] for i, r in enumerate(rows)}
    bad = int(rng.integers(1, len(rows) + 1))
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    kind, key, value = _json_value(rng)
    record = rows[bad - 1]
    parts = [f'"{k}": {json.dumps(v, ensure_ascii=False)}' for k, v in record.items()
             if kind == "dup" or k != key]
    parts.append(f'"{key}": {value}')
    lines[bad - 1] = "{" + ", ".join(parts) + "}"
    name = "news.json" if array else "news.jsonl"
    content = ("[" + ",\n".join(lines) + "]") if array else "\n".join(lines) + "\n"
    file_error = array and kind == "surrogate"
    return Case(f"{'json' if array else 'jsonl'}/{kind}/{key}/{index}", {name: content.encode()},
                _import_argv(name, skip), texts, [bad], file_error=file_error,
                skip=skip and not file_error, row_word="row" if array else "line")


YAML_GOOD = ("name: fuzz\nversion: \"1\"\nnone_label: none\nframes:\n  skeptic:\n"
             "    label: Skeptic\n    definition: Doubts the deal.\n  none:\n"
             "    label: None\n    definition: No frame.\n")


def _yaml_case(rng: np.random.Generator, index: int) -> Case:
    kind = str(rng.choice(["latin1", "alias", "bomb", "deep", "type", "date", "version"]))
    text = YAML_GOOD
    if kind == "latin1":
        data = (text + "# café\n").encode("latin-1")
    else:
        if kind == "alias":
            text += "x: &a [*a]\n"
        elif kind == "bomb":
            text += "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
                f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 12))
        elif kind == "deep":
            depth = int(rng.integers(70, 5000))
            text += "x: " + "[" * depth + "]" * depth + "\n"
        elif kind == "type":
            wrong = str(rng.choice(["[1, 2]", "{a: 1}", "3.5", "null", "true"]))
            target = str(rng.choice(["name", "frames", "none_label", "frames.skeptic.label"]))
            if target == "frames.skeptic.label":
                text = text.replace("label: Skeptic", f"label: {wrong}")
            else:
                text = text.replace(f"{target}: ", f"{target}: {wrong}\n_old_{target}: ", 1)
        elif kind == "date":
            text += "created: 2024-02-30\n"
        elif kind == "version":
            text = text.replace('version: "1"', "version: 1.20")
        data = text.encode()
    sheet = "passage_id,skeptic\nd1:0,1\n"
    return Case(f"yaml/{kind}/{index}", {"codebook.yaml": data, "sheet.csv": sheet.encode()},
                ["frames", "import", "{dir}/sheet.csv", "--codebook", "{dir}/codebook.yaml",
                 "--coder", "a", "--out", "{dir}/ann.csv"])


ACTORS_GOOD = ("name: fuzz\nversion: 1\nfocus: trump\nactors:\n  trump:\n"
               "    name: Donald Trump\n    gender: male\n"
               "    names: [\"Trump\", \"Donald Trump\"]\n")
ISSUE_GOOD = ("name: fuzz\nlabel: Peace\nversion: 1\nmin_weight: 1\ndocument_weight: 1\n"
              "terms:\n  ceasefire: 1\n  Kyiv: 1\n")
NEWS = ("doc_id,outlet,date,text\nd1,CNN,2025-01-02,Trump spoke about a ceasefire in Kyiv.\n"
        "d2,BBC,2025-01-03,Rain fell on the talks in Kyiv.\n")


def _broken_yaml(rng: np.random.Generator, text: str, keys: list[str]) -> tuple[bytes, str, bool]:
    """A YAML file broken one way; whether it must be refused as a whole."""
    kind = str(rng.choice(["latin1", "alias", "bomb", "deep", "type", "date", "version"]))
    if kind == "latin1":
        return (text + "# café\n").encode("latin-1"), kind, True
    must_refuse = kind in ("alias", "bomb", "deep")
    if kind == "alias":
        text += "x: &a [*a]\n"
    elif kind == "bomb":
        text += "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 12))
    elif kind == "deep":
        depth = int(rng.integers(70, 5000))
        text += "x: " + "[" * depth + "]" * depth + "\n"
    elif kind == "type":
        wrong = str(rng.choice(["[1, 2]", "{a: 1}", "3.5", "null", "true", "[[x]]"]))
        target = str(rng.choice(keys))
        text = text.replace(f"{target}: ", f"{target}: {wrong}\n_old_{target}: ", 1) \
            if f"\n{target}: " in f"\n{text}" else text.replace(f"    {target}: ",
                                                                 f"    {target}: {wrong}\n"
                                                                 f"    _old_{target}: ", 1)
    elif kind == "date":
        text += "created: 2024-02-30\n"
    else:
        text = text.replace("version: 1", "version: 1.20")
    return text.encode(), kind, must_refuse


def _actors_case(rng: np.random.Generator, index: int) -> Case:
    """A broken actor or issue file through ``passages extract``."""
    which = str(rng.choice(["actors", "issue"]))
    if which == "actors":
        data, kind, refuse = _broken_yaml(rng, ACTORS_GOOD, ["name", "focus", "actors",
                                                             "names", "gender"])
        files = {"actors.yaml": data, "issue.yaml": ISSUE_GOOD.encode()}
    else:
        data, kind, refuse = _broken_yaml(rng, ISSUE_GOOD, ["name", "terms", "min_weight",
                                                            "document_weight", "label"])
        files = {"actors.yaml": ACTORS_GOOD.encode(), "issue.yaml": data}
    files["news.csv"] = NEWS.encode()
    return Case(f"{which}/{kind}/{index}", files,
                ["passages", "extract", "--corpus", "{dir}/store", "--actors",
                 "{dir}/actors.yaml", "--issue", "{dir}/issue.yaml", "--out", "{dir}/passages",
                 "--quiet"], file_error=refuse,
                setup=[["corpus", "import", "{dir}/news.csv", "--out", "{dir}/store",
                        "--quiet"]])


def _labelstudio_case(rng: np.random.Generator, index: int) -> Case:
    """A Label Studio export, well formed or broken one way, through ``frames import``."""
    kind = str(rng.choice(["good", "bom", "latin1", "string_value", "dict_choices",
                           "choices_string", "data_string", "annotations_dict", "unknown",
                           "cut", "not_json", "deep"]))
    value: object = {"choices": ["Skeptic"]}
    task: dict = {"id": 7, "data": {"passage_id": "d1:0", "sample": "random", "text": "été"},
                  "annotations": [{"completed_by": 1, "result": [
                      {"from_name": "frames", "type": "choices", "value": value}]}]}
    refuse = kind not in ("good", "bom", "latin1", "choices_string")
    result = task["annotations"][0]["result"][0]
    if kind == "string_value":
        result["value"] = "Skeptic"
    elif kind == "dict_choices":
        result["value"] = {"choices": {"Skeptic": 1}}
    elif kind == "choices_string":
        result["value"] = {"choices": "Skeptic"}  # one choice written as a string
    elif kind == "data_string":
        task["data"] = "d1:0"
    elif kind == "annotations_dict":
        task["annotations"] = {"result": []}
    elif kind == "unknown":
        result["value"] = {"choices": [str(rng.choice(["Skeptik", "Hawk", ""]))]}
    text = json.dumps([task], ensure_ascii=False)
    if kind == "cut":
        text = text[: int(rng.integers(1, len(text) - 1))]
    elif kind == "not_json":
        text = "{'id': 7}"
    elif kind == "deep":
        text = "[" * 70 + "]" * 70
    data = (text.encode("latin-1") if kind == "latin1"
            else ("\ufeff" + text).encode() if kind == "bom" else text.encode())
    return Case(f"labelstudio/{kind}/{index}", {"export.json": data},
                ["frames", "import", "{dir}/export.json", "--codebook", "trump_ukraine_roles",
                 "--out", "{dir}/ann.csv"], file_error=refuse, valid=not refuse)


def _sheet_case(rng: np.random.Generator, index: int) -> Case:
    """A coded sheet, in some encoding, with at most one bad row, through ``frames import``."""
    encoding = str(rng.choice(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]))
    n = int(rng.integers(2, 8))
    rows = [[f"p{i}", str(rng.choice(["José", "Zoë", "ana"])), "random", "",
             *(str(int(rng.integers(2))) for _ in range(3))] for i in range(n)]
    kind = str(rng.choice(["good", "label", "sample", "time"]))
    bad: list[int] = []
    if kind != "good":
        row = int(rng.integers(n))
        bad = [row + 1]
        column, value = {"label": (4, "yes"), "sample": (2, "other"),
                         "time": (3, "not a time")}[kind]
        rows[row][column] = value
    text = "passage_id,coder,sample,annotated_at,peacemaker,isolationist,skeptic\n" + "".join(
        ",".join(r) + "\n" for r in rows)
    return Case(f"sheet/{kind}/{encoding}/{index}", {"sheet.csv": text.encode(encoding)},
                ["frames", "import", "{dir}/sheet.csv", "--codebook", "trump_ukraine_roles",
                 "--out", "{dir}/ann.csv"], bad_rows=bad, valid=not bad)


def generate(n: int, seed: int = 0) -> Iterator[Case]:
    """``n`` cases, the same ones for the same seed."""
    for index, child in enumerate(np.random.SeedSequence(seed).spawn(n)):
        rng = np.random.default_rng(child)
        family = int(rng.integers(7))
        if family == 0:
            yield _csv_case(rng, index)
        elif family in (1, 2):
            yield _json_case(rng, index, array=family == 2)
        elif family == 3:
            yield _yaml_case(rng, index)
        elif family == 4:
            yield _actors_case(rng, index)
        elif family == 5:
            yield _labelstudio_case(rng, index)
        else:
            yield _sheet_case(rng, index)


class _Timeout(BaseException):
    pass


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    def stop(signum: int, frame: object) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_case(case: Case, folder: Path, *, main: Callable[[list[str]], int],
             timeout: float = 20.0) -> tuple[str, str]:
    """Run one case in ``folder``; return its outcome and a detail line."""
    for name, data in case.files.items():
        (folder / name).write_bytes(data)
    argv = [a.replace("{dir}", str(folder)) for a in case.argv]
    for command in case.setup:
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            main([a.replace("{dir}", str(folder)) for a in command])
    stderr = io.StringIO()
    try:
        with _time_limit(timeout), contextlib.redirect_stderr(stderr), \
                contextlib.redirect_stdout(io.StringIO()):
            code = main(argv)
    except _Timeout:
        return "hang", f"over {timeout} s"
    except SystemExit as exc:  # argparse
        return "traceback", f"SystemExit {exc.code}"
    except BaseException as exc:  # noqa: BLE001 - anything else is what we look for
        last = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return "traceback", last[:200]
    message = stderr.getvalue().strip()
    if code != 0:
        first = message.splitlines()[0] if message else ""
        if case.valid:
            return "refused", first[:200]
        named = any(name in first for name in case.files)
        if not named:
            return "unclear", first[:200]
        if case.bad_rows and not case.file_error and not any(
                f"{word} {case.bad_rows[0]}" in first for word in ("row", "line")):
            return "unclear", first[:200]
        return "error", first[:200]
    if case.file_error:
        return "corruption", "a file that must be refused was accepted"
    if not (folder / "store").exists():
        return "import", "ok"
    return _check_store(case, folder / "store")


def _check_store(case: Case, store: Path) -> tuple[str, str]:
    from framing.corpus import read_corpus

    manifest = json.loads((store / "manifest.json").read_text(encoding="utf-8"))
    books = manifest["rows"]
    by_reason = books.get("dropped_by_reason", {})
    if books["read"] != books["kept"] + sum(by_reason.values()):
        return "corruption", f"books do not balance: {books}"
    table = read_corpus(store)
    stored = dict(zip(table["source_row"], table["text"], strict=True)) \
        if "source_row" in table else dict(zip(range(1, len(table) + 1), table["text"],
                                               strict=True))
    expected = {r: t for r, t in case.texts.items() if r not in case.bad_rows}
    if case.bad_rows and not case.skip:
        return "corruption", f"bad row {case.bad_rows[0]} accepted"
    if case.skip and by_reason.get("bad_row", 0) != len(case.bad_rows):
        return "corruption", f"skipped {by_reason.get('bad_row', 0)}, not {len(case.bad_rows)}"
    wrong = [r for r, t in expected.items() if r in stored and stored[r] != t]
    if wrong:
        return "corruption", f"row {wrong[0]}: {stored[wrong[0]]!r} != {expected[wrong[0]]!r}"
    missing = [r for r in expected if r not in stored]
    if missing and sum(by_reason.values()) - by_reason.get("bad_row", 0) < len(missing):
        return "corruption", f"row {missing[0]} lost"
    return ("skip" if case.skip and case.bad_rows else "import"), "ok"


def run_all(cases: Iterator[Case], workdir: Path, **kwargs: object) -> tuple[Counter, list]:
    """Run every case in its own folder; return the counts by outcome and the failures."""
    import shutil

    from framing.cli import main

    counts: Counter[str] = Counter()
    failures = []
    for number, case in enumerate(cases):
        folder = workdir / f"case{number}"
        folder.mkdir(parents=True)
        outcome, detail = run_case(case, folder, main=main, **kwargs)
        counts[outcome] += 1
        if outcome in FAILURES:
            failures.append((case.name, outcome, detail))
        shutil.rmtree(folder, ignore_errors=True)
    return counts, failures
