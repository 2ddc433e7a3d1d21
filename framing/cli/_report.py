"""``framing report``: run a report template headless into a run folder."""

from __future__ import annotations

import argparse

import yaml

from framing.corpus import InputError

#: The shipped templates, named in the help without importing the report stage (a test checks
#: this against framing.report.templates()).
TEMPLATE_NAMES = ("classifier_report", "corpus_report")
#: Options that map straight onto the template's parameters cell.
_PARAMETERS = ("actors", "actor", "issue", "codebook", "annotations", "period", "seed")


def register(stages: argparse._SubParsersAction) -> None:
    """Add ``framing report`` to the command line."""
    p = stages.add_parser(
        "report", help="run a report notebook on a corpus (HTML, figures, tables, manifest)",
        description="Execute a report template with papermill into a run folder: the executed "
        "notebook, its HTML, figures/ (PDF, SVG, PNG), tables/ (CSV) and manifest.json.")
    p.add_argument("--corpus", required=True, metavar="DIR", help="a corpus store")
    p.add_argument("--out", required=True, metavar="DIR", help="the run folder, e.g. reports/run")
    p.add_argument("--template", default="corpus_report",
                   help=f"a shipped template ({', '.join(TEMPLATE_NAMES)}) or a "
                   "path to an .ipynb")
    for name in _PARAMETERS:
        p.add_argument(f"--{name}", default=None,
                       help=f"the template's {name!r} parameter"
                       + (" ('none' for no annotations)" if name == "annotations" else ""))
    p.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE",
                   help="any other parameter of the template (VALUE read as YAML: 12, true, "
                   "[a, b], {Alaska summit: 2025-08-15})")
    p.add_argument("--timeout", type=int, default=None, help="seconds one cell may take")
    p.add_argument("--force", action="store_true", help="replace an existing run folder")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=_run_report)


def _parameters(args: argparse.Namespace) -> dict:
    values = {name: getattr(args, name) for name in _PARAMETERS
              if getattr(args, name) is not None}
    if "seed" in values:
        values["seed"] = _yaml("seed", values["seed"])
    for name in ("issue", "annotations"):
        if str(values.get(name, "")).lower() == "none":
            values[name] = None
    for item in args.parameter:
        name, sep, raw = item.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--parameter {item!r}: expected NAME=VALUE")
        values[name.strip()] = _yaml(name, raw)
    return values


def _yaml(name: str, raw: str) -> object:
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise InputError(f"--parameter {name}: cannot read {raw!r} ({exc})") from None
    # YAML reads 2025-08-15 as a date; the templates take ISO strings.
    if isinstance(value, dict):
        return {str(k): (v.isoformat() if hasattr(v, "isoformat") else v)
                for k, v in value.items()}
    return value.isoformat() if hasattr(value, "isoformat") else value


def _run_report(args: argparse.Namespace) -> int:
    from framing.report import run_report
    run = run_report(args.corpus, args.out, template=args.template,
                     parameters=_parameters(args), force=args.force,
                     progress=not args.quiet, timeout=args.timeout)
    steps = run.manifest["steps"]
    width = max(len(step["step"]) for step in steps) if steps else 0
    for step in steps:
        print(f"  {step['step']:<{width}}  {step['seconds']:7.1f} s")
    print(f"report written to {run.path} in {run.manifest['wall_seconds']:.0f} s: "
          f"{len(run.figures)} figure files, {len(run.tables)} tables")
    print(f"open {run.html}")
    return 0
