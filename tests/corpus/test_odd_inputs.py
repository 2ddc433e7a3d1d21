"""Odd inputs found by the fuzzing sweep of issue 21, one test per way of going wrong.

Each case must end in a correct read or a clear InputError naming the file (and the row or
field where there is one): never a traceback, a hang, or text silently changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from framing.corpus import InputError
from framing.corpus._datafiles import read_data_file
from framing.corpus._sniff import detect_encoding

# -- YAML data files -------------------------------------------------------------------------


def _yaml(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "data.yaml"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def _alias_bomb(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("content", "match"), [
    ("name: caf\xe9\n".encode("latin-1"), r"data\.yaml: not valid UTF-8 \(byte 0xe9 on line 1\)"),
    ("a: &a [*a]\n", r"data\.yaml: field 'a\[0\]': an alias refers to the value that holds it"),
    (_alias_bomb(12), r"data\.yaml: field 'a\d+.*': too large: more than 200,000 values"),
    ("a: " + "[" * 100 + "]" * 100 + "\n", r"data\.yaml: field 'a(\[0\])+': nested more than 64"),
    ("a: " + "[" * 5000 + "]" * 5000 + "\n", r"data\.yaml: nested too deeply to read"),
    ("a: 1\na: 2\n", r"data\.yaml: field 'a': duplicate key 'a' \(line 2\)"),
])
def test_yaml_refused_clearly(tmp_path: Path, content: str | bytes, match: str) -> None:
    with pytest.raises(InputError, match=match):
        read_data_file(_yaml(tmp_path, content), "codebooks")


def test_yaml_keeps_dates_and_versions_as_written(tmp_path: Path) -> None:
    data, _, _ = read_data_file(
        _yaml(tmp_path, "name: 2.0\nversion: 1.20\nstart: 2024-02-30\n"), "codebooks")
    assert data == {"name": "2.0", "version": "1.20", "start": "2024-02-30"}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8-sig"])
def test_yaml_with_a_bom_reads(tmp_path: Path, encoding: str) -> None:
    data, _, _ = read_data_file(_yaml(tmp_path, "name: café\n".encode(encoding)), "codebooks")
    assert data == {"name": "café"}


# -- encodings ---------------------------------------------------------------------------------

HEADER = "doc_id,outlet,date,text\n1,X,2024-01-02,"


@pytest.mark.parametrize(("encoding", "text"), [
    ("cp1252", "Le président a négocié un accord à Genève. Réunion très attendue."),
    ("iso8859_15", "Le prix est de 5 € à Genève, déjà payé."),
    ("cp1251", "Мир и война в Украине обсуждались на встрече. Переговоры о мире продолжаются."),
    ("utf-32", "Peace talks in Genève."),
    ("utf-16-le", "Peace talks in Geneva."),  # no BOM, all ASCII
    ("utf-16-be", "Peace talks in Geneva."),
])
def test_encoding_read_right(encoding: str, text: str) -> None:
    data = (HEADER + text + "\n").encode(encoding)
    read = data.decode(detect_encoding(Path("x.csv"), data))
    assert read.lstrip("\ufeff") == HEADER + text + "\n"


@pytest.mark.parametrize(("encoding", "text"), [
    ("cp1251", "мир"),
    ("cp1250", "Prezydent rozmawiał z przywódcą Ukrainy. Rozmowy trwają, żadnego porozumienia."),
    ("cp1250", "Łódź"),
    ("koi8_r", "мир"),
    ("cp1254", "Başkan Erdoğan barış görüşmesi yaptı."),
    ("shift_jis", "大統領はウクライナの平和について話した。"),
])
def test_uncertain_encoding_is_refused_not_guessed(encoding: str, text: str) -> None:
    """The readings are listed; a wrong single-byte guess would store ``мир`` as ``ìèð``."""
    data = (HEADER + text + "\n").encode(encoding)
    try:
        guess = detect_encoding(Path("x.csv"), data)
    except InputError as error:
        assert str(error).startswith("x.csv: the text encoding is uncertain")
        assert "--encoding" in str(error)
    else:
        assert data.decode(guess) == HEADER + text + "\n"
