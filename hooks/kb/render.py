"""What pages show of the data: the directives and the parts added to every page.

Every piece of HTML comes from a template in `templates/` (see `templates.py`),
rendered with autoescaping on. The directives a page may use are listed by
`registry()`: four built in (`chart` and `translation-status` here, `datasets` and
`datapackage` in `datapackage.py`) and those the kinds of data declare in `data/kinds.yml`.
"""

from __future__ import annotations

from functools import partial

from . import charts, export, kinds, urls
from .data import records_key
from .directives import Context, DirectiveError, Renderer
from .problems import Problem
from .templates import render
from .translations import counts, data_statuses, diff_rows, page_statuses, word_diff


def registry(data) -> dict[str, Renderer]:
    """Every directive, by name: the built-in ones, then those the kinds of data declare."""
    from .datapackage import datapackage, datasets

    out: dict[str, Renderer] = {
        "chart": chart,
        "datapackage": datapackage,
        "datasets": datasets,
        "translation-status": translation_status,
        "contact": contact,
    }
    for kind in kinds.kinds(data):
        for declared in kind.directives:
            out[declared.name] = partial(_declared, declared, kind)
    return out


def _no_args(args: list[str]) -> None:
    if args:
        raise DirectiveError(f"takes no argument, but was given: {' '.join(args)}")


def _declared(declared: kinds.DirectiveDecl, kind: kinds.Kind, ctx: Context, args: list[str]) -> str:
    """A directive declared by a kind of data: its template, given the kind's records."""
    if declared.argument:
        if len(args) != 1:
            raise DirectiveError("takes one argument")
    else:
        _no_args(args)
    content = ctx.data[kind.name]
    key = records_key(content) if isinstance(content, dict) else None
    pages = kind.pages

    def page_of(record) -> str:
        if pages is None:
            raise DirectiveError(f"the kind {kind.name} has no page per record (pages: in data/kinds.yml)")
        return urls.source_link(ctx.page, ctx.lang, f"{pages.folder}/{record['id']}.md")

    return render(
        ctx.templates,
        f"directives/{declared.template}",
        ctx,
        kind=kind.name,
        file=content,
        records=content[key] if key else [],
        argument=args[0] if args else None,
        page_of=page_of,
        options=declared.options,
    )


def chart(ctx: Context, args: list[str]) -> str:
    """<!-- kb:chart c189-by-year -->: the chart, its caption, a text alternative and its data table;
    `<!-- kb:chart c189-by-year no-table -->` when the directive that follows prints the same data."""
    known = kinds.charts(ctx.data)
    if not args or args[0] not in known or args[1:] not in ([], ["no-table"]):
        raise DirectiveError(
            f"needs the name of one chart: one of {', '.join(sorted(known))} (then no-table, or nothing)"
        )
    made = charts.make(ctx, known[args[0]])
    # raw HTML, which MkDocs does not rewrite: the images' addresses from the page's own address
    up = _up(ctx)
    return render(
        ctx.templates,
        "parts/chart.md",
        ctx,
        pictures=charts.picture(made, ctx.lang, up, ctx.project / ".cache" / "charts"),
        alt=made.alt,
        caption=made.spec["description"],
        headers=made.headers,
        rows=made.rows,
        table=args[1:] != ["no-table"],
    )


def _up(ctx: Context) -> str:
    """The relative address from the page being rendered to the site's root ("../../")."""
    rel = ctx.page.removeprefix("content/").split("/", 1)[-1]
    return urls.to_root(urls.page_url(rel, ctx.lang, ctx.source))


def translation_status(ctx: Context, args: list[str]) -> str:
    """What is not translated yet: pages and data fields (the same report as `make translations`)."""
    _no_args(args)
    pages = page_statuses(ctx.project / "content", ctx.languages)
    texts = data_statuses(ctx.data, ctx.project, ctx.languages, translated=True)
    fields = [s for s in texts if s.state != "translated"]
    # links to sections of other pages are to their published addresses (a page missing in a
    # language is served there from its original): from this page's own address to the site's root
    up = _up(ctx)
    return render(
        ctx.templates,
        "directives/translation-status.md",
        ctx,
        pages=pages,
        fields=fields,
        counts=counts(pages + texts),
        up=up,
        page_url=lambda rel, lang: urls.page_url(rel, lang, ctx.source),
        diff_rows=diff_rows,
        word_diff=word_diff,
    )


def contact(ctx: Context, args: list[str]) -> str:
    """Who is behind the site and how to reach them (the about page): only what the configuration
    says (kb/contact.py); nothing without it (`make check`)."""
    _no_args(args)
    return render(ctx.templates, "directives/contact.md", ctx, site=ctx.site)


# --- Parts of every page -----------------------------------------------------


def page_citation(source_ids, ctx: Context, updated: str | None = None) -> tuple[str, list[Problem]]:
    """The citation block of a page from its front matter `sources:`, or the problem with it."""
    documents = ctx.data.by_id("bibliography")
    known = sorted(i for i, d in documents.items() if d["kind"] == "source")
    if not source_ids or not isinstance(source_ids, list):
        message = (
            "every page names its source documents in its front matter, "
            f"e.g. `sources: [{known[0]}]`; ids: {', '.join(known)}"
        )
        return "", [Problem(ctx.page, 1, "sources", message)]
    unknown = [str(s) for s in source_ids if s not in known]
    if unknown:
        message = f"unknown source id(s) {', '.join(unknown)}; use: {', '.join(known)}"
        return "", [Problem(ctx.page, 1, "sources", message)]
    return page_sources(source_ids, ctx, updated), []


def page_sources(source_ids: list[str], ctx: Context, updated: str | None = None) -> str:
    """The citation block appended to every page, from its front matter `sources:`."""
    documents = ctx.data.by_id("bibliography")
    return "\n\n" + render(
        ctx.templates, "parts/page-sources.md", ctx, documents=[documents[i] for i in source_ids], updated=updated or ""
    )


def abbreviations(ctx: Context) -> str:
    """Markdown abbreviation definitions for every glossary abbreviation (tooltips on every page)."""
    if "glossary" not in ctx.data:
        return ""
    out = render(ctx.templates, "parts/abbreviations.md", ctx, terms=ctx.data.records("glossary"))
    return "\n\n" + out + "\n" if out.strip() else ""


def translation_notice(
    ctx: Context, markdown: str, state: str, original_url: str, original_lang: str, changes=None
) -> str:
    """Put a notice under the title of a page whose translation is missing or out of date.

    A missing translation shows the original, marked with the original's language. An outdated one
    names the sections whose original changed (`changes`, from `translations.page_changes`)."""
    if state not in ("missing", "outdated"):
        return markdown
    notice = render(
        ctx.templates,
        "parts/translation-notice.md",
        ctx,
        state=state,
        original_url=original_url,
        original_lang=original_lang,
        changes=changes or [],
    )
    lines = markdown.split("\n")
    at = next((i + 1 for i, line in enumerate(lines) if line.startswith("# ")), 0)
    head, rest = "\n".join(lines[:at]), "\n".join(lines[at:])
    if state == "missing":

        def marked(body: str) -> str:
            return render(ctx.templates, "parts/in-language.md", ctx, body=body, original_lang=original_lang)

        head = marked(head) if head.strip() else ""
        rest = marked(rest)
    return f"{head}\n\n{notice}\n\n{rest}"


def shared_files(ctx: Context) -> dict[str, str]:
    """The files every language shares (path -> content): each published kind as JSON and CSV,
    and the stylesheets made from data (e.g. the timeline's filters)."""
    out = {}
    for kind in kinds.published(ctx.data):
        out[export.download_path(kind.name, "json")] = export.to_json(ctx.data, kind.name)
        out[export.download_path(kind.name, "csv")] = export.to_csv(ctx.data, kind.name, ctx.langs)
    for kind in kinds.kinds(ctx.data):
        for declared in kind.directives:
            if declared.stylesheet:
                records = ctx.data.records(kind.name)
                out[declared.stylesheet.path] = render(
                    ctx.templates, f"assets/{declared.stylesheet.template}", ctx, records=records
                )
    return out
