"""Label Studio: the labelling config and tasks for a sample, and its JSON exports read back.

:func:`export_labelstudio` writes the tasks (one per passage, its ids in ``data``) and a
multi-label ``Choices`` config built from the codebook; :func:`read_labelstudio` reads a JSON
export into the annotations table (see :mod:`framing.frames._annotations`), matching each choice
to a frame by name or label, or through a ``choice_map``. A choice that matches no frame is an
error naming it, never a silent 0.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from framing._types import PathLike
from framing.corpus import InputError, atomic_write, check_output
from framing.corpus._sniff import detect_encoding
from framing.frames._annotations import (
    _SHEET_META,
    ANNOTATION_COLUMNS,
    SAMPLES,
    AnnotationImport,
    _codebook,
    _is_blank,
    annotation_sheet,
    validate_annotations,
)
from framing.frames._codebook import Codebook


def _xml(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def labelstudio_config(codebook: PathLike | Codebook = "trump_ukraine_roles") -> str:
    """A Label Studio labelling config (XML) for the codebook: multi-label ``Choices``.

    Each frame is a ``Choice`` whose ``alias`` is the frame's name (what the export records)
    and whose ``hint`` is its definition; the none category is a choice too, and a choice is
    required, so an empty answer cannot be mistaken for "none".

    Examples
    --------
    >>> config = labelstudio_config()
    >>> 'choice="multiple"' in config, 'alias="skeptic"' in config
    (True, True)
    """
    book = _codebook(codebook)
    lines = ['<View>',
             f'  <Header value="{_xml(book.name)} (codebook version {_xml(book.version)})"/>',
             '  <Text name="text" value="$text"/>',
             '  <Choices name="frames" toName="text" choice="multiple" required="true" '
             'showInline="false">']
    for name in book.frame_names + (book.none_label,):
        frame = book.frames[name]
        lines.append(f'    <Choice value="{_xml(frame.label)}" alias="{_xml(name)}" '
                     f'hint="{_xml(" ".join(frame.definition.split()))}"/>')
    lines += ['  </Choices>', '</View>', '']
    return "\n".join(lines)


def labelstudio_tasks(
    sample: pd.DataFrame,
    *,
    codebook: PathLike | Codebook = "trump_ukraine_roles",
    text_column: str = "text",
) -> list[dict[str, Any]]:
    """Label Studio tasks (import JSON) for a sample: ``data`` holds the text and the ids.

    Examples
    --------
    >>> passages = pd.DataFrame({"passage_id": ["d1:0"], "doc_id": ["d1"], "sample": ["active"],
    ...                          "text": ["Trump hailed the talks."]})
    >>> labelstudio_tasks(passages)[0]["data"]["passage_id"]
    'd1:0'
    """
    sheet = annotation_sheet(sample, codebook=codebook, text_column=text_column)
    keep = ["text", "passage_id", "sample", *[c for c in _SHEET_META if c in sheet.columns],
            "codebook_version"]
    return [{"data": {k: (None if _is_blank(v) else str(v)) for k, v in record.items()}}
            for record in sheet[keep].to_dict("records")]


def export_labelstudio(
    sample: pd.DataFrame,
    out: PathLike,
    *,
    codebook: PathLike | Codebook = "trump_ukraine_roles",
    text_column: str = "text",
    force: bool = False,
) -> tuple[Path, Path]:
    """Write ``<out>.tasks.json`` (tasks to import) and ``<out>.config.xml`` (labelling setup).

    ``out`` is a file stem (``"batch1"`` gives ``batch1.tasks.json`` and ``batch1.config.xml``);
    a ``.json`` suffix is dropped first.

    Returns
    -------
    tuple of Path
        The tasks and the config.
    """
    book = _codebook(codebook)
    stem = Path(out)
    if stem.suffix.lower() == ".json":
        stem = stem.with_suffix("")
    tasks_path = stem.with_name(stem.name + ".tasks.json")
    config_path = stem.with_name(stem.name + ".config.xml")
    for output in (tasks_path, config_path):  # both refused before either is written
        check_output(output, force=force)
    tasks = labelstudio_tasks(sample, codebook=book, text_column=text_column)
    with atomic_write(tasks_path, force=force) as handle:
        json.dump(tasks, handle, ensure_ascii=False, indent=1)
    with atomic_write(config_path, force=force) as handle:
        handle.write(labelstudio_config(book))
    return tasks_path, config_path


def _choice_names(result: Mapping[str, Any]) -> list[str]:
    """The choices of a ``choices`` or ``taxonomy`` result; a lone string is one choice.

    Examples
    --------
    >>> _choice_names({"type": "choices", "value": {"choices": "Skeptic"}})
    ['Skeptic']
    >>> _choice_names({"type": "taxonomy", "value": {"taxonomy": [["A", "B"], "C"]}})
    ['A/B', 'C']
    """
    value = result.get("value") or {}
    if result.get("type") == "taxonomy":
        paths = value.get("taxonomy") or []
        paths = [paths] if isinstance(paths, str) else paths
        return ["/".join(str(p) for p in ([path] if isinstance(path, str) else path))
                for path in paths]
    choices = value.get("choices") or []
    return [str(c) for c in ([choices] if isinstance(choices, str) else choices)]


def _stamp(annotation: Mapping[str, Any]) -> str | None:
    return annotation.get("updated_at") or annotation.get("created_at")


def read_labelstudio(
    path: PathLike,
    *,
    codebook: PathLike | Codebook = "trump_ukraine_roles",
    choice_map: Mapping[str, str | None] | None = None,
    from_name: str | None = None,
    sample: Literal["random", "active"] | None = None,
    passage_field: str = "passage_id",
    coder_field: Literal["id", "email"] = "id",
) -> AnnotationImport:
    """Read a Label Studio JSON export into the annotations table.

    Every submitted annotation (one coder, one task) gives one row per codebook frame: 1 when
    the coder chose the frame, else 0. ``choices`` and ``taxonomy`` results are read (a
    taxonomy path as ``"Parent/Child"``); other result types (spans, ratings...) are dropped
    and counted. Cancelled (skipped) annotations, drafts and predictions are not answers and
    are counted, not kept. An annotation with no choice result is dropped ("no_choice"). When
    one coder answered a task twice the latest answer is kept ("superseded").

    Parameters
    ----------
    path : path-like
        A Label Studio "JSON" export: a list of tasks with ``annotations``.
    codebook : str, path-like or Codebook, default="trump_ukraine_roles"
        The frames to code.
    choice_map : mapping of str to str or None, optional
        Choice name (or taxonomy path) → frame name; ``None`` means "none of the frames".
        A choice matches a frame by name or label (any case), and the none category's name
        or label means none; the map adds to (and overrides) these matches. Without a map, a
        choice that matches nothing is an error naming it; with one, choices it leaves out
        are dropped and counted (the map says which answers matter). An export none of whose
        choices matches a frame is always an error: it would read as all zeros.
    from_name : str, optional
        Read only the results of this control (``from_name``); default every choices control.
    sample : {"random", "active"}, optional
        For tasks whose data has no ``sample`` (exports of projects not made by framing).
    passage_field : str, default="passage_id"
        The task data field holding the passage id; tasks without it get ``ls-task-<id>``.
    coder_field : {"id", "email"}, default="id"
        What names the coder. The user id by default, so e-mail addresses stay out of tables.

    Returns
    -------
    AnnotationImport
        The annotations (with ``task_id``, ``annotation_id`` and ``result_ids`` as provenance)
        and the report.

    Raises
    ------
    InputError
        Not JSON or not a list of tasks, a task without ``sample`` when none is given, or
        annotations :func:`validate_annotations` refuses.
    """
    book = _codebook(codebook)
    source = Path(path)
    try:
        raw = source.read_bytes()
        # Exports saved by hand may carry a BOM or be re-encoded (latin-1): read them as such.
        tasks = json.loads(raw.decode(detect_encoding(source, raw[: 1 << 20])))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"cannot read as JSON: {exc}", path=source) from exc
    if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
        raise InputError("expected a Label Studio JSON export: a list of tasks", path=source)
    lookup: dict[str, str | None] = {}
    for name in book.frame_names:
        lookup[name.lower()] = name
        lookup[book.frames[name].label.lower()] = name
    lookup[book.none_label.lower()] = None
    lookup[book.frames[book.none_label].label.lower()] = None
    if choice_map is not None:
        unknown = [f for f in choice_map.values() if f is not None and f not in book.frame_names]
        if unknown:
            raise InputError(f"unknown frame {unknown[0]!r} in choice_map= (--choice-map); "
                             f"the codebook's frames are {', '.join(book.frame_names)}",
                             field="choice_map")
        lookup.update({str(k).lower(): v for k, v in choice_map.items()})
    dropped: Counter[str] = Counter()
    kept_results: Counter[str] = Counter()
    dropped_results: Counter[str] = Counter()
    kept_choices: dict[str, str] = {}
    dropped_choices: Counter[str] = Counter()
    answers: dict[tuple[str, str], dict[str, Any]] = {}
    n_annotations = n_drafts = n_predictions = from_task_id = 0
    for row, task in enumerate(tasks, start=1):

        def expect(value: Any, kind: type, field: str, row: int = row, task: Any = task) -> Any:
            if value is None:
                return kind()
            if not isinstance(value, kind):
                wanted = "a list" if kind is list else "an object"
                raise InputError(f"task {task.get('id')}: expected {wanted}, found "
                                 f"{type(value).__name__} {str(value)[:40]!r}",
                                 path=source, row=row, field=field)
            return value

        data = expect(task.get("data"), dict, "data")
        passage = data.get(passage_field)
        if _is_blank(passage):
            passage = f"ls-task-{task.get('id', row)}"
            from_task_id += 1
        drawn = data.get("sample") or sample
        n_drafts += len(expect(task.get("drafts"), list, "drafts"))
        n_predictions += len(expect(task.get("predictions"), list, "predictions"))
        for annotation in expect(task.get("annotations"), list, "annotations"):
            expect(annotation, dict, "annotations[]")
            n_annotations += 1
            if annotation.get("was_cancelled"):
                dropped["cancelled"] += 1
                continue
            chosen: set[str] = set()
            result_ids: list[str] = []
            has_choice = False
            for result in expect(annotation.get("result"), list, "annotations[].result"):
                expect(result, dict, "annotations[].result[]")
                value = expect(result.get("value"), dict, "annotations[].result[].value")
                for key in ("choices", "taxonomy"):
                    if not isinstance(value.get(key), str):  # a lone string is one choice
                        expect(value.get(key), list, f"annotations[].result[].value.{key}")
                kind = f"{result.get('from_name')}/{result.get('type')}"
                if result.get("type") not in ("choices", "taxonomy") or (
                        from_name is not None and result.get("from_name") != from_name):
                    dropped_results[kind] += 1
                    continue
                kept_results[kind] += 1
                has_choice = True
                if result.get("id") is not None:
                    result_ids.append(str(result["id"]))
                for name in _choice_names(result):
                    key = name.lower()
                    if key in lookup:
                        frame = lookup[key]
                        kept_choices[name] = frame if frame is not None else "(none)"
                        if frame is not None:
                            chosen.add(frame)
                    else:
                        dropped_choices[name] += 1
            if not has_choice:
                dropped["no_choice"] += 1
                continue
            if drawn not in SAMPLES:
                raise InputError(f"task {task.get('id')} has no data.sample (random/active); "
                                 "pass sample= (--sample)", path=source, row=row,
                                 field="sample")
            who = annotation.get("completed_by")
            if isinstance(who, Mapping):
                who = who.get(coder_field, who.get("id"))
            coder = "unknown" if _is_blank(who) else str(who)
            answer = {"passage_id": str(passage), "coder": coder, "chosen": chosen,
                      "annotated_at": _stamp(annotation), "sample": drawn,
                      "codebook_version": data.get("codebook_version") or book.version,
                      "task_id": task.get("id"), "annotation_id": annotation.get("id"),
                      "result_ids": ",".join(result_ids)}
            previous = answers.get((answer["passage_id"], coder))
            if previous is not None:
                dropped["superseded"] += 1
                if str(previous["annotated_at"] or "") > str(answer["annotated_at"] or ""):
                    continue
            answers[(answer["passage_id"], coder)] = answer
    _check_choices(dropped_choices, kept_choices, book, mapped=choice_map is not None,
                   controls=sorted({k.split("/")[0] for k in kept_results}), path=source)
    rows = []
    for answer in answers.values():
        for frame in book.frame_names:
            rows.append({**{k: v for k, v in answer.items() if k != "chosen"}, "frame": frame,
                         "label": int(frame in answer["chosen"])})
    columns = [*ANNOTATION_COLUMNS, "task_id", "annotation_id", "result_ids"]
    table = pd.DataFrame(rows, columns=columns)
    table = validate_annotations(table, codebook=book, path=source) if rows else table
    report = {
        "path": str(source), "tasks": len(tasks), "annotations_read": n_annotations,
        "annotations_kept": len(answers), "annotations_dropped": dict(sorted(dropped.items())),
        "drafts_ignored": n_drafts, "predictions_ignored": n_predictions,
        "passage_ids_from_task_id": from_task_id,
        "coders": int(table["coder"].nunique()) if rows else 0,
        "results_kept": dict(sorted(kept_results.items())),
        "results_dropped": dict(sorted(dropped_results.items())),
        "choices_kept": dict(sorted(kept_choices.items())),
        "choices_dropped": dict(sorted(dropped_choices.items())),
    }
    return AnnotationImport(table, report)


def _check_choices(unmatched: Counter[str], matched: Mapping[str, str], book: Codebook, *,
                   mapped: bool, controls: list[str], path: Path) -> None:
    """Refuse choices that match no frame (all of them, or any when there is no map)."""
    if not unmatched or (mapped and any(f != "(none)" for f in matched.values())):
        return
    shown = ", ".join(f"{name!r} ({n})" for name, n in unmatched.most_common(12))
    more = f" and {len(unmatched) - 12} more" if len(unmatched) > 12 else ""
    what = ("no choice in the export matches a frame" if not any(
        f != "(none)" for f in matched.values()) else "choices match no frame")
    hint = ("map them with choice_map= (--choice-map) CHOICE=FRAME,... (FRAME 'none' for "
            "none of the frames)")
    if len(controls) > 1:
        hint += (f", or read one control with from_name= (--from-name), one of "
                 f"{', '.join(controls)}")
    raise InputError(f"{what} of codebook {book.name} ({', '.join(book.frame_names)}, "
                     f"none: {book.none_label}): unmatched {shown}{more}; {hint}", path=path)
