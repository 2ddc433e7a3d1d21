"""Codebooks: the shipped default, and clear errors naming the file and the key."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from pathlib import Path

import pytest

import framing.frames
from framing.corpus import InputError
from framing.frames import Codebook, Frame, load_codebook
from tests.conftest import SAMPLE

GOOD = """\
name: test
version: 2
frames:
  alpha:
    definition: The first frame.
    positive_examples: [An alpha sentence.]
    lexicon:
      - alpha
      - {term: first*, weight: 2}
  beta:
    label: Beta frame
    definition: The second frame.
    include: [a rule]
    positive_examples: [A beta sentence.]
    negative_examples: [Not a beta sentence.]
    lexicon:
      - {term: beta, weight: 0.5}
      - {pattern: 'se+cond', weight: 1}
  none:
    definition: Neither.
"""


def _write(tmp_path: Path, text: str, name: str = "book.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_exports() -> None:
    # The whole list is pinned in tests/test_public_api.py; here, the codebook's names.
    assert {"Codebook", "Frame", "FrameClassifier", "LexiconScorer", "cross_validate_frames",
            "lexicon_scores", "load_codebook"} <= set(framing.frames.__all__)
    for name in framing.frames.__all__:
        assert hasattr(framing.frames, name), name


def test_shipped_codebook() -> None:
    codebook = load_codebook()
    assert codebook.name == "trump_ukraine_roles"
    assert codebook.frame_names == ("peacemaker", "isolationist", "skeptic")
    assert codebook.none_label == "none"
    assert list(codebook.frames) == ["peacemaker", "isolationist", "skeptic", "none"]
    assert codebook.actor == "trump" and codebook.unit and codebook.description
    assert len(codebook.instructions) >= 5
    assert len(codebook.sha256) == 64 and codebook.version == "1.0"
    assert codebook.overlaps == ()
    for name in codebook.frame_names:
        frame = codebook.frames[name]
        assert isinstance(frame, Frame) and frame.label == name.capitalize()
        assert 2 <= frame.definition.count(". ") + 1 <= 4, name
        assert len(frame.include) >= 3 and len(frame.exclude) >= 3, name
        assert 8 <= len(frame.positive_examples) <= 12, name
        assert 5 <= len(frame.negative_examples) <= 8, name
        assert len(frame.lexicon) >= 20, name
    none = codebook.frames["none"]
    assert none.definition and none.positive_examples and none.lexicon == ()


def test_shipped_lexicon_has_the_issue_cues() -> None:
    terms = {name: {t.text.lower() for t in load_codebook().frames[name].lexicon}
             for name in ("peacemaker", "isolationist", "skeptic")}
    assert {"broker*", "peace deal*", "ceasefire*", "end* the war", "deal", "summit*",
            "legacy", "nobel"} <= terms["peacemaker"]
    assert {"america first", "no american troops", "europe should pay", "burden*",
            "not our war", "pull* out", "blank check*"} <= terms["isolationist"]
    assert {"doubt*", "skeptic*", "not convinced", "no angel", "distrust*", "unrealistic",
            "won't work", "blame*"} <= terms["skeptic"]


def test_shipped_examples_are_not_copied_from_the_sample_corpus() -> None:
    articles = SAMPLE / "articles.jsonl"
    if not articles.exists():
        pytest.skip(f"sample corpus not available: {articles}")
    corpus = articles.read_text(encoding="utf-8")
    codebook = load_codebook()
    for frame in codebook.frames.values():
        for sentence in (*frame.positive_examples, *frame.negative_examples):
            assert sentence not in corpus, sentence


def test_load_by_path(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD)
    codebook = load_codebook(path)
    assert codebook.frame_names == ("alpha", "beta")
    assert codebook.version == "2"
    assert codebook.path == str(path)
    assert codebook.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert codebook.frames["alpha"].label == "Alpha"
    assert codebook.frames["beta"].label == "Beta frame"
    assert [t.weight for t in codebook.frames["alpha"].lexicon] == [1.0, 2.0]
    assert codebook.frames["beta"].lexicon[1].is_pattern
    assert load_codebook(str(path)) == codebook


def test_codebook_is_frozen_and_plain_data() -> None:
    codebook = load_codebook()
    with pytest.raises(dataclasses.FrozenInstanceError):
        codebook.version = "2"  # type: ignore[misc]
    data = json.loads(json.dumps(codebook.to_dict()))
    assert data["sha256"] == codebook.sha256
    assert data["frame_names"] == ["peacemaker", "isolationist", "skeptic"]
    assert data["frames"]["skeptic"]["lexicon"][0] == {"term": "doubt*", "weight": 1.5}
    assert "sha256=" in repr(codebook) and isinstance(codebook, Codebook)


def test_sha256_changes_with_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD)
    before = load_codebook(path).sha256
    assert load_codebook(path).sha256 == before
    path.write_text(GOOD.replace("The first frame.", "The first frame, reworded."),
                    encoding="utf-8")
    assert load_codebook(path).sha256 != before


def test_overlaps_are_allowed_and_reported(tmp_path: Path,
                                           caplog: pytest.LogCaptureFixture) -> None:
    text = GOOD.replace("      - {term: beta, weight: 0.5}", "      - {term: Alpha, weight: 3}")
    with caplog.at_level(logging.INFO, logger="framing.frames._codebook"):
        codebook = load_codebook(_write(tmp_path, text))
    assert codebook.overlaps == (("alpha", ("alpha", "beta")),)
    assert "term 'alpha' is listed under alpha and beta" in caplog.text


def _lexicon(text: str, entries: str) -> str:
    return text.replace("      - alpha\n      - {term: first*, weight: 2}\n", entries)


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        (GOOD + "colour: blue\n", "colour", "unknown key"),
        (GOOD.replace("  none:\n", "  none:\n    mood: calm\n"), "frames.none.mood",
         "unknown key"),
        (GOOD.replace("    definition: The first frame.\n", ""), "frames.alpha.definition",
         "missing"),
        (GOOD.replace("definition: The first frame.", "definition: ''"),
         "frames.alpha.definition", "must be a non-empty string"),
        (GOOD.replace("  beta:", "  Beta:"), "frames.Beta", "lower-case identifiers"),
        (GOOD.replace("  beta:", "  2nd:"), "frames.2nd", "lower-case identifiers"),
        (GOOD + "  alpha:\n    definition: Again.\n", "frames.alpha",
         r"duplicate key 'alpha' \(line 21\)"),
        (GOOD.replace("name: test\n", "name: test\nname: other\n"), "name",
         r"duplicate key 'name' \(line 2\)"),
        (GOOD.split("  beta:")[0] + "  none:\n    definition: Neither.\n", "frames",
         "needs at least 2 frames besides 'none', found 1"),
        (GOOD.replace("  none:\n    definition: Neither.\n", ""), "frames.none",
         "no 'none' category"),
        (GOOD + "    lexicon: [neither]\n", "frames.none.lexicon", "has no lexicon"),
        (GOOD.replace("name: test\n", ""), "name", "missing"),
        (GOOD.replace("version: 2\n", ""), "version", "missing"),
        (GOOD.split("frames:")[0] + "frames: [alpha, beta]\n", "frames", "map each frame"),
        (_lexicon(GOOD, "      - alpha\n      - 42\n"), r"frames\.alpha\.lexicon\[1\]",
         "must be a term"),
        (_lexicon(GOOD, "      - {term: 42}\n"), r"frames\.alpha\.lexicon\[0\]",
         "terms must be non-empty strings"),
        (_lexicon(GOOD, "      - alpha\n      - ''\n"), r"frames\.alpha\.lexicon\[1\]",
         "terms must be non-empty strings"),
        (_lexicon(GOOD, "      - {term: alpha, weight: -1}\n"),
         r"frames\.alpha\.lexicon\[0\]\.weight", "weight must be a positive number, not -1"),
        (_lexicon(GOOD, "      - {term: alpha, weight: 0}\n"),
         r"frames\.alpha\.lexicon\[0\]\.weight", "weight must be a positive number"),
        (_lexicon(GOOD, "      - {term: alpha, weight: true}\n"),
         r"frames\.alpha\.lexicon\[0\]\.weight", "weight must be a positive number"),
        (_lexicon(GOOD, "      - {term: alpha, weight: heavy}\n"),
         r"frames\.alpha\.lexicon\[0\]\.weight", "weight must be a positive number"),
        (_lexicon(GOOD, "      - peace deal\n      - alpha\n      - Peace-Deal\n"),
         r"frames\.alpha\.lexicon\[2\]", r"duplicate term 'Peace-Deal': also .*lexicon\[0\]"),
        (_lexicon(GOOD, "      - wa*lk\n"), r"frames\.alpha\.lexicon\[0\]",
         "'\\*' may only end a word"),
        (_lexicon(GOOD, "      - '* away'\n"), r"frames\.alpha\.lexicon\[0\]", "bad term"),
        (_lexicon(GOOD, "      - {pattern: 'walk(', weight: 1}\n"),
         r"frames\.alpha\.lexicon\[0\]", "bad regular expression 'walk\\('"),
        (_lexicon(GOOD, "      - {term: a, pattern: b}\n"), r"frames\.alpha\.lexicon\[0\]",
         "exactly one of term or pattern"),
        (_lexicon(GOOD, "      - {term: a, wieght: 2}\n"), r"frames\.alpha\.lexicon\[0\]",
         "unknown key 'wieght'"),
        (_lexicon(GOOD, ""), r"frames\.alpha\.lexicon", "missing: list the frame's lexicon"),
        (GOOD.replace("positive_examples: [An alpha sentence.]", "positive_examples: []"),
         r"frames\.alpha\.positive_examples", "empty"),
        (GOOD.replace("    positive_examples: [An alpha sentence.]\n", ""),
         r"frames\.alpha\.positive_examples", "missing"),
        (GOOD.replace("[An alpha sentence.]", "[An alpha sentence., '  ']"),
         r"frames\.alpha\.positive_examples\[1\]", "must be a non-empty string"),
        (GOOD.replace("[An alpha sentence.]", "[An alpha sentence., An alpha sentence.]"),
         r"frames\.alpha\.positive_examples\[1\]", r"duplicate of .*positive_examples\[0\]"),
        (GOOD.replace("[Not a beta sentence.]", "[A beta sentence.]"),
         r"frames\.beta\.negative_examples\[0\]", "also listed as a positive example"),
        (GOOD.replace("include: [a rule]", "include: {a: rule}"), r"frames\.beta\.include",
         "must be a list of strings"),
    ],
)
def test_bad_codebooks(tmp_path: Path, text: str, field: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InputError, match=rf"book\.yaml: field '{field}': .*{message}"):
        load_codebook(path)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("[An alpha sentence.]", "[An alpha sentence."))
    with pytest.raises(InputError, match=r"book\.yaml: not valid YAML \(line \d+\)"):
        load_codebook(path)


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"book\.yaml: must be a YAML mapping"):
        load_codebook(_write(tmp_path, "- a\n- b\n"))


def test_missing_file_and_unknown_name(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.yaml: no such file"):
        load_codebook(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match=r"no codebook file named 'nope'; shipped: "
                                         r"trump_russia_ukraine_2016_2020, trump_ukraine_roles"):
        load_codebook("nope")


def test_the_2016_2020_codebook_has_the_default_roles() -> None:
    period = load_codebook("trump_russia_ukraine_2016_2020")
    default = load_codebook("trump_ukraine_roles")
    assert period.frame_names == default.frame_names == ("peacemaker", "isolationist", "skeptic")
    assert period.sha256 != default.sha256
    assert all(frame.positive_examples for frame in period.frames.values())
