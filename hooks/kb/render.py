"""Renderers: data records into Markdown, in the page's language.

Every value from data that reaches the page goes through `esc()` (HTML
escaping: a name containing `<script>` shows as text). Inline Markdown in
bilingual fields still works, because the output goes through the same
Markdown pipeline as the page.
"""

from __future__ import annotations

from html import escape

from . import locale
from .directives import Context, DirectiveError, directive


def esc(text) -> str:
    return escape(str(text), quote=True)


def t(field: dict, lang: str) -> str:
    """The text of a bilingual field in `lang`, escaped."""
    return esc(field[lang])


def label(ctx: Context, key: str) -> str:
    return t(ctx.data["labels"]["labels"][key], ctx.lang)


def cell(text: str) -> str:
    """Make text safe inside a Markdown table cell."""
    return text.replace("|", "&#124;").replace("\n", " ")


def colon(lang: str) -> str:
    """A colon with French spacing (no-break space before it) or English spacing."""
    return "\u00a0:" if lang == "fr" else ":"


def no_args(args: list[str]) -> None:
    if args:
        raise DirectiveError(f"takes no argument, but was given: {' '.join(args)}")


# --- Generation Equality ---------------------------------------------------


@directive("coalitions")
def coalitions(ctx: Context, args: list[str]) -> str:
    """The six Action Coalitions (numbered) and the Compact."""
    no_args(args)
    records = ctx.data.records("coalitions")
    coalitions = [c for c in records if c["kind"] == "action-coalition"]
    compacts = [c for c in records if c["kind"] == "compact"]
    lines = ['<div class="kb-coalitions" markdown>', ""]
    lines += [f"{i}. **{t(c['name'], ctx.lang)}**" for i, c in enumerate(coalitions, start=1)]
    lines.append("")
    sep = colon(ctx.lang)
    lines += [f"{label(ctx, 'and_the_compact')}{sep} **{t(c['name'], ctx.lang)}**" for c in compacts]
    lines += ["", "</div>"]
    return "\n".join(lines)


# --- Bibliography ----------------------------------------------------------


def _title(doc: dict, lang: str) -> str:
    """The title in italics, marked with its own language when it differs from the page's."""
    if doc["lang"] != lang:
        return f'<cite lang="{esc(doc["lang"])}">{esc(doc["title"])}</cite>'
    return f"<cite>{esc(doc['title'])}</cite>"


def citation(doc: dict, ctx: Context) -> str:
    """One bibliography entry as a line of HTML-safe Markdown."""
    parts = []
    who = doc.get("publisher") or doc.get("authors")
    when = str(doc["year"]) if "year" in doc else (t(doc["year_note"], ctx.lang) if "year_note" in doc else label(ctx, "undated"))
    if who:
        parts.append(f"{esc(who)} ({when}).")
    else:
        parts.append(f"({when}).")
    parts.append(_title(doc, ctx.lang) + ".")
    if "series" in doc:
        parts.append(t(doc["series"], ctx.lang) + ".")
    if doc.get("authors") and doc.get("publisher"):
        parts.append(f"{label(ctx, 'authors')}{colon(ctx.lang)} {esc(doc['authors'])}.")
    if "note" in doc:
        parts.append(t(doc["note"], ctx.lang))
    if "url" in doc:
        parts.append(f"<{esc(doc['url'])}>")
    return " ".join(parts)


@directive("references")
def references(ctx: Context, args: list[str]) -> str:
    """The documents cited by one source: <!-- kb:references unwomen-2023 -->."""
    docs = ctx.data.by_id("bibliography")
    if len(args) != 1 or args[0] not in docs:
        sources = ", ".join(sorted(i for i, d in docs.items() if d["kind"] == "source"))
        raise DirectiveError(f"needs the id of one source document: one of {sources}")
    cited = [d for d in ctx.data.records("bibliography") if args[0] in d.get("cited_by", [])]
    if not cited:
        raise DirectiveError(f'no document in data/bibliography.yml has "cited_by: [{args[0]}]"')
    return "\n".join(f"1. {citation(d, ctx)}" for d in cited)


@directive("sources")
def sources(ctx: Context, args: list[str]) -> str:
    """The five source documents of the knowledge base."""
    no_args(args)
    return "\n".join(
        f"1. {citation(d, ctx)}" for d in ctx.data.records("bibliography") if d["kind"] == "source"
    )


def page_sources(source_ids: list[str], ctx: Context) -> str:
    """The citation block appended to every page, from its front matter `sources:`."""
    docs = ctx.data.by_id("bibliography")
    key = "source" if len(source_ids) == 1 else "sources"
    sep = colon(ctx.lang)
    items = "".join(f"<li>{citation(docs[i], ctx)}</li>" for i in source_ids)
    return (
        f'\n\n<aside class="kb-sources" markdown="1">\n'
        f'<p class="kb-sources__title"><strong>{label(ctx, key)}{sep}</strong></p>\n'
        f"<ul>{items}</ul>\n</aside>\n"
    )
