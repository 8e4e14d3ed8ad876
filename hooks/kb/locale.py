"""Locale-aware formatting of numbers, dates and country names (Babel).

No hand-written tables: French gets `1 250`, `45 %`, `29 octobre 2023`,
`Équateur`; English gets `1,250`, `45%`, `29 October 2023`, `Ecuador`.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from babel import Locale
from babel.dates import format_date as _format_date
from babel.numbers import format_decimal, format_percent

from .languages import project


def _loc(lang: str) -> str:
    """The Babel locale of a language (mkdocs.yml, extra.kb.locales: the site's English is British)."""
    return project().babel(lang)


def d3_locale(lang: str) -> str:
    """The d3 locale of the charts' numbers and dates (vl-convert), e.g. fr-FR."""
    return _loc(lang).replace("_", "-")


@cache  # the same few values are formatted on many pages
def number(value: float, lang: str) -> str:
    return format_decimal(value, locale=_loc(lang))


@cache
def percent(value: float, lang: str) -> str:
    """`value` is a percentage (45 means 45 %), with the narrow no-break space the translators' guide asks before %."""
    return format_percent(value / 100, locale=_loc(lang), decimal_quantization=False).replace("\u00a0%", "\u202f%")


def figure(value: float, unit: str, lang: str, at_least: bool = False) -> str:
    """A count or a percentage; "800 000+" when the source gives a minimum."""
    text = percent(value, lang) if unit == "percent" else number(value, lang)
    return text + "+" if at_least else text


@cache
def iso_date(text: str, lang: str) -> str:
    """Format "2021", "2021-06" or "2021-06-30" at the precision given."""
    parts = [int(p) for p in str(text).split("-")]
    if len(parts) == 1:
        return str(parts[0])
    if len(parts) == 2:
        return _format_date(date(parts[0], parts[1], 1), "LLLL y", locale=_loc(lang))
    return _format_date(date(*parts), "long", locale=_loc(lang))


@cache
def month_name(month: int, lang: str) -> str:
    return _format_date(date(2000, month, 1), "LLLL", locale=_loc(lang))


@cache
def country(code: str, lang: str) -> str:
    return Locale.parse(_loc(lang)).territories[code]
