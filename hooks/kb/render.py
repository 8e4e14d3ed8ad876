"""Renderers: data records into Markdown, in the page's language.

Every value from data that reaches the page goes through `esc()` (HTML
escaping: a name containing `<script>` shows as text). Inline Markdown in
bilingual fields still works, because the output goes through the same
Markdown pipeline as the page.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape

from . import locale
from .directives import Context, DirectiveError, directive
from .problems import Problem


def esc(text) -> str:
    return escape(str(text), quote=True)


def t(field: dict, lang: str) -> str:
    """The text of a bilingual field in `lang`, escaped; the French text, marked as French, if not translated yet."""
    if field.get(lang):
        return esc(field[lang])
    return f'<span lang="fr">{esc(field["fr"])}</span>'


def plain(field: dict, lang: str) -> str:
    """The unescaped text of a bilingual field in `lang`, or in French if not translated yet."""
    return field.get(lang) or field["fr"]


def label(ctx: Context, key: str) -> str:
    return t(ctx.data["labels"]["labels"][key], ctx.lang)


def cell(text: str) -> str:
    """Make text safe inside a Markdown table cell."""
    return text.replace("|", "&#124;").replace("\n", " ")


def colon(lang: str) -> str:
    """A colon with French spacing (no-break space before it) or English spacing."""
    return "\u00a0:" if lang == "fr" else ":"


def rel_root(ctx: Context) -> str:
    """The relative path from the page to the site root ("../../"), for assets."""
    return "../" * (len(ctx.page.removeprefix("content/").split("/")) - 1)


def download_links(ctx: Context, name: str) -> str:
    """Markdown links to a data file's CSV and JSON downloads, relative to the page."""
    from .export import download_path

    return " · ".join(f"[{fmt.upper()}]({rel_root(ctx)}{download_path(name, fmt)})" for fmt in ("csv", "json"))


def downloads(ctx: Context, name: str) -> str:
    """The line under a rendered dataset: download it as CSV or JSON."""
    links = download_links(ctx, name)
    return f'\n\n<p class="kb-download" markdown="span">{label(ctx, "download_data")}{colon(ctx.lang)} {links} — [{label(ctx, "about_open_data")}]({rel_root(ctx)}{ctx.lang}/open-data.md)</p>\n'


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
    return ("\n".join(lines)) + downloads(ctx, "coalitions")


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
    when = (
        str(doc["year"])
        if "year" in doc
        else (t(doc["year_note"], ctx.lang) if "year_note" in doc else label(ctx, "undated"))
    )
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
    return ("\n".join(f"1. {citation(d, ctx)}" for d in cited)) + downloads(ctx, "bibliography")


@directive("sources")
def sources(ctx: Context, args: list[str]) -> str:
    """The five source documents of the knowledge base."""
    no_args(args)
    return "\n".join(f"1. {citation(d, ctx)}" for d in ctx.data.records("bibliography") if d["kind"] == "source")


def page_citation(source_ids, ctx: Context, updated: str | None = None) -> tuple[str, list[Problem]]:
    """The citation block of a page from its front matter `sources:`, or the problem with it."""
    known = sorted(d["id"] for d in ctx.data.records("bibliography") if d["kind"] == "source")
    if not source_ids or not isinstance(source_ids, list):
        message = (
            "every page names its source documents in its front matter, "
            f"e.g. `sources: [unwomen-2023]`; ids: {', '.join(known)}"
        )
        return "", [Problem(ctx.page, 1, "sources", message)]
    unknown = [str(s) for s in source_ids if s not in known]
    if unknown:
        message = f"unknown source id(s) {', '.join(unknown)}; use: {', '.join(known)}"
        return "", [Problem(ctx.page, 1, "sources", message)]
    return page_sources(source_ids, ctx, updated), []


def page_sources(source_ids: list[str], ctx: Context, updated: str | None = None) -> str:
    """The citation block appended to every page, from its front matter `sources:`."""
    docs = ctx.data.by_id("bibliography")
    key = "source" if len(source_ids) == 1 else "sources"
    sep = colon(ctx.lang)
    items = "".join(f"<li>{citation(docs[i], ctx)}</li>" for i in source_ids)
    return (
        f'\n\n<aside class="kb-sources" markdown="1">\n'
        f'<p class="kb-sources__title"><strong>{label(ctx, key)}{sep}</strong></p>\n'
        f"<ul>{items}</ul>\n{_updated(ctx, updated)}</aside>\n"
    )


def _updated(ctx: Context, iso: str | None) -> str:
    if not iso:
        return ""
    when = locale.iso_date(iso[:10], ctx.lang)
    return (
        f'<p class="kb-updated">{label(ctx, "last_updated")}{colon(ctx.lang)} '
        f'<time datetime="{esc(iso[:10])}">{esc(when)}</time></p>\n'
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
        lines.append("")
    lines += ["</div>"]
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
            [
                esc(locale.iso_date(m["date"], ctx.lang)),
                esc(locale.number(m["count"], ctx.lang)),
                t(m["note"], ctx.lang) if "note" in m else "",
            ]
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
        sub = subtitle(r)
        lines += ["", f"    *{sub}*"] if sub else []
        lines += ["", f"    {t(r['summary'], ctx.lang)}", ""]
    lines.append("</div>")
    return "\n".join(lines)


@directive("collectives")
def collectives(ctx: Context, args: list[str]) -> str:
    """Cards of the collectives, each linking to its own page (from collectives.md)."""
    no_args(args)

    def launched(r):
        return (
            f"{label(ctx, 'launched')}{colon(ctx.lang)} {esc(locale.iso_date(r['launched'], ctx.lang))}"
            if "launched" in r
            else ""
        )

    return (record_cards(ctx, ctx.data.records("collectives"), "collectives", launched)) + downloads(ctx, "collectives")


# --- Survey 2023 -------------------------------------------------------------


@directive("survey")
def survey(ctx: Context, args: list[str]) -> str:
    no_args(args)
    data = ctx.data["survey-2023"]
    lines = figure_cards(ctx, data["figures"])
    if data.get("caveats"):
        lines += ["", f'!!! warning "{label(ctx, "caveats")}"', ""]
        lines += [f"    - {t(c, ctx.lang)}" for c in data["caveats"]]
    return ("\n".join(lines)) + downloads(ctx, "survey-2023")


# --- ILO C189 ratifications --------------------------------------------------


@directive("ratifications")
def ratifications(ctx: Context, args: list[str]) -> str:
    no_args(args)
    data = ctx.data["c189-ratifications"]
    records = sorted(data["ratifications"], key=lambda r: (r["year"], _collate(locale.country(r["country"], ctx.lang))))
    by_year: dict[int, list[str]] = {}
    for r in records:
        by_year.setdefault(r["year"], []).append(esc(locale.country(r["country"], ctx.lang)))
    rows = [[str(year), esc(locale.number(len(names), ctx.lang)), ", ".join(names)] for year, names in by_year.items()]
    lines = table([label(ctx, "year"), label(ctx, "ratifications"), label(ctx, "countries")], rows)
    if "note" in data:
        lines += ["", t(data["note"], ctx.lang)]
    return ("\n".join(lines)) + downloads(ctx, "c189-ratifications")


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
        rows = [
            [esc(locale.figure(i["value"], i["unit"], ctx.lang)), t(i["label"], ctx.lang)] for i in area["indicators"]
        ]
        lines += table([label(ctx, "figure"), label(ctx, "indicator")], rows) + [""]
    return ("\n".join(lines)) + downloads(ctx, "results-2017")


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
    return (
        record_cards(ctx, ctx.data.records("regional-highlights-2017"), "regions", lambda r: t(r["region"], ctx.lang))
    ) + downloads(ctx, "regional-highlights-2017")


@directive("calendar")
def calendar(ctx: Context, args: list[str]) -> str:
    no_args(args)
    rows = []
    for e in ctx.data.records("calendar-2017"):
        place = ", ".join(
            x
            for x in (
                t(e["city"], ctx.lang) if "city" in e else "",
                esc(locale.country(e["country"], ctx.lang)) if "country" in e else "",
            )
            if x
        )
        rows.append([esc(locale.month_name(e["month"], ctx.lang).capitalize()), t(e["title"], ctx.lang), place])
    return ("\n".join(table([label(ctx, "month"), label(ctx, "event"), label(ctx, "place")], rows))) + downloads(
        ctx, "calendar-2017"
    )


# --- Glossary ----------------------------------------------------------------


@directive("glossary")
def glossary(ctx: Context, args: list[str]) -> str:
    """One heading per term (its anchor is the term's id), sorted in the page's language."""
    no_args(args)
    terms = sorted(ctx.data.records("glossary"), key=lambda term: _collate(plain(term["term"], ctx.lang)))
    docs = ctx.data.by_id("bibliography")
    lines: list[str] = []
    for term in terms:
        abbr = f" ({t(term['abbr'], ctx.lang)})" if "abbr" in term else ""
        lines += [f"## {t(term['term'], ctx.lang)}{abbr} {{ #{term['id']} }}", "", t(term["definition"], ctx.lang), ""]
        if "note" in term:
            lines += [f"*{t(term['note'], ctx.lang)}*", ""]
        # the source documents the entry comes from
        key = "source" if len(term["sources"]) == 1 else "sources"
        names = ", ".join(t(docs[s]["short"], ctx.lang) for s in term["sources"])
        lines += [f'<p class="kb-glossary__source" markdown="span">{label(ctx, key)}{colon(ctx.lang)} {names}</p>', ""]
    return ("\n".join(lines)) + downloads(ctx, "glossary")


def _collate(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(ch))


def abbreviations(ctx: Context) -> str:
    """Markdown abbreviation definitions for every glossary abbreviation (tooltips on every page)."""
    if "glossary" not in ctx.data:
        return ""
    lines = []
    for term in ctx.data.records("glossary"):
        if "abbr" in term:
            # a title attribute is plain text: no Markdown marks (`n^o^`, `*…*{: lang=en }`)
            title = re.sub(r"\{:[^}]*\}|[*^\]]", "", plain(term["term"], ctx.lang).replace("n^o^", "n°"))
            lines.append(f"*[{plain(term['abbr'], ctx.lang)}]: {esc(title)}")
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
    src = rel_root(ctx) + chart_path(made.name, ctx.lang)
    alt = esc(made.alt).replace("[", "(").replace("]", ")")
    caption = esc(made.spec["description"])
    rows = [[esc(c) for c in row] for row in made.rows]
    lines = [
        '<figure class="kb-chart" markdown="1">',
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


# --- Timeline ----------------------------------------------------------------

THEMES = (
    "generation-equality",
    "care-and-domestic-work",
    "social-movements",
    "masculinities",
    "accountability",
    "srhr",
    "gbv",
)


def _source_short(doc: dict, lang: str) -> str:
    return plain(doc["short"], lang) if "short" in doc else doc["title"]


@directive("timeline")
def timeline(ctx: Context, args: list[str]) -> str:
    """Every dated event on one axis, filterable by source or theme with radio buttons (CSS only, no JS)."""
    no_args(args)
    events = sorted(ctx.data.records("timeline"), key=lambda e: (e["date"], e.get("end", "")))
    docs = ctx.data.by_id("bibliography")
    used_sources = [s for s in docs if any(e["source"] == s for e in events)]
    used_themes = [th for th in THEMES if any(th in e["themes"] for e in events)]
    radio = '<input type="radio" name="kb-filter" id="{id}" class="kb-timeline__radio"{checked}><label for="{id}">{text}</label>'
    out = [
        '<div class="kb-timeline" markdown="1">',
        f'<fieldset class="kb-timeline__filter"><legend>{label(ctx, "filter_by_source")}</legend>',
    ]
    out.append(radio.format(id="kb-f-all", checked=" checked", text=label(ctx, "all")))
    out += [
        radio.format(id=f"kb-f-src-{s}", checked="", text=esc(_source_short(docs[s], ctx.lang))) for s in used_sources
    ]
    out.append("</fieldset>")
    out.append(f'<fieldset class="kb-timeline__filter"><legend>{label(ctx, "filter_by_theme")}</legend>')
    out += [
        radio.format(id=f"kb-f-theme-{th}", checked="", text=label(ctx, "theme_" + th.replace("-", "_")))
        for th in used_themes
    ]
    out.append("</fieldset>")
    year = None
    for e in events:
        if e["date"][:4] != year:
            if year is not None:
                out.append("</ol>")
            year = e["date"][:4]
            out.append(f'<h2 id="year-{year}" class="kb-timeline__year">{year}</h2>')
            out.append('<ol class="kb-timeline__list" markdown="1">')
        classes = " ".join([f"kb-src-{e['source']}", *(f"kb-theme-{th}" for th in e["themes"])])
        when = f'<time datetime="{esc(e["date"])}">{esc(locale.iso_date(e["date"], ctx.lang))}</time>'
        if "end" in e:
            when += f' – <time datetime="{esc(e["end"])}">{esc(locale.iso_date(e["end"], ctx.lang))}</time>'
        link = rel_root(ctx) + e["page"]
        source = esc(_source_short(docs[e["source"]], ctx.lang))
        out.append(
            f'<li class="{classes}" markdown="span">{when} — {t(e["title"], ctx.lang)} '
            f'<span class="kb-timeline__meta">[{label(ctx, "read_more")}]({link}) · {source}</span></li>'
        )
    if year is not None:
        out.append("</ol>")
    out.append("</div>")
    return "\n".join(out) + downloads(ctx, "timeline")


def timeline_css(data) -> str:
    """The filter rules: when a source or theme is chosen, hide the other events (CSS :has, no JS)."""
    if "timeline" not in data:
        return ""
    sources = sorted({e["source"] for e in data.records("timeline")})
    rules = [
        f".kb-timeline:has(#kb-f-src-{s}:checked) .kb-timeline__list li:not(.kb-src-{s}) {{ display: none; }}"
        for s in sources
    ]
    rules += [
        f".kb-timeline:has(#kb-f-theme-{th}:checked) .kb-timeline__list li:not(.kb-theme-{th}) {{ display: none; }}"
        for th in THEMES
    ]
    return "/* Generated from data/timeline.yml by hooks/kb/render.py */\n" + "\n".join(rules) + "\n"


# --- Open data ---------------------------------------------------------------


@directive("datasets")
def datasets(ctx: Context, args: list[str]) -> str:
    """Every published data file: what it holds, how many records, its fields, CSV and JSON links."""
    import json
    from pathlib import Path

    from .data import records_key
    from .export import published, rows

    no_args(args)
    schema_dir = Path(__file__).resolve().parents[2] / "data" / "schemas"
    out: list[str] = []
    for name in published(ctx.data):
        content = ctx.data[name]
        count = len(content[records_key(content)])
        schema = json.loads((schema_dir / f"{name}.schema.json").read_text(encoding="utf-8"))
        columns: list[str] = []
        for row in rows(ctx.data, name):
            columns += [c for c in row if c not in columns and not re_numbered(c)]
        out += [f"## {label(ctx, 'dataset_' + name.replace('-', '_'))} {{ #{name} }}", ""]
        out += [
            f'`data/{name}.yml` — {esc(locale.number(count, ctx.lang))} {label(ctx, "records")}. <span lang="en">{esc(schema.get("title", ""))}</span>',
            "",
        ]
        links = download_links(ctx, name)
        out += [f"**{label(ctx, 'download_data')}{colon(ctx.lang)}** {links}", ""]
        out += [f"**{label(ctx, 'csv_columns')}{colon(ctx.lang)}** " + ", ".join(f"`{esc(c)}`" for c in columns), ""]
    return "\n".join(out)


def re_numbered(column: str) -> bool:
    """Columns of the 2nd, 3rd… item of a nested list repeat the 1st: list only the 1st."""
    import re

    return bool(re.search(r"\.([2-9]|[1-9][0-9]+)(\.|_|$)", column))


# --- Translations ------------------------------------------------------------


def translation_notice(ctx: Context, markdown: str, state: str, original_url: str, original_lang: str) -> str:
    """Put a notice under the title of a page whose translation is missing or out of date.

    A missing translation shows the original, marked with the original's language.
    """
    if state not in ("missing", "outdated"):
        return markdown
    key = "not_translated" if state == "missing" else "outdated"
    # raw HTML link: the address is the original's published URL, not a Markdown source path
    link = f'<a href="{esc(original_url)}" hreflang="{original_lang}">{label(ctx, key + "_link")}</a>'
    body = f"{label(ctx, key + '_body')} {link}."
    notice = f'!!! warning "{label(ctx, key + "_title")}"\n\n    {body}\n'
    lines = markdown.split("\n")
    at = next((i + 1 for i, line in enumerate(lines) if line.startswith("# ")), 0)
    head, rest = "\n".join(lines[:at]), "\n".join(lines[at:])
    if state == "missing":
        wrap = f'<div lang="{original_lang}" markdown="1">\n\n{{}}\n\n</div>'
        head = wrap.format(head) if head.strip() else ""
        rest = wrap.format(rest)
    return f"{head}\n\n{notice}\n{rest}"


@directive("translation-status")
def translation_status(ctx: Context, args: list[str]) -> str:
    """What is not translated yet: pages and data fields (the same report as `make translations`)."""
    from pathlib import Path

    from .translations import data_statuses, page_statuses

    no_args(args)
    content = Path(__file__).resolve().parents[2] / "content"
    pages = page_statuses(content)
    names = {
        "translated": label(ctx, "status_translated"),
        "outdated": label(ctx, "status_outdated"),
        "missing": label(ctx, "status_missing"),
    }
    counts = {state: sum(1 for s in pages if s.state == state) for state in names}
    lines = ['<div class="grid cards kb-figures" markdown>', ""]
    for state in names:
        lines += [
            f'- <span class="kb-figure__value">{esc(locale.number(counts[state], ctx.lang))}</span>',
            f"    {label(ctx, 'count_' + state)}",
            "",
        ]
    lines += ["</div>", ""]
    pending = [s for s in pages if s.state != "translated"]
    if pending:
        rows = [[f"`content/{s.lang}/{esc(s.path)}`", s.lang, names[s.state]] for s in pending]
        lines += table([label(ctx, "page"), label(ctx, "language"), label(ctx, "status")], rows) + [""]
    data = data_statuses(ctx.data)
    if data:
        rows = [[f"`{esc(s.path)}:{s.line}`", f"`{esc(s.field)}`", s.lang] for s in data]
        lines += table([label(ctx, "file"), label(ctx, "field"), label(ctx, "language")], rows) + [""]
    if not pending and not data:
        lines += [f'!!! success "{label(ctx, "all_translated")}"', ""]
    return "\n".join(lines)
