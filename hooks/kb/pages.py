"""Generated pages: one page per record of some data files, in every language.

Adding a record to `data/collectives.yml` or `data/regional-highlights-2017.yml`
adds its page in both languages, in the navigation (after the page that lists
them) and in each language's search index; no code change is needed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from . import render
from .directives import Context


@dataclass(frozen=True)
class Generator:
    dataset: str  # data file name
    folder: str  # where the pages go, relative to the language root
    index: str  # the page that lists the records (the pages follow it in the navigation)
    sources: tuple[str, ...]  # source documents cited by every generated page
    body: Callable[[Context, dict, int], list[str]]
    subtitle: Callable[[Context, dict], str]


GENERATORS = (
    Generator(
        dataset="collectives",
        folder="generation-equality/collective-commitments/collectives",
        index="generation-equality/collective-commitments/collectives.md",
        sources=("unwomen-2023",),
        body=render.collective_body,
        subtitle=lambda ctx, r: render.label(ctx, "collective"),
    ),
    Generator(
        dataset="regional-highlights-2017",
        folder="menengage/annual-summary-2017/regions",
        index="menengage/annual-summary-2017/regions.md",
        sources=("menengage-2018",),
        body=render.network_body,
        subtitle=lambda ctx, r: render.t(r["region"], ctx.lang),
    ),
)


@dataclass
class GeneratedPage:
    path: str  # relative to the language root, e.g. "menengage/annual-summary-2017/regions/africa.md"
    index: str  # the listing page it follows in the navigation
    title: str  # HTML-escaped text
    markdown: str  # with front matter


def _plain(text: str) -> str:
    """Markdown to plain text, for a meta description: links keep their text, emphasis, superscript and
    attribute lists (`*Trabajo Digno*{: lang=es }`, `6^e^`) go."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"\{:[^}]*\}", "", text)
    text = re.sub(r"\^([^\^\s]+)\^", r"\1", text)
    return text.replace("*", "").replace("_", " ").strip()


def generated_pages(ctx: Context) -> list[GeneratedPage]:
    pages = []
    for gen in GENERATORS:
        if gen.dataset not in ctx.data:
            continue
        for record in ctx.data.records(gen.dataset):
            name = render.plain(record["name"], ctx.lang)
            acronym = f" ({record['acronym']})" if record.get("acronym") else ""
            summary = _plain(render.plain(record["summary"], ctx.lang))
            description = summary if len(summary) <= 155 else summary[:152].rsplit(" ", 1)[0] + "…"
            front = yaml.safe_dump(
                {"description": description, "sources": list(gen.sources), "generated_from": f"data/{gen.dataset}.yml"},
                allow_unicode=True,
                sort_keys=False,
            )
            body = [f"# {render.esc(name)}{render.esc(acronym)}", "", f"*{gen.subtitle(ctx, record)}*", ""]
            body += gen.body(ctx, record, 2)
            pages.append(
                GeneratedPage(
                    path=f"{gen.folder}/{record['id']}.md",
                    index=gen.index,
                    # the theme prints navigation titles as HTML: escape them like any data
                    title=render.esc(f"{name}{acronym}"),
                    markdown=f"---\n{front}---\n\n" + "\n".join(body),
                )
            )
    return pages
