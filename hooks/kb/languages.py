"""The site's languages, read from mkdocs.yml alone.

mkdocs-static-i18n's `languages` list names them (`locale`), says which one
is the source (`default: true`) and which are built; `extra.kb.locales`
gives the Babel locale that formats a language's numbers and dates when it
is not the language code itself (`en: en_GB` for British English). The
build, the commands (`make translations`, `make build`) and the tests all
read the same file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Languages:
    source: str  # the language pages and data are written in first (served at the site's root)
    all: tuple[str, ...]  # every built language, the source first
    names: dict[str, str]  # language -> its name in the switcher
    locales: dict[str, str]  # language -> Babel locale, where it differs from the language code

    @property
    def targets(self) -> tuple[str, ...]:
        """The languages translated from the source."""
        return tuple(lang for lang in self.all if lang != self.source)

    def babel(self, lang: str) -> str:
        return self.locales.get(lang, lang)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """mkdocs.yml's own tags (!ENV, !!python/name…) are not needed here: read them as nothing."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read(config_file: Path) -> Languages:
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader) or {}
    i18n = next((p["i18n"] for p in config.get("plugins", []) if isinstance(p, dict) and "i18n" in p), {})
    languages = [lang for lang in i18n.get("languages", []) if lang.get("build", True)]
    if not languages:
        raise ValueError(f"{config_file.name}: the i18n plugin lists no language")
    source = next((lang["locale"] for lang in languages if lang.get("default")), languages[0]["locale"])
    ordered = [source] + [lang["locale"] for lang in languages if lang["locale"] != source]
    locales = ((config.get("extra") or {}).get("kb") or {}).get("locales") or {}
    return Languages(
        source, tuple(ordered), {lang["locale"]: lang.get("name", lang["locale"]) for lang in languages}, locales
    )


@cache
def project() -> Languages:
    """The languages of the project these modules belong to."""
    return read(PROJECT / "mkdocs.yml")


def config_problems(config_file: Path | None = None) -> list:
    """The languages of mkdocs.yml that Babel does not know (it formats their numbers and dates): each a
    problem naming the line, before anything formats a date and stops with a traceback."""
    from babel import Locale, UnknownLocaleError

    from .problems import Problem

    config_file = config_file or PROJECT / "mkdocs.yml"
    langs = read(config_file)
    text = config_file.read_text(encoding="utf-8").split("\n")
    found = []
    for lang in langs.all:
        try:
            Locale.parse(langs.babel(lang))
        except (ValueError, TypeError, UnknownLocaleError):
            code = langs.babel(lang)
            line = next((n for n, row in enumerate(text, 1) if row.strip().endswith(f": {code}")), None)
            message = (
                f'"{code}" is not a language code Babel knows: write a code such as fr, en or es, or give its '
                "locale in extra.kb.locales (e.g. en: en_GB)"
            )
            found.append(Problem(config_file.name, line, "languages", message))
    return found
