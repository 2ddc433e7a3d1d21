"""The six fictitious outlets: names, aliases, house style, slant and topic mix.

``slant`` is added, on the logit scale, to the month's base probability of each role (see
:mod:`framing.synthetic._timeline`), so outlets differ in how often their Trump passages carry
each role while all of them follow the same calendar of events.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES: tuple[str, ...] = ("peacemaker", "isolationist", "skeptic")

UKRAINE_TOPICS: tuple[str, ...] = (
    "ukraine_summits",
    "ukraine_guarantees",
    "ukraine_ceasefire",
    "ukraine_sanctions",
    "ukraine_battlefield",
    "ukraine_aid",
)
BACKGROUND_TOPICS: tuple[str, ...] = (
    "economy",
    "domestic_politics",
    "technology",
    "health",
    "climate",
    "sports",
    "culture",
)
TOPICS: tuple[str, ...] = UKRAINE_TOPICS + BACKGROUND_TOPICS


@dataclass(frozen=True, slots=True, eq=False)
class Outlet:
    """One outlet and its house style."""

    key: str
    name: str
    domain: str
    description: str
    share: float  # of original articles
    ukraine_share: float  # of its articles whose main topic is the Ukraine issue
    slant: dict[str, float]  # role -> logit offset
    trump_passages: tuple[float, ...]  # P(0, 1, 2, 3 Trump passages) in a Ukraine article
    subtopic_bias: dict[str, float]
    background_mix: dict[str, float]
    authors: tuple[str, ...]
    sections: dict[str, str]
    aliases: tuple[str, ...] = ()  # names some rows give instead of ``name``
    alias_rate: float = 0.0
    us: str = "US"
    british: bool = False
    honorific: bool = False
    president_title: bool = False  # prefers "President Trump" to "Trump"
    dateline: bool = True
    date_formats: dict[str, float] = field(default_factory=lambda: {"day": 1.0})
    p_ambiguous: float = 0.12


_SECTIONS_US = {
    "ukraine": "World",
    "economy": "Business",
    "domestic_politics": "Politics",
    "technology": "Technology",
    "health": "Health",
    "climate": "Climate",
    "sports": "Sports",
    "culture": "Arts",
}

OUTLETS: tuple[Outlet, ...] = (
    Outlet(
        key="meridian",
        name="The Meridian Post",
        domain="meridianpost.com",
        description="national broadsheet, centre-left; cool on Trump, stresses his doubts about "
        "Kyiv and allies, least likely to cast him as a peacemaker",
        share=0.22,
        ukraine_share=0.62,
        slant={"peacemaker": -0.6, "isolationist": 0.1, "skeptic": 0.65},
        trump_passages=(0.06, 0.34, 0.40, 0.20),
        subtopic_bias={"ukraine_summits": 1.2, "ukraine_guarantees": 1.1, "ukraine_aid": 1.0},
        background_mix={
            "economy": 1.0, "domestic_politics": 1.5, "technology": 0.8, "health": 0.8,
            "climate": 0.9, "sports": 0.6, "culture": 0.9,
        },
        authors=(
            "Clara Whitcombe", "Daniel Okafor", "Miriam Castellano", "Peter Lindgren",
            "Sofia Marchetti", "Jonah Ellery", "Ruth Abernathy", "Tomasz Wierzbicki",
        ),
        sections=_SECTIONS_US,
        aliases=("meridianpost.com", "Meridian Post", "www.meridianpost.com"),
        alias_rate=0.15,
        us="U.S.",
        honorific=True,
        date_formats={"day": 0.85, "utc": 0.15},
    ),
    Outlet(
        key="harbor",
        name="Harbor Daily",
        domain="harbordaily.com",
        description="populist tabloid, friendly to Trump: plays up the dealmaker and "
        "America First, rarely shows him doubting",
        share=0.20,
        ukraine_share=0.52,
        slant={"peacemaker": 0.9, "isolationist": 0.55, "skeptic": -0.7},
        trump_passages=(0.02, 0.22, 0.44, 0.32),
        subtopic_bias={"ukraine_summits": 1.5, "ukraine_ceasefire": 1.2, "ukraine_aid": 1.0},
        background_mix={
            "economy": 1.0, "domestic_politics": 1.6, "technology": 0.6, "health": 0.8,
            "climate": 0.4, "sports": 1.6, "culture": 1.0,
        },
        authors=(
            "Rick Dawson", "Kelly Brandt", "Mason Tully", "Gina Ferraro", "Travis Boyle",
            "Dana Kowalczyk", "Brett Hollis",
        ),
        sections={**_SECTIONS_US, "ukraine": "News", "domestic_politics": "News"},
        aliases=("harbordaily.com", "The Harbor Daily", "Harbor Daily (online)"),
        alias_rate=0.12,
        president_title=True,
        dateline=False,
        date_formats={"day": 0.5, "utc": 0.5},
    ),
    Outlet(
        key="northfield",
        name="Northfield Courier",
        domain="northfieldcourier.com",
        description="regional daily, middle of the road; close to the average on every role, "
        "more local and background news",
        share=0.14,
        ukraine_share=0.48,
        slant={"peacemaker": 0.0, "isolationist": 0.05, "skeptic": 0.0},
        trump_passages=(0.10, 0.45, 0.35, 0.10),
        subtopic_bias={"ukraine_battlefield": 1.2, "ukraine_aid": 1.0},
        background_mix={
            "economy": 1.0, "domestic_politics": 1.0, "technology": 0.7, "health": 1.3,
            "climate": 1.3, "sports": 1.4, "culture": 1.0,
        },
        authors=(
            "Linda Harmon", "Greg Sutter", "Amos Reinholt", "Patricia Quill", "Evan Marsh",
            "Nora Delacroix",
        ),
        sections={**_SECTIONS_US, "ukraine": "Nation & World", "culture": "Living"},
        us="U.S.",
        date_formats={"day": 1.0},
    ),
    Outlet(
        key="continental",
        name="The Continental Review",
        domain="continentalreview.eu",
        description="Brussels-based weekly with a European lens (British spelling): dwells on "
        "Washington stepping back and leaving Europe the bill",
        share=0.16,
        ukraine_share=0.76,
        slant={"peacemaker": -0.35, "isolationist": 0.85, "skeptic": 0.3},
        trump_passages=(0.06, 0.40, 0.38, 0.16),
        subtopic_bias={"ukraine_guarantees": 1.6, "ukraine_sanctions": 1.1, "ukraine_aid": 1.0},
        background_mix={
            "economy": 1.2, "domestic_politics": 0.7, "technology": 1.0, "health": 0.7,
            "climate": 1.4, "sports": 0.5, "culture": 1.2,
        },
        authors=(
            "Hélène Vasseur", "Jakob Brenner", "Aoife Gallagher", "Marta Nowakowska",
            "Luca Ferrante", "Ingrid Solberg", "Pieter de Wit",
        ),
        sections={**_SECTIONS_US, "ukraine": "Europe", "sports": "Sport", "culture": "Culture"},
        british=True,
        date_formats={"day": 0.4, "cet": 0.6},
    ),
    Outlet(
        key="ledger",
        name="Ledger & Line",
        domain="ledgerandline.com",
        description="business and markets outlet: the war as costs, sanctions and contracts; "
        "stresses who pays, mildly upbeat on a settlement",
        share=0.13,
        ukraine_share=0.50,
        slant={"peacemaker": 0.25, "isolationist": 0.35, "skeptic": -0.3},
        trump_passages=(0.12, 0.48, 0.30, 0.10),
        subtopic_bias={"ukraine_sanctions": 2.2, "ukraine_aid": 1.3},
        background_mix={
            "economy": 3.0, "domestic_politics": 0.8, "technology": 1.8, "health": 0.5,
            "climate": 0.7, "sports": 0.2, "culture": 0.3,
        },
        authors=(
            "Howard Pruitt", "Anjali Mehta", "Samuel Greer", "Yvonne Stahl", "Oliver Banks",
            "Keiko Watanabe",
        ),
        sections={**_SECTIONS_US, "ukraine": "Markets & Geopolitics", "economy": "Markets"},
        aliases=("ledgerandline.com", "Ledger and Line", "LEDGER & LINE"),
        alias_rate=0.2,
        date_formats={"day": 0.6, "utc": 0.4},
    ),
    Outlet(
        key="capitol",
        name="Capitol Signal",
        domain="capitolsignal.com",
        description="Washington politics insider: the talks as a presidential project; "
        "peacemaker and sceptic both common, isolationist least",
        share=0.15,
        ukraine_share=0.64,
        slant={"peacemaker": 0.3, "isolationist": -0.6, "skeptic": 0.15},
        trump_passages=(0.04, 0.30, 0.42, 0.24),
        subtopic_bias={"ukraine_summits": 1.4, "ukraine_ceasefire": 1.3},
        background_mix={
            "economy": 0.9, "domestic_politics": 3.0, "technology": 0.6, "health": 0.6,
            "climate": 0.5, "sports": 0.3, "culture": 0.4,
        },
        authors=(
            "Whitney Sorensen", "Marcus Villanueva", "Erin Gallo", "Theo Brandauer",
            "Paige Lindholm", "Calvin Roe",
        ),
        sections={**_SECTIONS_US, "ukraine": "National Security", "domestic_politics": "Congress"},
        us="U.S.",
        president_title=False,
        date_formats={"day": 0.7, "eastern": 0.3},
    ),
)

OUTLET_BY_KEY: dict[str, Outlet] = {outlet.key: outlet for outlet in OUTLETS}


def alias_rows() -> list[tuple[str, str]]:
    """``(alias, canonical name)`` for every outlet: its domain, the aliases rows use, itself."""
    rows: set[tuple[str, str]] = set()
    for outlet in OUTLETS:
        rows.add((outlet.name, outlet.name))
        rows.add((outlet.domain, outlet.name))
        rows.add((f"www.{outlet.domain}", outlet.name))
        for alias in outlet.aliases:
            rows.add((alias, outlet.name))
    return sorted(rows)
