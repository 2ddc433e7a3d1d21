"""Outlet names: one outlet however a source spells it (a domain, a display name, a variant)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from framing._types import PathLike
from framing.corpus._errors import InputError

_DOMAIN = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:www\d?\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?:[/:#?].*)?$")
_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[\W_]+")


def outlet_key(name: str) -> str:
    """The form under which outlet names are compared.

    A URL or domain becomes its host without scheme, ``www.`` or path; a name loses case,
    spaces and punctuation, so ``The Daily Caller`` and ``thedailycaller`` are one outlet.

    Examples
    --------
    >>> outlet_key("http://www.TheAtlantic.com/"), outlet_key("Fox News"), outlet_key("foxnews")
    ('theatlantic.com', 'foxnews', 'foxnews')
    """
    text = _SPACES.sub(" ", name).strip().lower()
    match = _DOMAIN.match(text)
    if match and " " not in text:
        return match.group(1)
    return _NOT_WORD.sub("", text) or text


def display_name(name: str) -> str:
    """An outlet name as shown when no alias applies: trimmed; a URL reduced to its domain."""
    text = _SPACES.sub(" ", name).strip()
    match = _DOMAIN.match(text.lower())
    if match and " " not in text:
        return match.group(1)
    return text


def domain_of(url: str) -> str | None:
    """The host of a URL without ``www.``, or None."""
    try:
        host = urlsplit(url.strip() if "://" in url else f"//{url.strip()}").hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return re.sub(r"^www\d?\.", "", host.lower())


class OutletAliases:
    """An editable table mapping the names a source uses to one canonical outlet name.

    Parameters
    ----------
    table : mapping of str to str, optional
        Alias -> canonical name. Aliases are matched by :func:`outlet_key`, so ``cnn.com``,
        ``https://www.cnn.com/`` and ``CNN.com`` are one alias. A canonical name is an alias of
        itself.

    Examples
    --------
    >>> aliases = OutletAliases({"cnn.com": "CNN", "CNN U.S. Edition": "CNN"})
    >>> names = pd.Series(["https://www.cnn.com/", "CNN U.S. Edition", "Politico"])
    >>> aliases.resolve(names).tolist()
    ['CNN', 'CNN', 'Politico']
    """

    def __init__(self, table: Mapping[str, str] | None = None) -> None:
        self.table: dict[str, str] = {}
        for alias, canonical in (table or {}).items():
            self.table[outlet_key(str(canonical))] = str(canonical).strip()
            self.table[outlet_key(str(alias))] = str(canonical).strip()

    @classmethod
    def from_csv(cls, path: PathLike) -> OutletAliases:
        """Read a CSV with columns ``alias`` and ``outlet`` (one row per alias)."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the outlet alias table ({exc})", path=path) from exc
        reader = csv.DictReader(io.StringIO(text))
        fields = [f.strip().lower() for f in reader.fieldnames or []]
        if "alias" not in fields or "outlet" not in fields:
            raise InputError(
                "the outlet alias table needs the columns 'alias' and 'outlet'", path=path,
                field="alias" if "alias" not in fields else "outlet",
            )
        table: dict[str, str] = {}
        owners: dict[str, str] = {}
        for row_number, record in enumerate(reader, start=1):
            record = {str(k).strip().lower(): (v or "").strip() for k, v in record.items() if k}
            alias, outlet = record.get("alias", ""), record.get("outlet", "")
            if not alias or not outlet:
                raise InputError("alias and outlet must both be given", path=path,
                                 row=row_number, field="alias" if not alias else "outlet")
            key = outlet_key(alias)
            if owners.get(key, outlet) != outlet:
                raise InputError(
                    f"alias {alias!r} maps to {owners[key]!r} and to {outlet!r}",
                    path=path, row=row_number, field="alias",
                )
            owners[key] = outlet
            table[alias] = outlet
        return cls(table)

    def resolve(self, names: pd.Series) -> pd.Series:
        """Canonical names; names without an alias keep a tidied spelling of their own."""
        unique = pd.unique(names.dropna())
        mapping = {name: self.table.get(outlet_key(str(name)), display_name(str(name)))
                   for name in unique}
        return names.map(mapping)

    def to_dict(self) -> dict[str, str]:
        return dict(self.table)
