"""Charts without JavaScript: Vega-Lite specifications rendered to SVG at build time.

Each chart is a Vega-Lite specification kept as a template,
`templates/charts/<name>.vl.json`, filled from its kind's data in the page's
language (titles from data/labels.yml, numbers and dates formatted by
Babel and by the language's d3 locale). Its `usermeta.kb` holds what the
page prints beside the image: the data table (`headers`, `rows`) and the
parts of the text alternative (`alt`). vl-convert renders the SVG; the
result is cached on disk by a hash of the specification.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from . import locale
from .data import records_key
from .directives import Context, DirectiveError
from .kinds import ChartDecl
from .templates import render


@dataclass
class Chart:
    name: str
    spec: dict  # Vega-Lite
    rows: list[list[str]]  # the data table, formatted for the language
    headers: list[str]
    alt: str  # the text alternative: what the chart shows, with its numbers


def chart_path(name: str, lang: str) -> str:
    """Where a chart's SVG lives, relative to the site root."""
    return f"assets/charts/{name}.{lang}.svg"


def make(ctx: Context, chart: ChartDecl) -> Chart:
    """A declared chart, filled from its kind's data in the page's language."""
    template = f"charts/{chart.template}"
    content = ctx.data[chart.kind]
    records = content[records_key(content)] if isinstance(content, dict) else []
    text = render(ctx.templates, template, ctx, kind=chart.kind, file=content, records=records, options=chart.options)
    name = chart.name
    try:
        spec = json.loads(text)
        meta = spec.pop("usermeta")["kb"]
        alt = f"{spec['description']}. " + "; ".join(meta["alt"]) + "."
        return Chart(name, spec, meta["rows"], meta["headers"], alt)
    except (ValueError, KeyError, TypeError) as exc:
        raise DirectiveError(
            f"templates/{template} does not make a Vega-Lite specification with a description and "
            f"usermeta.kb (headers, rows, alt): {exc}"
        ) from None


def svg(chart: Chart, lang: str, cache_dir: Path) -> str:
    """The chart as SVG, from the cache when the same spec was rendered before."""
    renderer = metadata.version("vl-convert-python")  # a new renderer may draw differently
    d3_locale = locale.d3_locale(lang)
    payload = json.dumps(
        {"spec": chart.spec, "locale": d3_locale, "renderer": renderer}, sort_keys=True, ensure_ascii=False
    )
    key = hashlib.sha256(payload.encode()).hexdigest()[:20]
    cached = cache_dir / f"{key}.svg"
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    import vl_convert

    out = vl_convert.vegalite_to_svg(chart.spec, format_locale=d3_locale, time_format_locale=d3_locale)
    cache_dir.mkdir(parents=True, exist_ok=True)
    cached.write_text(out, encoding="utf-8")
    return out
