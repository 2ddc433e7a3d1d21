"""Parameter validation for framing's estimators and stage functions.

A small cousin of scikit-learn's private ``_param_validation``: same message shape, none of its
machinery. Constraints are declared as data::

    _parameter_constraints = {
        "n_topics": [Interval(int, 2, 500)],
        "engine": [Options({"tomotopy", "gensim"})],
    }
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from framing.corpus._errors import InputError


@dataclass(frozen=True)
class Interval:
    """A number of ``kind`` (int or float) between ``low`` and ``high`` (inclusive; None = open)."""

    kind: type
    low: float | None
    high: float | None

    def accepts(self, value: Any) -> bool:
        if isinstance(value, bool):
            return False
        if self.kind is int and not isinstance(value, numbers.Integral):
            return False
        if self.kind is float and not isinstance(value, numbers.Real):
            return False
        if self.low is not None and value < self.low:
            return False
        return self.high is None or value <= self.high

    def describe(self) -> str:
        name = "an int" if self.kind is int else "a float"
        if self.low is not None and self.high is not None:
            return f"{name} in the range [{self.low}, {self.high}]"
        if self.low is not None:
            return f"{name} >= {self.low}"
        if self.high is not None:
            return f"{name} <= {self.high}"
        return name


@dataclass(frozen=True)
class Options:
    """One of a fixed set of values."""

    values: frozenset[Any]

    def __init__(self, values: Iterable[Any]) -> None:
        object.__setattr__(self, "values", frozenset(values))

    def accepts(self, value: Any) -> bool:
        try:
            return value in self.values
        except TypeError:
            return False

    def describe(self) -> str:
        return "one of " + ", ".join(repr(v) for v in sorted(self.values, key=repr))


@dataclass(frozen=True)
class InstanceOf:
    """An instance of one of ``types``."""

    types: tuple[type, ...]

    def accepts(self, value: Any) -> bool:
        return isinstance(value, self.types) and not (
            isinstance(value, bool) and bool not in self.types
        )

    def describe(self) -> str:
        names = " or ".join(t.__name__ for t in self.types)
        return f"an instance of {names}"


class _NoneConstraint:
    def accepts(self, value: Any) -> bool:
        return value is None

    def describe(self) -> str:
        return "None"


NONE = _NoneConstraint()


def validate_params(owner: str, params: Mapping[str, Any], constraints: Mapping[str, list]) -> None:
    """Check ``params`` against ``constraints`` and raise one clear error for the first miss.

    Examples
    --------
    >>> try:
    ...     validate_params("TopicModel", {"n_topics": 1}, {"n_topics": [Interval(int, 2, 500)]})
    ... except InputError as error:
    ...     print(error)
    The 'n_topics' parameter of TopicModel must be an int in the range [2, 500]. Got 1 instead.
    """
    for name, options in constraints.items():
        if name not in params:
            continue
        value = params[name]
        if any(option.accepts(value) for option in options):
            continue
        wanted = " or ".join(option.describe() for option in options)
        raise InputError(
            f"The {name!r} parameter of {owner} must be {wanted}. Got {value!r} instead."
        )
