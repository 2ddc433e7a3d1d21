"""The people the sample corpus talks about, and every way an article may name them.

Each actor has a canonical key (``trump``, ``putin`` ...), the full names used on first
mention, the short forms used later, an optional courtesy form ("Mr. Trump") for outlets that
use one, descriptive titles ("the Russian president") and, for heads of state who are often
called just "the president", that bare title. Titles may hold ``{US}`` and ``{defense}``, which
the outlet's style fills in.

Groups pick one actor at random for a slot such as ``{euleader}``; some members are only
active in some months (Kushner and Driscoll joined the talks in November, Yermak left then).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    """One person: how articles name, title and refer to them."""

    key: str
    full: tuple[str, ...]
    short: tuple[str, ...]
    honorific: str
    titles: tuple[str, ...]
    bare_title: str | None = None
    female: bool = False


def _actor(
    key: str,
    full: tuple[str, ...],
    short: tuple[str, ...],
    honorific: str,
    titles: tuple[str, ...],
    bare_title: str | None = None,
    *,
    female: bool = False,
) -> tuple[str, Actor]:
    return key, Actor(key, full, short, honorific, titles, bare_title, female)


ACTORS: dict[str, Actor] = dict(
    [
        _actor(
            "trump",
            ("Donald Trump", "President Donald Trump"),
            ("Trump", "President Trump"),
            "Mr. Trump",
            (
                "the {US} president",
                "the American president",
                "the American leader",
                "the Republican president",
            ),
            "the president",
        ),
        _actor(
            "vance",
            ("Vice President JD Vance", "JD Vance"),
            ("Vance",),
            "Mr. Vance",
            ("the vice president",),
        ),
        _actor(
            "rubio",
            ("Secretary of State Marco Rubio", "Marco Rubio"),
            ("Rubio",),
            "Mr. Rubio",
            ("the secretary of state", "America's top diplomat"),
        ),
        _actor(
            "witkoff",
            ("Steve Witkoff", "special envoy Steve Witkoff"),
            ("Witkoff",),
            "Mr. Witkoff",
            ("the special envoy", "the White House envoy"),
        ),
        _actor(
            "kellogg",
            ("Gen. Keith Kellogg", "retired Gen. Keith Kellogg"),
            ("Kellogg",),
            "Mr. Kellogg",
            ("the envoy for Ukraine",),
        ),
        _actor(
            "hegseth",
            ("{Defense} Secretary Pete Hegseth", "Pete Hegseth"),
            ("Hegseth",),
            "Mr. Hegseth",
            ("the {defense} secretary", "the Pentagon chief"),
        ),
        _actor(
            "kushner",
            ("Jared Kushner",),
            ("Kushner",),
            "Mr. Kushner",
            ("the former White House adviser",),
        ),
        _actor(
            "driscoll",
            ("Army Secretary Dan Driscoll", "Dan Driscoll"),
            ("Driscoll",),
            "Mr. Driscoll",
            ("the Army secretary",),
        ),
        _actor(
            "graham",
            ("Sen. Lindsey Graham", "Lindsey Graham"),
            ("Graham",),
            "Mr. Graham",
            ("the South Carolina senator",),
        ),
        _actor(
            "putin",
            ("Vladimir Putin", "President Vladimir Putin"),
            ("Putin",),
            "Mr. Putin",
            (
                "the Russian president",
                "the Kremlin leader",
                "Russia's president",
                "the Russian leader",
            ),
        ),
        _actor(
            "lavrov",
            ("Sergei Lavrov", "Foreign Minister Sergei Lavrov"),
            ("Lavrov",),
            "Mr. Lavrov",
            ("the Russian foreign minister", "Russia's top diplomat"),
        ),
        _actor(
            "peskov",
            ("Dmitry Peskov", "Kremlin spokesman Dmitry Peskov"),
            ("Peskov",),
            "Mr. Peskov",
            ("the Kremlin spokesman",),
        ),
        _actor(
            "dmitriev",
            ("Kirill Dmitriev",),
            ("Dmitriev",),
            "Mr. Dmitriev",
            ("the Kremlin's investment envoy",),
        ),
        _actor(
            "ushakov",
            ("Yuri Ushakov",),
            ("Ushakov",),
            "Mr. Ushakov",
            ("the Kremlin foreign policy aide",),
        ),
        _actor(
            "zelensky",
            ("Volodymyr Zelensky", "President Volodymyr Zelensky"),
            ("Zelensky", "President Zelensky"),
            "Mr. Zelensky",
            ("the Ukrainian president", "Ukraine's president", "the Ukrainian leader"),
            "the president",
        ),
        _actor(
            "yermak",
            ("Andriy Yermak",),
            ("Yermak",),
            "Mr. Yermak",
            ("the head of the Ukrainian presidential office",),
        ),
        _actor(
            "umerov",
            ("Rustem Umerov",),
            ("Umerov",),
            "Mr. Umerov",
            ("Ukraine's chief negotiator", "the secretary of Ukraine's security council"),
        ),
        _actor(
            "sybiha",
            ("Andrii Sybiha",),
            ("Sybiha",),
            "Mr. Sybiha",
            ("the Ukrainian foreign minister",),
        ),
        _actor(
            "macron",
            ("Emmanuel Macron", "President Emmanuel Macron"),
            ("Macron",),
            "Mr. Macron",
            ("the French president", "France's president"),
        ),
        _actor(
            "starmer",
            ("Keir Starmer", "Prime Minister Keir Starmer"),
            ("Starmer",),
            "Mr. Starmer",
            ("the British prime minister", "Britain's prime minister"),
        ),
        _actor(
            "merz",
            ("Friedrich Merz", "Chancellor Friedrich Merz"),
            ("Merz",),
            "Mr. Merz",
            ("the German chancellor", "Germany's chancellor"),
        ),
        _actor(
            "stubb",
            ("Alexander Stubb", "President Alexander Stubb"),
            ("Stubb",),
            "Mr. Stubb",
            ("the Finnish president", "Finland's president"),
        ),
        _actor(
            "meloni",
            ("Giorgia Meloni", "Prime Minister Giorgia Meloni"),
            ("Meloni",),
            "Ms. Meloni",
            ("the Italian prime minister", "Italy's prime minister"),
            female=True,
        ),
        _actor(
            "vonderleyen",
            ("Ursula von der Leyen",),
            ("von der Leyen",),
            "Ms. von der Leyen",
            ("the European Commission president", "the Commission president"),
            female=True,
        ),
        _actor(
            "rutte",
            ("Mark Rutte", "NATO Secretary General Mark Rutte"),
            ("Rutte",),
            "Mr. Rutte",
            ("the NATO secretary general", "NATO's secretary general"),
        ),
        _actor(
            "tusk",
            ("Donald Tusk", "Prime Minister Donald Tusk"),
            ("Tusk",),
            "Mr. Tusk",
            ("the Polish prime minister", "Poland's prime minister"),
        ),
        _actor(
            "orban",
            ("Viktor Orban", "Prime Minister Viktor Orban"),
            ("Orban",),
            "Mr. Orban",
            ("the Hungarian prime minister",),
        ),
        _actor(
            "erdogan",
            ("Recep Tayyip Erdogan", "President Recep Tayyip Erdogan"),
            ("Erdogan",),
            "Mr. Erdogan",
            ("the Turkish president",),
        ),
    ]
)

# group -> (actor, first month, last month) it may be drawn in
GROUPS: dict[str, tuple[tuple[str, int, int], ...]] = {
    "euleader": (
        ("macron", 1, 12),
        ("starmer", 1, 12),
        ("merz", 5, 12),
        ("stubb", 1, 12),
        ("meloni", 1, 12),
        ("vonderleyen", 1, 12),
        ("rutte", 1, 12),
        ("tusk", 1, 12),
    ),
    "usofficial": (
        ("rubio", 1, 12),
        ("witkoff", 1, 12),
        ("vance", 1, 12),
        ("kellogg", 1, 12),
        ("hegseth", 1, 12),
        ("kushner", 11, 12),
        ("driscoll", 11, 12),
    ),
    "kremlin": (
        ("lavrov", 1, 12),
        ("peskov", 1, 12),
        ("dmitriev", 1, 12),
        ("ushakov", 1, 12),
    ),
    "russia": (("putin", 1, 12), ("lavrov", 1, 12), ("peskov", 1, 12), ("ushakov", 1, 12)),
    "ukrofficial": (("yermak", 1, 11), ("umerov", 1, 12), ("sybiha", 1, 12)),
}


def group_members(group: str, month: int) -> tuple[str, ...]:
    """Actor keys of ``group`` who may appear in ``month`` (1-12)."""
    return tuple(key for key, first, last in GROUPS[group] if first <= month <= last)
