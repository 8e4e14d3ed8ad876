"""Kinds of data, declared in `data/kinds.yml` (validated by its schema like any data file).

A kind names its data file, says whether it is published as open data, which
directives show it (each a template), whether each record gets its own page,
and which charts are drawn from it. This module only reads the declarations;
the templates do the rendering.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .data import Data

DECLARATIONS = "kinds"  # data/kinds.yml


@dataclass(frozen=True)
class Stylesheet:
    path: str  # where it is published, e.g. assets/stylesheets/kb-timeline.css
    template: str  # templates/assets/<template>


@dataclass(frozen=True)
class DirectiveDecl:
    name: str
    kind: str
    template: str  # templates/directives/<template>
    argument: bool = False
    stylesheet: Stylesheet | None = None
    options: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PagesDecl:
    kind: str
    template: str  # templates/pages/<template>
    folder: str
    follows: str
    sources: tuple[str, ...]
    title: str  # field holding the record's name
    description: str  # field summarised in the page's description
    options: dict = field(default_factory=dict)
    listing_follows: str | None = None  # the listing page goes after this page when `nav` does not list it


@dataclass(frozen=True)
class ChartDecl:
    name: str
    kind: str
    template: str  # templates/charts/<template>
    options: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    name: str
    title: dict
    published: bool
    directives: tuple[DirectiveDecl, ...] = ()
    pages: PagesDecl | None = None
    charts: tuple[ChartDecl, ...] = ()


def kinds(data: Data) -> list[Kind]:
    """The declared kinds whose data file exists, in the order of the declarations."""
    if DECLARATIONS not in data:
        return []
    out = []
    for k in data.records(DECLARATIONS):
        if k["name"] not in data:
            continue
        directives = tuple(
            DirectiveDecl(
                d["name"],
                k["name"],
                d["template"],
                d.get("argument", False),
                Stylesheet(**d["stylesheet"]) if "stylesheet" in d else None,
                d.get("options", {}),
            )
            for d in k.get("directives", [])
        )
        pages = (
            PagesDecl(kind=k["name"], **{**k["pages"], "sources": tuple(k["pages"]["sources"])})
            if "pages" in k
            else None
        )
        charts = tuple(
            ChartDecl(c["name"], k["name"], c.get("template", f"{c['name']}.vl.json"), c.get("options", {}))
            for c in k.get("charts", [])
        )
        out.append(Kind(k["name"], k["title"], k["published"], directives, pages, charts))
    return out


def published(data: Data) -> list[Kind]:
    return [k for k in kinds(data) if k.published]


def charts(data: Data) -> dict[str, ChartDecl]:
    """chart name -> its declaration."""
    return {chart.name: chart for k in kinds(data) for chart in k.charts}


def stylesheets(data: Data) -> dict[str, Stylesheet]:
    """directive name -> the stylesheet only the pages using it load."""
    return {d.name: d.stylesheet for k in kinds(data) for d in k.directives if d.stylesheet}
