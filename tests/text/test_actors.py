"""Actor and issue files: the shipped defaults, and clear errors naming file and key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from framing.corpus import InputError
from framing.text import load_actors, load_issue

GOOD = """
name: test
focus: trump
actors:
  trump:
    name: Donald Trump
    gender: male
    names: [Donald Trump, Trump]
  putin:
    name: Vladimir Putin
    gender: male
    names: [Putin]
"""


def _write(tmp_path: Path, text: str, name: str = "actors.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_actor_file() -> None:
    actors = load_actors()
    assert actors.focus == "trump"
    assert {"trump", "putin", "zelensky", "macron", "rubio", "witkoff"} <= set(actors.actors)
    us = actors.offices["us_president"]
    assert [us.holder_on(dt.date(y, 6, 1)) for y in (2015, 2018, 2022, 2025)] == [
        "obama", "trump", "biden", "trump"]
    assert actors.by_surface["Trump Tower"].kind == "exclude"
    assert actors.by_surface["Melania Trump"].kind == "namesake"
    assert actors.by_surface["Trump administration"].kind == "institution"
    assert len(actors.sha256) == 64


def test_load_by_path(tmp_path: Path) -> None:
    actors = load_actors(_write(tmp_path, GOOD))
    assert sorted(actors.actors) == ["putin", "trump"]
    assert actors.path.endswith("actors.yaml")


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        (GOOD.replace("    name: Vladimir Putin\n", ""), "actors.putin.name", "missing"),
        (GOOD.replace("names: [Putin]", "names: [Putin, Trump]"), "actors.putin.names",
         "duplicate surface 'Trump': also listed under actors.trump.names"),
        (GOOD + "    patterns: ['Putin(']\n", r"actors.putin.patterns\[0\]",
         "bad regular expression"),
        (GOOD.replace("gender: male\n    names: [Putin]", "gender: robot\n    names: [Putin]"),
         "actors.putin.gender", "must be male or female"),
        (GOOD + "colour: blue\n", "colour", "unknown key"),
        (GOOD.replace("focus: trump", "focus: biden"), "focus", "not one of the declared"),
        (GOOD + "offices:\n  us:\n    holders:\n      obama: [[2009-01-20, 2017-01-20]]\n",
         "offices.us.holders.obama", "not a declared actor"),
        (GOOD + "offices:\n  us:\n    holders:\n      trump: [['2017-13-45', null]]\n",
         "offices.us.holders.trump", "is not a date"),
        (GOOD.replace("names: [Putin]", "names: Putin"), "actors.putin.names",
         "must be a list"),
    ],
)
def test_bad_actor_files(tmp_path: Path, text: str, field: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InputError, match=rf"actors\.yaml: field '{field}': .*{message}"):
        load_actors(path)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"actors\.yaml: not valid YAML \(line \d+\)"):
        load_actors(_write(tmp_path, "actors:\n  trump: [unclosed\n"))


def test_unknown_shipped_name() -> None:
    with pytest.raises(InputError, match="no actor file named 'nobody'; shipped: ukraine_peace"):
        load_actors("nobody")


def test_shipped_issue_and_wildcards() -> None:
    issue = load_issue()
    weight, terms = issue.weigh("Ukrainian troops and Ukraine's allies discussed a cease-fire.")
    assert terms == ["Ukrainian", "Ukraine", "cease-fire"]
    assert weight == 3.0
    assert issue.weigh("Tariffs on steel rose.") == (0.0, [])
    assert issue.admits(1.0, 0.0) and not issue.admits(0.5, 0.5) and issue.admits(0.0, 4.0)


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("terms: {}\n", "terms", "missing"),
        ("terms: {Ukraine: -1}\n", "terms.Ukraine", "positive number"),
        ("terms: {Ukraine: 1}\npatterns: {'Kyiv(': 1}\n", r"patterns.Kyiv\(",
         "bad regular expression"),
        ("terms: {Ukraine: 1, ukraine: 2}\n", "terms.ukraine", "duplicate term"),
        ("terms: {Ukraine: 1}\nscope: all\n", "scope", "unknown key"),
    ],
)
def test_bad_issue_files(tmp_path: Path, text: str, field: str, message: str) -> None:
    path = _write(tmp_path, text, "issue.yaml")
    with pytest.raises(InputError, match=rf"issue\.yaml: field '{field}': .*{message}"):
        load_issue(path)


def test_repeated_actor_key_is_refused(tmp_path: Path) -> None:
    text = GOOD + "  putin:\n    name: Again\n    names: [Vladimir]\n"
    with pytest.raises(InputError, match=r"actors\.yaml: field 'actors\.putin': duplicate key"):
        load_actors(_write(tmp_path, text))
