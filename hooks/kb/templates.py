"""Jinja templates for everything the hooks write into pages.

Every template is rendered with autoescaping on: a value from the data is
HTML-escaped exactly once, when the template prints it. Text that is
already HTML (a bilingual field marked with its language, a label) comes
from the helpers below as `Markup`, so it is not escaped twice.

Templates are rendered in Jinja's sandbox: no attribute beginning with `_`, so no way from a template
to the build's environment or files.

Templates live in the project's `templates/` folder:

- `directives/<name>.md`: what `<!-- kb:name -->` becomes (Markdown with some HTML);
- `pages/<name>.md`: the body of a page generated for one record;
- `charts/<name>.vl.json`: a Vega-Lite specification filled from the data;
- `_*.md`: pieces the others include.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    UndefinedError,
    select_autoescape,
)
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from . import locale, text
from .directives import DirectiveError
from .languages import PROJECT

DEFAULT_FOLDER = PROJECT / "templates"


class TemplateProblem(DirectiveError):
    """A template that cannot be found or rendered: the message names the template and its line."""


def environment(folder: Path = DEFAULT_FOLDER, cache: Path | None = None) -> Environment:
    """The templates of `folder`; with `cache`, their compiled code is kept there between builds
    (Jinja checks each template's source, so an edited template is compiled again)."""
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
    # sandboxed: a template (a file a pull request may change) reads the data and the helpers, never
    # Python's insides (`cycler.__init__.__globals__.os.environ` would print the build's environment)
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(folder)),
        bytecode_cache=FileSystemBytecodeCache(str(cache)) if cache is not None else None,
        # Vega-Lite specifications are JSON: their values are written with `tojson`
        autoescape=select_autoescape(disabled_extensions=("json",), default=True, default_for_string=True),
        extensions=["jinja2.ext.do"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=True,
    )
    env.filters.update(
        cell=text.cell,
        country_name=locale.country,
        sort_text=lambda names: sorted(names, key=text.collate),
    )
    env.tests["contains"] = lambda values, value: value in values
    env.globals["heading_text"] = text.heading_text
    env.globals["plain_markdown"] = text.plain_markdown
    env.globals["link"] = text.link  # a `url` or `email` value as a link (http, https, mailto only)
    return env


def fail(message: str):
    """Called by a template for a wrong argument or missing data: a problem at the directive's line."""
    raise DirectiveError(message)


def helpers(ctx) -> dict:
    """The functions every template may call, bound to the page's language."""
    lang, source = ctx.lang, ctx.source

    def t(field) -> Markup:
        return text.t(field, lang, source)

    def plain(field) -> str:
        return text.plain(field, lang, source)

    def label(key: str) -> Markup:
        return text.t(text.label_field(ctx.data, key), lang, source)

    def plain_label(key: str) -> str:
        return text.plain(text.label_field(ctx.data, key), lang, source)

    return {
        "lang": lang,
        "source": source,
        "t": t,
        "plain": plain,
        "label": label,
        "plain_label": plain_label,
        "colon": text.colon(ctx.data, lang),
        "number": lambda value: locale.number(value, lang),
        "figure": lambda value, unit, at_least=False: locale.figure(value, unit, lang, at_least),
        "date": lambda iso: locale.iso_date(iso, lang),
        "month": lambda month: locale.month_name(month, lang),
        "country": lambda code: locale.country(code, lang),
        "root": ctx.root,
        "data": ctx.data,
        "by_id": ctx.data.by_id,
        "sort_by": lambda records, *fields: sorted(records, key=lambda r: tuple(str(r.get(f, "")) for f in fields)),
        "sorted_by_text": lambda records, name: sorted(records, key=lambda r: text.collate(plain(r[name]))),
        "fail": fail,
    }


def render(env: Environment, name: str, ctx, **values) -> str:
    """Render template `name` for the page of `ctx`; a mistake becomes a `TemplateProblem`."""
    try:
        return env.get_template(name).render(**helpers(ctx), **values)
    except DirectiveError:
        raise
    except TemplateNotFound as exc:
        raise TemplateProblem(f"the template templates/{exc.name} does not exist") from None
    except text.MissingLabel as exc:
        problem = TemplateProblem(
            f'templates/{name} prints the label "{exc.args[0]}", which data/labels.yml does not have: add it there '
            "in every language"
        )
        problem.label = exc.args[0]  # a problem of data/labels.yml, reported once
        raise problem from None
    except UndefinedError as exc:
        raise TemplateProblem(f"templates/{name}{_line(exc, name)}: {exc.message}") from None
    except TemplateError as exc:
        raise TemplateProblem(f"templates/{name}{_line(exc, name)}: {exc}") from None


def _line(exc: Exception, name: str) -> str:
    """The line of the template where rendering failed, read from the traceback."""
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(name):
            line = tb.tb_lineno
        tb = tb.tb_next
    return f":{line}" if line else ""
