"""Kinds of data, declared in `data/kinds.yml` (validated by its schema like any data file).

A kind names its data file, says whether it is published as open data, which
directives show it (each a template), whether each record gets its own page,
and which charts are drawn from it. This module only reads the declarations;
the templates do the rendering.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .data import Data
from .problems import Problem

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
    description: str | None = None  # field summarised in the page's description (None: the name and the kind's title)
    options: dict = field(default_factory=dict)
    listing_follows: str | None = None  # the listing page goes after this page when `nav` does not list it
    short: str | None = None  # field holding a short name (an acronym), added after the name in brackets


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
    """The declared kinds whose data file exists, in the order of the declarations (a kind whose file
    does not exist is a problem of the data, `problems`)."""
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


def problems(doc, names: set[str], templates: Path) -> list[Problem]:
    """What is wrong between data/kinds.yml (`doc`, read) and the project: a kind naming a data file that
    does not exist, a data file (of `names`) no kind declares, a template that does not exist. Each at
    its line: a misspelt name would otherwise leave a list, a page or a download out without a word."""
    if doc is None or not isinstance(doc.data, dict) or not isinstance(doc.data.get(DECLARATIONS), list):
        return []
    declared, found = set(), []
    for i, k in enumerate(doc.data[DECLARATIONS]):
        if not isinstance(k, dict) or not isinstance(k.get("name"), str):
            continue
        declared.add(k["name"])
        if k["name"] not in names:
            others = ", ".join(sorted(names - {DECLARATIONS})) or "(none)"
            message = (
                f'there is no data file data/{k["name"]}.yml: check the spelling of `name` (data files: {others}), '
                "or add the file"
            )
            found.append(doc.problem((DECLARATIONS, i, "name"), message))
        for path, folder, template in _templates(k):
            if isinstance(template, str) and not (templates / folder / template).is_file():
                there = sorted(p.name for p in (templates / folder).glob("*") if p.is_file())
                message = (
                    f"there is no template templates/{folder}/{template}: check its spelling "
                    f"(templates there: {', '.join(there) or 'none'}), or add it"
                )
                found.append(doc.problem((DECLARATIONS, i, *path), message))
    for name in sorted(names - declared - {DECLARATIONS}):
        message = (
            f"no kind declares data/{name}.yml in data/kinds.yml: add `- name: {name}` there (docs/data.md, "
            "Add a kind of data), or check the spelling of the file's name"
        )
        found.append(Problem(f"data/{name}.yml", 1, "", message))
    return found


def _templates(k: dict):
    """(field path in the kind, folder under templates/, template) of every template a kind names."""
    for j, d in enumerate(k.get("directives") or []):
        if isinstance(d, dict):
            yield ("directives", j, "template"), "directives", d.get("template")
            if isinstance(d.get("stylesheet"), dict):
                yield ("directives", j, "stylesheet", "template"), "assets", d["stylesheet"].get("template")
    if isinstance(k.get("pages"), dict):
        yield ("pages", "template"), "pages", k["pages"].get("template")
    for j, c in enumerate(k.get("charts") or []):
        if isinstance(c, dict) and isinstance(c.get("name"), str):
            where = ("charts", j, "template" if "template" in c else "name")
            yield where, "charts", c.get("template", f"{c['name']}.vl.json")


def published(data: Data) -> list[Kind]:
    return [k for k in kinds(data) if k.published]


def charts(data: Data) -> dict[str, ChartDecl]:
    """chart name -> its declaration."""
    return {chart.name: chart for k in kinds(data) for chart in k.charts}


def stylesheets(data: Data) -> dict[str, Stylesheet]:
    """directive name -> the stylesheet only the pages using it load."""
    return {d.name: d.stylesheet for k in kinds(data) for d in k.directives if d.stylesheet}
