"""Text of the data in the page's language: bilingual fields, labels, spacing.

Values come back as `Markup` (HTML-escaped once, safe to put in a template)
or as plain text (`plain`), never as hand-escaped strings.
"""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup, escape


class MissingLabel(LookupError):
    """A label the templates print is not in data/labels.yml."""


def t(field: dict, lang: str, source: str = "") -> Markup:
    """The text of a bilingual field in `lang`, escaped; the source text, marked with its language, if not translated yet."""
    if field.get(lang):
        return escape(field[lang])
    original = source if field.get(source) else next(iter(field))
    return Markup('<span lang="{}">{}</span>').format(original, field[original])


def plain(field: dict, lang: str, source: str = "") -> str:
    """The unescaped text of a bilingual field in `lang`, or in the source language if not translated yet."""
    return field.get(lang) or field.get(source) or next(iter(field.values()))


def labels_of(data) -> dict:
    return data["labels"]["labels"]


def label_field(data, key: str) -> dict:
    labels = labels_of(data)
    if key not in labels:
        raise MissingLabel(key)
    return labels[key]


def colon(data, lang: str) -> str:
    """The colon with the language's spacing (label `colon`: French puts a no-break space before it)."""
    labels = labels_of(data)
    return labels.get("colon", {}).get(lang, ":")


def plain_markdown(text: str) -> str:
    """Inline Markdown of data text as plain text: attribute lists, emphasis, superscript marks and ] left out."""
    return re.sub(r"\{:[^}]*\}|[*^\]]", "", text)


def heading_text(title: str | None) -> str:
    """A heading's Markdown as plain text: emphasis, code and superscript marks left out."""
    return (title or "").replace("*", "").replace("`", "").replace("^", "").strip()


def cell(text) -> Markup:
    """Escaped text made safe inside a Markdown table cell."""
    return Markup(str(escape(text)).replace("|", "&#124;").replace("\n", " "))


# The forms of data/schemas/common.schema.json's `url` and `email`, checked again where they become links.
URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]+)?([/?#][^\s\"'<>()\[\]{}|\\^`]*)?")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# What HTML or Markdown would read in the shown address (`_`, `*`, `[`…), written as character references.
_SHOWN = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'*_[]`^~\\|{}#:"})


def link(value, format: str) -> Markup:
    """A web address (format `url`: http or https) or an e-mail address (`email`: mailto) of the data as a
    link that shows it; any other value, or one not in that form, as escaped text."""
    if isinstance(value, str):
        href = value if format == "url" and URL.fullmatch(value) else None
        href = f"mailto:{value}" if format == "email" and EMAIL.fullmatch(value) else href
        if href is not None:
            return Markup('<a href="{}">{}</a>').format(href, Markup(value.translate(_SHOWN)))
    return escape(value)


def collate(text: str) -> str:
    """A sort key that ignores case and accents."""
    return "".join(ch for ch in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(ch))
