"""Article bodies: paragraphs of the Ukraine issue, Trump passages with planted roles, and
background news.

A Trump passage draws each role independently with the outlet-month probability of
:func:`framing.synthetic._timeline.role_probabilities`, then says each drawn role in one of the
ways of :mod:`framing.synthetic._lexicon_roles`; an ambiguous passage says them weakly.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from framing.synthetic import _lexicon_background as bg
from framing.synthetic import _lexicon_roles as lr
from framing.synthetic import _lexicon_ukraine as uk
from framing.synthetic._actors import GROUPS, group_members
from framing.synthetic._outlets import ROLES, UKRAINE_TOPICS, Outlet
from framing.synthetic._render import (
    Filler,
    Paragraph,
    PassageLabel,
    Sentence,
    Template,
    Writer,
    compile_template,
    templates,
)
from framing.synthetic._timeline import EVENTS, Event

T = TypeVar("T")


def _int(lo: int, hi: int) -> Callable[[random.Random], str]:
    return lambda rng: str(rng.randint(lo, hi))


def _grouped(lo: int, hi: int, step: int) -> Callable[[random.Random], str]:
    return lambda rng: f"{rng.randint(lo, hi) * step:,}"


def _decimal(lo: float, hi: float) -> Callable[[random.Random], str]:
    return lambda rng: f"{rng.uniform(lo, hi):.1f}"


def _pick(*values: str) -> Callable[[random.Random], str]:
    return lambda rng: rng.choice(values)


NUMBERS: dict[str, Callable[[random.Random], str]] = {
    "n_hours": _pick("two", "three", "four", "five", "six"),
    "n_countries": _int(10, 30),
    "n_days": _pick("30", "60", "90"),
    "n_pow": _pick("84", "103", "146", "175", "205", "246", "390"),
    "pct": _decimal(0.3, 4.9),
    "pct2": _int(5, 40),
    "oil_price": _int(58, 82),
    "n_bn": _int(185, 215),
    "n_drones": _int(40, 810),
    "n_missiles": _int(2, 52),
    "n_killed": _int(2, 31),
    "n_patriot": _pick("two", "three", "five", "ten"),
    "n_min": _int(15, 95),
    "clock": lambda rng: f"{rng.randint(7, 11)}:{rng.choice(('05', '15', '20', '30', '45'))}",
    "n_weeks": _int(3, 30),
    "unemployment": _decimal(3.9, 4.6),
    "pct_poll": _int(36, 52),
    "vote_a": _int(212, 230),
    "vote_b": _int(195, 211),
    "n_bn3": _int(2, 80),
    "n_years": _int(2, 10),
    "pct_small": _int(2, 15),
    "n_cases": _int(12, 240),
    "n_people": _grouped(10, 900, 100),
    "n_steps": _pick("6,000", "7,000", "7,500", "8,000", "9,000"),
    "temp": _int(98, 118),
    "n_inches": _int(3, 14),
    "n_counties": _int(6, 48),
    "n_homes": _grouped(8, 300, 1000),
    "n_games": _int(5, 14),
    "n_crowd": _grouped(20, 90, 1000),
    "n_yards": _int(210, 420),
    "n_works": _int(80, 400),
    "n_tariff": _pick("10", "15", "20", "25", "30", "50"),
}

FILLERS: dict[str, Filler] = {
    **{name: templates(values) for name, values in uk.FILLERS_UKRAINE.items()},
    **{name: templates(values) for name, values in bg.FILLERS_BACKGROUND.items()},
    **{name: templates(values) for name, values in lr.QUOTES.items()},
    **NUMBERS,
}

# fillers that name one entity per article: the same team, company or senator throughout
STICKY = frozenset(
    {
        "team_a", "team_b", "coach", "company", "tech_company", "museum", "director", "festival",
        "senator", "state", "doctor", "university", "pollster", "bank", "sports_city",
        "weather_city", "region", "journal", "rally_city",
    }
)
MEETINGS = frozenset(
    {
        "riyadh", "oval-office", "london-summit", "jeddah", "paris-april", "vatican", "istanbul-1",
        "istanbul-2", "nato-summit", "alaska", "white-house-aug", "coalition-paris", "tomahawk",
        "geneva", "kremlin-dec", "berlin-dec", "un-general-assembly",
    }
)
# event key -> compiled (trump leads, plain leads, facts)
_EVENT_TEMPLATES: dict[str, tuple[tuple[Template, ...], ...]] = {
    event.key: (templates(event.trump_leads), templates(event.plain_leads), templates(event.facts))
    for event in EVENTS
}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def event_context(event: Event) -> dict[str, Filler | str]:
    """Per-document fillers taken from the article's event."""
    meeting = event.label if event.key in MEETINGS else "the latest round of talks"
    return {
        "event": (compile_template(event.label),),
        "meeting": (compile_template(meeting),),
        "venue": (compile_template(event.venue),),
        "eday": _WEEKDAYS[event.date.weekday()],
    }


def plain_text(sentence: Sentence) -> str:
    """The text of a sentence (for titles, which carry no truth rows)."""
    return "".join(seg if isinstance(seg, str) else seg.surface for seg in sentence.segments)


class Pool:
    """Draws templates from lists without repeating one within a document until a list runs out."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.left: dict[int, list[Any]] = {}

    def draw(self, options: Sequence[T]) -> T:
        """One of ``options`` not yet drawn from it in this document (while any is left)."""
        left = self.left.get(id(options))
        if not left:
            left = list(options)
            self.left[id(options)] = left
        i = int(self.rng.random() * len(left))
        left[i], left[-1] = left[-1], left[i]
        return left.pop()


class Composer:
    """Builds the paragraphs of one article for one outlet and month."""

    def __init__(
        self,
        rng: random.Random,
        writer: Writer,
        outlet: Outlet,
        month: int,
        role_probs: tuple[float, ...],
        event: Event,
    ) -> None:
        self.rng = rng
        self.writer = writer
        self.outlet = outlet
        self.month = month
        self.role_probs = role_probs
        self.event = event
        self.pool = Pool(rng)

    # -- Trump passages ---------------------------------------------------------------------
    def _role_sentence(self, role: str, ambiguous: bool) -> tuple[Template, str]:
        rng, pool = self.rng, self.pool
        if ambiguous:
            return pool.draw(lr.ROLE_TEMPLATES[role]["weak"]), "weak"
        own = lr.OUTLET_WORDING[self.outlet.key].get(role)
        if own and rng.random() < 0.25:
            return pool.draw(own), "outlet"
        r = rng.random()
        mode = "cue" if r < 0.42 else ("paraphrase" if r < 0.75 else "quote")
        return pool.draw(lr.ROLE_TEMPLATES[role][mode]), mode

    def _focus_of(self, who: str) -> str:
        if who in GROUPS:
            return self.rng.choice(group_members(who, self.month))
        return who

    def trump_passage(self, *, topic: str, opener: Template | None = None) -> Paragraph:
        """A Trump-in-Ukraine paragraph with planted roles (possibly none)."""
        rng = self.rng
        roles = tuple(int(rng.random() < p) for p in self.role_probs)
        ambiguous = rng.random() < self.outlet.p_ambiguous
        body: list[tuple[Template, str | None]] = []
        modes: list[str] = []
        for present, role in zip(roles, ROLES, strict=True):
            if not present:
                continue
            template, mode = self._role_sentence(role, ambiguous)
            body.append((template, "trump"))
            if not ambiguous and rng.random() < 0.18:
                template2, mode2 = self._role_sentence(role, ambiguous)
                if template2 is not template:
                    body.append((template2, "trump"))
                    mode = f"{mode}+{mode2}"
            modes.append(f"{role}:{mode}")
        absent = [role for present, role in zip(roles, ROLES, strict=True) if not present]
        negated = False
        if absent and ambiguous and (not any(roles) or rng.random() < 0.5):
            role = rng.choice(absent)
            body.append((self.pool.draw(lr.ROLE_TEMPLATES[role]["weak"]), "trump"))
            modes.append(f"{role}:weak_absent")
        elif absent and not ambiguous and rng.random() < 0.22:
            role = rng.choice(absent)
            body.append((self.pool.draw(lr.ROLE_TEMPLATES[role]["negated"]), "trump"))
            modes.append(f"{role}:negated")
            negated = True
        if not body or rng.random() < 0.3:
            body.append((self.pool.draw(lr.NEUTRAL), "trump"))
        rng.shuffle(body)
        if opener is not None:
            body.insert(0, (opener, "trump"))
        distractor = rng.random() < 0.2
        if distractor:
            who, template = self.pool.draw(lr.DISTRACTORS)
            body.insert(rng.randint(1, len(body)), (template, self._focus_of(who)))
        label = PassageLabel(roles, ambiguous, ";".join(modes), negated, distractor)
        return self.writer.paragraph(body, topic=topic, in_issue=True, label=label)

    # -- other Ukraine paragraphs -----------------------------------------------------------
    def actor_paragraph(self, kind: str, topic: str) -> Paragraph:
        """Two or so sentences led by Zelensky, a European, a Russian or a US official."""
        who, options = uk.ACTOR_PARAGRAPHS[kind]
        focus = self._focus_of(who)
        n = 1 + (self.rng.random() < 0.9) + (self.rng.random() < 0.45)
        specs = [(self.pool.draw(options), focus) for _ in range(n)]
        return self.writer.paragraph(specs, topic=topic, in_issue=True)

    def context_paragraph(self, topic: str, *, with_fact: bool = False) -> Paragraph:
        """Facts and figures of a sub-topic, optionally opening with one of the event."""
        specs: list[tuple[Template, str | None]] = []
        if with_fact:
            specs.append((self.pool.draw(_EVENT_TEMPLATES[self.event.key][2]), None))
        n = 2 + (self.rng.random() < 0.5) - len(specs)
        specs.extend((self.pool.draw(uk.CONTEXT[topic]), None) for _ in range(max(n, 1)))
        return self.writer.paragraph(specs, topic=topic, in_issue=True)

    def analysis_paragraph(self, topic: str) -> Paragraph:
        """Two or three sentences of assessment: analysts, diplomats, polls."""
        n = 2 + (self.rng.random() < 0.4)
        specs = [(self.pool.draw(uk.ANALYSIS), None) for _ in range(n)]
        return self.writer.paragraph(specs, topic=topic, in_issue=True)

    def lead(self, topic: str, *, with_trump: bool) -> Paragraph:
        """The first paragraph: the event, told with or without Trump."""
        event = self.event
        if with_trump:
            opener = self.pool.draw(_EVENT_TEMPLATES[event.key][0])
            return self.trump_passage(topic=topic, opener=opener)
        specs: list[tuple[Template, str | None]] = [
            (self.pool.draw(_EVENT_TEMPLATES[event.key][1]), None)
        ]
        if self.rng.random() < 0.6:
            specs.append((self.pool.draw(_EVENT_TEMPLATES[event.key][2]), None))
        return self.writer.paragraph(specs, topic=topic, in_issue=True)

    def closing(self, topic: str) -> Paragraph:
        """A one-sentence ending: what comes next."""
        return self.writer.paragraph([(self.pool.draw(uk.CLOSINGS), None)], topic=topic,
                                     in_issue=True)

    # -- background ----------------------------------------------------------------------------
    def background_paragraph(self, topic: str) -> Paragraph:
        """Two or three sentences of background news; economy and politics may star Trump."""
        rng = self.rng
        n = 2 + (rng.random() < 0.55)
        trump_pool = bg.TRUMP_SENTENCES.get(topic)
        if trump_pool and rng.random() < (0.4 if topic == "domestic_politics" else 0.25):
            specs: list[tuple[Template, str | None]] = [(self.pool.draw(trump_pool), "trump")]
            for _ in range(n - 1):
                if rng.random() < 0.6:
                    specs.append((self.pool.draw(trump_pool), "trump"))
                else:
                    specs.append((self.pool.draw(bg.SENTENCES[topic]), None))
        else:
            specs = [(self.pool.draw(bg.SENTENCES[topic]), None) for _ in range(n)]
        return self.writer.paragraph(specs, topic=topic, in_issue=False)

    def minor_paragraphs(self, topic: str) -> list[Paragraph]:
        """One or two paragraphs on the article's minor topic."""
        if topic in UKRAINE_TOPICS:
            if self.rng.random() < 0.5:
                return [self.trump_passage(topic=topic)]
            return [self.context_paragraph(topic)]
        n = 1 + (self.rng.random() < 0.35)
        return [self.background_paragraph(topic) for _ in range(n)]

    # -- articles ------------------------------------------------------------------------------
    def ukraine_article(self, topic: str, minor: str | None) -> list[Paragraph]:
        """Lead, context, actors, Trump passages, optional minor topic, closing."""
        rng = self.rng
        weights = self.outlet.trump_passages
        r, n_trump = rng.random(), 0
        while n_trump < len(weights) - 1 and r >= weights[n_trump]:
            r -= weights[n_trump]
            n_trump += 1
        if topic == "ukraine_battlefield" and n_trump and rng.random() < 0.4:
            n_trump -= 1
        lead_trump = n_trump > 0 and rng.random() < 0.5
        paragraphs = [self.lead(topic, with_trump=lead_trump)]
        kinds = ["context"]
        others = ["zelensky", "europe", "russia", "usofficials", "context", "analysis"]
        rng.shuffle(others)
        kinds.extend(others[: rng.randint(4, 6)])
        for _ in range(n_trump - lead_trump):
            kinds.insert(rng.randint(1, len(kinds)), "trump")
        first_context = True
        for kind in kinds:
            if kind == "trump":
                paragraphs.append(self.trump_passage(topic=topic))
            elif kind == "context":
                paragraphs.append(self.context_paragraph(topic, with_fact=first_context))
                first_context = False
            elif kind == "analysis":
                paragraphs.append(self.analysis_paragraph(topic))
            else:
                paragraphs.append(self.actor_paragraph(kind, topic))
        if minor is not None:
            paragraphs.extend(self.minor_paragraphs(minor))
        if rng.random() < 0.85:
            paragraphs.append(self.closing(topic))
        return paragraphs

    def background_article(self, topic: str, minor: str | None) -> list[Paragraph]:
        """Five to seven paragraphs of background news plus an optional minor topic."""
        n = self.rng.randint(7, 9)
        paragraphs = [self.background_paragraph(topic) for _ in range(n)]
        if minor is not None:
            extra = self.minor_paragraphs(minor)
            at = self.rng.randint(2, len(paragraphs))
            paragraphs[at:at] = extra
        return paragraphs

    def title(self, topic: str) -> str:
        """A headline: the event's or the topic's, in the outlet's spelling."""
        rng = self.rng
        if topic in UKRAINE_TOPICS:
            options = self.event.titles if rng.random() < 0.45 else uk.TITLES[topic]
        else:
            options = bg.TITLES[topic]
        sentence = self.writer.sentence(compile_template(rng.choice(options)))
        return plain_text(sentence)
