"""Issues as data: the terms that place a passage in an issue (the Ukraine peace process)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from framing._types import PathLike
from framing.corpus import InputError
from framing.text._actors import _read_yaml

_TOP_KEYS = {"name", "label", "version", "min_weight", "document_weight", "terms", "patterns"}


@dataclass
class Issue:
    """A validated issue file, compiled into one regular expression.

    Examples
    --------
    >>> issue = load_issue("ukraine_peace")
    >>> issue.weigh("Trump pressed Kyiv to accept a ceasefire.")
    (2.0, ['Kyiv', 'ceasefire'])
    """

    name: str
    label: str
    version: str
    min_weight: float
    document_weight: float | None
    weights: dict[str, float]
    matcher: re.Pattern[str]
    path: str
    sha256: str

    def weigh(self, text: str) -> tuple[float, list[str]]:
        """The summed weight of the terms in ``text`` and the terms found, in order."""
        found = []
        total = 0.0
        for match in self.matcher.finditer(text):
            key = next(k for k, v in match.groupdict().items() if v is not None)
            total += self.weights[key]
            found.append(match.group())
        return total, found

    def admits(self, passage_weight: float, document_weight: float) -> bool:
        """Whether a passage with these weights belongs to the issue."""
        if passage_weight >= self.min_weight:
            return True
        return self.document_weight is not None and document_weight >= self.document_weight


def _term_regex(term: str) -> str:
    stem = term[:-1] if term.endswith("*") else term
    body = r"\s+".join(re.escape(part) for part in stem.split())
    return r"\b" + body + (r"\w*" if term.endswith("*") else r"\b")


def load_issue(source: PathLike = "ukraine_peace") -> Issue:
    """Load and validate an issue file (a path, or the name of a shipped file)."""
    data, path, sha = _read_yaml(source, "issues")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise InputError(f"unknown key; expected {sorted(_TOP_KEYS)}", path=path,
                         field=sorted(unknown)[0])
    terms = data.get("terms") or {}
    patterns = data.get("patterns") or {}
    if not isinstance(terms, dict) or not isinstance(patterns, dict):
        raise InputError("must map each term to its weight", path=path,
                         field="terms" if not isinstance(terms, dict) else "patterns")
    if not terms and not patterns:
        raise InputError("missing: list the terms of the issue", path=path, field="terms")
    parts, weights = [], {}
    seen: set[str] = set()
    for index, (term, weight) in enumerate([*terms.items(), *patterns.items()]):
        is_pattern = index >= len(terms)
        where = f"{'patterns' if is_pattern else 'terms'}.{term}"
        if not isinstance(term, str) or not term.strip():
            raise InputError("terms must be non-empty strings", path=path, field=where)
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
            raise InputError(f"weight must be a positive number, not {weight!r}", path=path,
                             field=where)
        if term.lower() in seen:
            raise InputError("duplicate term", path=path, field=where)
        seen.add(term.lower())
        regex = term if is_pattern else _term_regex(term.strip())
        try:
            re.compile(regex)
        except re.error as exc:
            raise InputError(f"bad regular expression {term!r}: {exc}", path=path,
                             field=where) from exc
        key = f"t{index}"
        parts.append(f"(?P<{key}>{regex})")
        weights[key] = float(weight)
    document_weight = data.get("document_weight")
    return Issue(
        name=str(data.get("name", source)), label=str(data.get("label", data.get("name", ""))),
        version=str(data.get("version", "1")), min_weight=float(data.get("min_weight", 1)),
        document_weight=None if document_weight is None else float(document_weight),
        weights=weights, matcher=re.compile("|".join(parts), re.IGNORECASE), path=path,
        sha256=sha,
    )
