"""Who publishes what, when: outlets, dates, topics and events of the original articles.

A Ukraine article picks an event (weighted by its news value), then a date zero to ten days
after it; a background article picks a day uniformly over 2025. Times are drawn in UTC; the
date string an outlet prints may be a plain day, UTC, or a local time with an offset (Central
European time for the Brussels weekly, US Eastern for the Washington outlet), DST included.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from framing.synthetic._outlets import (
    OUTLETS,
    UKRAINE_TOPICS,
    Outlet,
)
from framing.synthetic._render import Paragraph, Spacing
from framing.synthetic._timeline import EVENTS, YEAR_END, YEAR_START, Event, latest_event

K = TypeVar("K")

_OFFSET_DAYS = (0, 1, 2, 3, 4, 5, 6, 8, 10)
_OFFSET_WEIGHTS = (0.28, 0.24, 0.14, 0.10, 0.07, 0.05, 0.04, 0.04, 0.04)
_MINOR_OF_UKRAINE = {
    "economy": 0.45, "domestic_politics": 0.40, "technology": 0.05, "climate": 0.05, "health": 0.05,
}
END_OF_YEAR = dt.datetime(2025, 12, 31, 23, 59, tzinfo=dt.UTC)


def weighted(rng: random.Random, weights: Mapping[K, float]) -> K:
    """One key of ``weights``, drawn in proportion to its weight (dict order matters)."""
    keys = list(weights)
    total = sum(weights.values())
    r = rng.random() * total
    for key in keys:
        r -= weights[key]
        if r < 0:
            return key
    return keys[-1]


@dataclass(slots=True)
class Doc:
    """One article row in the making, with everything its truth rows need."""

    seq: int
    outlet: Outlet
    when: dt.datetime
    date_kind: str
    is_ukraine: bool
    main_topic: str
    minor_topic: str | None
    event: Event
    seed: int
    title: str = ""
    dateline: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)
    author: str = ""
    section: str = ""
    url: str = ""
    outlet_label: str = ""
    is_wire_copy: bool = False
    is_exact_copy: bool = False
    source: Doc | None = None
    quirk: str = ""
    quirk_seed: int = 0
    quirk_rank: int = 0  # how many earlier rows got the same quirk
    spacing: Spacing | None = None
    transform: Callable[[str], str] | None = None
    doc_id: str = ""

    @property
    def day(self) -> dt.date:
        """The UTC day of publication (what the truth tables call ``date``)."""
        return self.when.date()

    @property
    def is_duplicate(self) -> bool:
        """A wire copy or an exact re-post of another row."""
        return self.is_wire_copy or self.is_exact_copy


def _subtopic(rng: random.Random, event: Event, outlet: Outlet) -> str:
    if rng.random() < 0.65:
        weights = {t: w * outlet.subtopic_bias.get(t, 0.8) for t, w in event.subtopics.items()}
        return weighted(rng, weights)
    return weighted(rng, {t: outlet.subtopic_bias.get(t, 0.8) for t in UKRAINE_TOPICS})


def _minor(rng: random.Random, outlet: Outlet, main: str, is_ukraine: bool) -> str | None:
    if rng.random() >= 0.4:
        return None
    if is_ukraine:
        if rng.random() < 0.5:
            return rng.choice([t for t in UKRAINE_TOPICS if t != main])
        return weighted(rng, _MINOR_OF_UKRAINE)
    if rng.random() < 0.25:
        return rng.choice(UKRAINE_TOPICS)
    return weighted(rng, {t: w for t, w in outlet.background_mix.items() if t != main})


def _time_of_day(rng: random.Random, day: dt.date) -> dt.datetime:
    minutes = rng.randint(5 * 60, 22 * 60 + 59)
    base = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return base + dt.timedelta(minutes=minutes, seconds=rng.choice((0, 0, 0, 15, 30, 45)))


def plan_originals(rng: random.Random, n: int) -> list[Doc]:
    """Outlet, date, topics and event of ``n`` original articles, in generation order."""
    shares = {outlet: outlet.share for outlet in OUTLETS}
    event_weights = {event: event.weight for event in EVENTS}
    n_days = (YEAR_END - YEAR_START).days + 1
    docs: list[Doc] = []
    for seq in range(n):
        outlet = weighted(rng, shares)
        is_ukraine = rng.random() < outlet.ukraine_share
        if is_ukraine:
            event = weighted(rng, event_weights)
            offset = _OFFSET_DAYS[_index(rng, _OFFSET_WEIGHTS)]
            day = min(event.date + dt.timedelta(days=offset), YEAR_END)
            main = _subtopic(rng, event, outlet)
        else:
            day = YEAR_START + dt.timedelta(days=rng.randrange(n_days))
            event = latest_event(day)
            main = weighted(rng, dict(outlet.background_mix))
        minor = _minor(rng, outlet, main, is_ukraine)
        when = _time_of_day(rng, day)
        date_kind = weighted(rng, outlet.date_formats)
        docs.append(
            Doc(seq, outlet, when, date_kind, is_ukraine, main, minor, event, rng.getrandbits(63))
        )
    return docs


def _index(rng: random.Random, weights: Sequence[float]) -> int:
    r = rng.random() * sum(weights)
    for i, w in enumerate(weights):
        r -= w
        if r < 0:
            return i
    return len(weights) - 1


def _last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def _nth_sunday(year: int, month: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    first_sunday = first + dt.timedelta(days=(6 - first.weekday()) % 7)
    return first_sunday + dt.timedelta(weeks=n - 1)


def utc_offset_hours(when: dt.datetime, zone: str) -> int:
    """UTC offset of Central European or US Eastern time at ``when``, with summer time."""
    year = when.year
    if zone == "cet":
        start = dt.datetime.combine(_last_sunday(year, 3), dt.time(1), dt.UTC)
        end = dt.datetime.combine(_last_sunday(year, 10), dt.time(1), dt.UTC)
        return 2 if start <= when < end else 1
    start = dt.datetime.combine(_nth_sunday(year, 3, 2), dt.time(7), dt.UTC)
    end = dt.datetime.combine(_nth_sunday(year, 11, 1), dt.time(6), dt.UTC)
    return -4 if start <= when < end else -5


def format_date(when: dt.datetime, kind: str) -> tuple[str, dt.date]:
    """The date string as the outlet prints it, and the local calendar day it shows."""
    if kind == "day":
        return when.strftime("%Y-%m-%d"), when.date()
    if kind == "utc":
        return when.strftime("%Y-%m-%dT%H:%M:%SZ"), when.date()
    hours = utc_offset_hours(when, kind)
    local = when + dt.timedelta(hours=hours)
    sign = "+" if hours >= 0 else "-"
    return f"{local:%Y-%m-%dT%H:%M:%S}{sign}{abs(hours):02d}:00", local.date()
