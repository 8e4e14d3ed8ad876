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


# --- Shared pieces ---------------------------------------------------------


def heading_id(prefix: str, record_id: str) -> str:
    return f"{prefix}-{record_id}" if prefix else record_id


def figure_cards(ctx: Context, figures: list[dict]) -> list[str]:
    """Key figures as Material grid cards: the number large, its label below."""
    lines = ['<div class="grid cards kb-figures" markdown>', ""]
    for f in figures:
        value = locale.figure(f["value"], f["unit"], ctx.lang)
        lines.append(f'- <span class="kb-figure__value">{esc(value)}</span>')
        lines.append(f"    {t(f['label'], ctx.lang)}")
        if "note" in f:
            lines.append("")
            lines.append(f"    <small>{t(f['note'], ctx.lang)}</small>")
    lines += ["", "</div>"]
    return lines


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines


# --- Collectives -----------------------------------------------------------


def collective_body(ctx: Context, c: dict, level: int = 2) -> list[str]:
    """Everything the data says about one collective."""
    h = "#" * level
    lines = [t(c["summary"], ctx.lang), ""]
    facts = []
    coalitions = ctx.data.by_id("coalitions")
    names = ", ".join(t(coalitions[i]["name"], ctx.lang) for i in c["coalitions"])
    facts.append(f"**{label(ctx, 'coalition')}{colon(ctx.lang)}** {names}")
    if "launched" in c:
        when = locale.iso_date(c["launched"], ctx.lang)
        note = f" — {t(c['launch_note'], ctx.lang)}" if "launch_note" in c else ""
        facts.append(f"**{label(ctx, 'launched')}{colon(ctx.lang)}** {esc(when)}{note}")
    lines += [f"- {f}" for f in facts] + [""]
    if c.get("membership"):
        lines += [f"{h} {label(ctx, 'membership')} {{ #{c['id']}-membership }}", ""]
        rows = [
            [esc(locale.iso_date(m["date"], ctx.lang)), esc(locale.number(m["count"], ctx.lang)),
             t(m["note"], ctx.lang) if "note" in m else ""]
            for m in c["membership"]
        ]
        lines += table([label(ctx, "date"), label(ctx, "members"), label(ctx, "note")], rows) + [""]
    if c.get("governance"):
        lines += [f"{h} {label(ctx, 'governance')} {{ #{c['id']}-governance }}", ""]
        for g in c["governance"]:
            desc = f"{colon(ctx.lang)} {t(g['description'], ctx.lang)}" if "description" in g else ""
            lines.append(f"- **{t(g['name'], ctx.lang)}**{desc}")
        lines.append("")
    if c.get("achievements"):
        lines += [f"{h} {label(ctx, 'achievements')} {{ #{c['id']}-achievements }}", ""]
        lines += [f"- {t(a, ctx.lang)}" for a in c["achievements"]] + [""]
    if c.get("links"):
        lines += [f"{h} {label(ctx, 'links')} {{ #{c['id']}-links }}", ""]
        lines += [f"- [{t(link['label'], ctx.lang)}]({esc(link['url'])})" for link in c["links"]] + [""]
    if "note" in c:
        lines += [f'!!! note "{label(ctx, "note")}"', "", f"    {t(c['note'], ctx.lang)}", ""]
    return lines


def record_cards(ctx: Context, records: list[dict], folder: str, subtitle) -> str:
    """Grid cards, one per record, each linking to the record's generated page."""
    lines = ['<div class="grid cards" markdown>', ""]
    for r in records:
        acronym = f" ({esc(r['acronym'])})" if r.get("acronym") else ""
        lines.append(f"- **[{t(r['name'], ctx.lang)}{acronym}]({folder}/{r['id']}.md)**")
        lines += ["", f"    *{subtitle(r)}*", "", f"    {t(r['summary'], ctx.lang)}", ""]
    lines.append("</div>")
    return "\n".join(lines)


@directive("collectives")
def collectives(ctx: Context, args: list[str]) -> str:
    """Cards of the collectives, each linking to its own page (from collectives.md)."""
    no_args(args)

    def launched(r):
        return f"{label(ctx, 'launched')}{colon(ctx.lang)} {esc(locale.iso_date(r['launched'], ctx.lang))}" if "launched" in r else ""

    return record_cards(ctx, ctx.data.records("collectives"), "collectives", launched)


# --- Survey 2023 -------------------------------------------------------------


@directive("survey")
def survey(ctx: Context, args: list[str]) -> str:
    no_args(args)
    data = ctx.data["survey-2023"]
    lines = figure_cards(ctx, data["figures"])
    if data.get("caveats"):
        lines += ["", f'!!! warning "{label(ctx, "caveats")}"', ""]
        lines += [f"    - {t(c, ctx.lang)}" for c in data["caveats"]]
    return "\n".join(lines)


# --- ILO C189 ratifications --------------------------------------------------


@directive("ratifications")
def ratifications(ctx: Context, args: list[str]) -> str:
    no_args(args)
    data = ctx.data["c189-ratifications"]
    records = sorted(data["ratifications"], key=lambda r: (r["year"], locale.country(r["country"], ctx.lang)))
    by_year: dict[int, list[str]] = {}
    for r in records:
        by_year.setdefault(r["year"], []).append(esc(locale.country(r["country"], ctx.lang)))
    rows = [[str(year), esc(locale.number(len(names), ctx.lang)), ", ".join(names)] for year, names in by_year.items()]
    lines = table([label(ctx, "year"), label(ctx, "ratifications"), label(ctx, "countries")], rows)
    if "note" in data:
        lines += ["", t(data["note"], ctx.lang)]
    return "\n".join(lines)


# --- MenEngage 2017 ----------------------------------------------------------


@directive("results")
def results(ctx: Context, args: list[str]) -> str:
    no_args(args)
    data = ctx.data["results-2017"]
    lines = [f'!!! abstract "{label(ctx, "goal_2020")}"', "", f"    {t(data['goal'], ctx.lang)}", ""]
    for area in data["areas"]:
        lines += [f"### {area['number']}. {t(area['title'], ctx.lang)} {{ #{area['id']} }}", ""]
        if "summary" in area:
            lines += [t(area["summary"], ctx.lang), ""]
        rows = [[esc(locale.figure(i["value"], i["unit"], ctx.lang)), t(i["label"], ctx.lang)] for i in area["indicators"]]
        lines += table([label(ctx, "figure"), label(ctx, "indicator")], rows) + [""]
    return "\n".join(lines)


def network_body(ctx: Context, n: dict, level: int = 3) -> list[str]:
    h = "#" * level
    lines = [t(n["summary"], ctx.lang), ""]
    if n.get("countries"):
        names = ", ".join(esc(locale.country(c, ctx.lang)) for c in n["countries"])
        lines += [f"**{label(ctx, 'countries')}{colon(ctx.lang)}** {names}", ""]
    lines += [f"{h} {label(ctx, 'activities')} {{ #{n['id']}-activities }}", ""]
    lines += [f"- {t(a, ctx.lang)}" for a in n["activities"]] + [""]
    if n.get("figures"):
        lines += [f"{h} {label(ctx, 'key_figures')} {{ #{n['id']}-figures }}", ""]
        lines += figure_cards(ctx, n["figures"]) + [""]
    if "note" in n:
        lines += [f'!!! warning "{label(ctx, "note")}"', "", f"    {t(n['note'], ctx.lang)}", ""]
    return lines


@directive("regions")
def regions(ctx: Context, args: list[str]) -> str:
    """Cards of the regional and national networks, each linking to its own page (from regions.md)."""
    no_args(args)
    return record_cards(ctx, ctx.data.records("regional-highlights-2017"), "regions", lambda r: t(r["region"], ctx.lang))


@directive("calendar")
def calendar(ctx: Context, args: list[str]) -> str:
    no_args(args)
    rows = []
    for e in ctx.data.records("calendar-2017"):
        place = ", ".join(
            x for x in (t(e["city"], ctx.lang) if "city" in e else "", esc(locale.country(e["country"], ctx.lang)) if "country" in e else "") if x
        )
        rows.append([esc(locale.month_name(e["month"], ctx.lang).capitalize()), t(e["title"], ctx.lang), place])
    return "\n".join(table([label(ctx, "month"), label(ctx, "event"), label(ctx, "place")], rows))


# --- Glossary ----------------------------------------------------------------


@directive("glossary")
def glossary(ctx: Context, args: list[str]) -> str:
    """One heading per term (its anchor is the term's id), sorted in the page's language."""
    no_args(args)
    terms = sorted(ctx.data.records("glossary"), key=lambda term: _collate(term["term"][ctx.lang]))
    lines: list[str] = []
    for term in terms:
        abbr = f" ({t(term['abbr'], ctx.lang)})" if "abbr" in term else ""
        lines += [f"### {t(term['term'], ctx.lang)}{abbr} {{ #{term['id']} }}", "", t(term["definition"], ctx.lang), ""]
        if "note" in term:
            lines += [f"*{t(term['note'], ctx.lang)}*", ""]
    return "\n".join(lines)


def _collate(text: str) -> str:
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(ch))


def abbreviations(ctx: Context) -> str:
    """Markdown abbreviation definitions for every glossary abbreviation (tooltips on every page)."""
    if "glossary" not in ctx.data:
        return ""
    lines = []
    for term in ctx.data.records("glossary"):
        if "abbr" in term:
            title = term["term"][ctx.lang].replace("]", "")
            lines.append(f"*[{term['abbr'][ctx.lang]}]: {esc(title)}")
    return "\n\n" + "\n".join(lines) + "\n" if lines else ""


# --- Charts ------------------------------------------------------------------


def chart_path(name: str, lang: str) -> str:
    """Where a chart's SVG lives, relative to the site root."""
    return f"assets/charts/{name}.{lang}.svg"


@directive("chart")
def chart(ctx: Context, args: list[str]) -> str:
    """<!-- kb:chart c189-by-year -->: the chart, its caption, a text alternative and its data table."""
    from . import charts

    if len(args) != 1 or args[0] not in charts.CHARTS:
        raise DirectiveError(f"needs the name of one chart: one of {', '.join(sorted(charts.CHARTS))}")
    made = charts.CHARTS[args[0]](ctx.data, ctx.lang)
    if made is None:
        raise DirectiveError(f"the data for the chart {args[0]} is missing")
    depth = len(ctx.page.removeprefix("content/").split("/")) - 1
    src = "../" * depth + chart_path(made.name, ctx.lang)
    alt = esc(made.alt).replace("[", "(").replace("]", ")")
    caption = esc(made.spec["description"])
    rows = [[esc(c) for c in row] for row in made.rows]
    lines = [
        f'<figure class="kb-chart" markdown="1">',
        "",
        f"![{alt}]({src})",
        "",
        f"<figcaption>{caption}</figcaption>",
        "</figure>",
        "",
        f'<p class="kb-chart__table-title"><strong>{label(ctx, "chart_data")}</strong></p>',
        "",
        *table([esc(h) for h in made.headers], rows),
        "",
    ]
    return "\n".join(lines)
