"""Charts without JavaScript: Vega-Lite specifications rendered to SVG at build time.

Each chart is a Vega-Lite specification kept as a template,
`templates/charts/<name>.vl.json`, filled from its kind's data in the page's
language (titles from data/labels.yml, numbers and dates formatted by
Babel and by the language's d3 locale). Its `usermeta.kb` holds what the
page prints beside the image: the data table (`headers`, `rows`) and a short
text alternative (`alt`: what the chart shows, not its numbers, which the
table gives). vl-convert renders the SVG; the result is cached on disk by a
hash of the specification.

Every chart is drawn in each layout and colour scheme listed by
`templates/charts/variants.json` (the template gets `layout` and `scheme`):
a narrow layout for phones, whose text stays legible at the width it is
shown, and a wide one; a light and a dark scheme, which the page's
stylesheet shows with Material's light and dark palettes. The last layout
and first scheme make the image every browser falls back to.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from . import locale
from .data import records_key
from .directives import Context, DirectiveError
from .kinds import ChartDecl
from .templates import render


@dataclass
class Variant:
    layout: dict  # from variants.json: name, width, font_size, media (all but the last layout)
    scheme: dict  # from variants.json: name, text, muted, grid, marks
    spec: dict  # Vega-Lite


@dataclass
class Chart:
    name: str
    spec: dict  # Vega-Lite, of the default variant
    rows: list[list[str]]  # the data table, formatted for the language
    headers: list[str]
    alt: str  # the text alternative: what the chart shows, in a sentence or two
    variants: list[Variant] = field(default_factory=list)  # layouts × schemes, the default one last


VARIANTS = "charts/variants.json"


def chart_path(name: str, lang: str, variant: Variant | None = None) -> str:
    """Where a chart's SVG lives, relative to the site root (the default variant without a suffix)."""
    if variant is None:
        return f"assets/charts/{name}.{lang}.svg"
    return f"assets/charts/{name}.{variant.layout['name']}.{variant.scheme['name']}.{lang}.svg"


def variants(ctx: Context) -> tuple[list[dict], list[dict]]:
    """The layouts and colour schemes every chart is drawn in (templates/charts/variants.json)."""
    try:
        source = ctx.templates.loader.get_source(ctx.templates, VARIANTS)[0]
        declared = json.loads(source)
        layouts, schemes = declared["layouts"], declared["schemes"]
        if not (layouts and schemes and all("name" in x for x in layouts + schemes)):
            raise ValueError("a layout or a scheme without a name, or none")
        if not all("media" in x for x in layouts[:-1]):  # narrowest first: the browser takes the first match
            raise ValueError("a layout but the last without its media query")
    except (ValueError, KeyError, TypeError) as exc:
        raise DirectiveError(
            f"templates/{VARIANTS} must list layouts (name, width, font_size, media but for the last) "
            f"and schemes (name and colours): {exc}"
        ) from None
    return layouts, schemes


def make(ctx: Context, chart: ChartDecl) -> Chart:
    """A declared chart, filled from its kind's data in the page's language, in every variant."""
    template = f"charts/{chart.template}"
    content = ctx.data[chart.kind]
    records = content[records_key(content)] if isinstance(content, dict) else []
    layouts, schemes = variants(ctx)
    made = []
    for layout in layouts:
        for scheme in schemes:
            text = render(
                ctx.templates,
                template,
                ctx,
                kind=chart.kind,
                file=content,
                records=records,
                options=chart.options,
                layout=layout,
                scheme=scheme,
            )
            try:
                spec = json.loads(text)
                loads = _addresses(spec)
                if loads:
                    raise DirectiveError(f"templates/{template} may not load anything ({loads[0]}): a chart's data "
                                         "comes from the data files, written into its specification")  # fmt: skip
                meta = spec.pop("usermeta")["kb"]
                alt = f"{spec['description']}. {meta['alt']}"
                made.append((Variant(layout, scheme, spec), meta, alt))
            except (ValueError, KeyError, TypeError) as exc:
                raise DirectiveError(
                    f"templates/{template} does not make a Vega-Lite specification with a description and "
                    f"usermeta.kb (headers, rows, alt): {exc}"
                ) from None
    # the default variant (last layout, first scheme) is the image every browser can show
    default = next(i for i, (v, _, _) in enumerate(made) if v.layout is layouts[-1] and v.scheme is schemes[0])
    ordered = [m for i, m in enumerate(made) if i != default] + [made[default]]
    variant, meta, alt = ordered[-1]
    return Chart(chart.name, variant.spec, meta["rows"], meta["headers"], alt, [v for v, _, _ in ordered])


def _addresses(spec) -> list[str]:
    """The addresses a Vega-Lite specification would load (`url` anywhere: data, images)."""
    found, stack = [], [spec]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            found += [f"url: {v}"[:80] for k, v in value.items() if k == "url"]
            stack += value.values()
        elif isinstance(value, list):
            stack += value
    return found


def files(chart: Chart, lang: str, cache_dir: Path) -> dict[str, str]:
    """Every variant's SVG, by its path relative to the site root."""
    out = {}
    for variant in chart.variants:
        path = chart_path(chart.name, lang, None if variant is chart.variants[-1] else variant)
        out[path] = svg(variant.spec, lang, cache_dir)
    return out


def picture(chart: Chart, lang: str, root: str, cache_dir: Path) -> list[dict]:
    """What the page shows, one entry per colour scheme: its sources (media query, address, size)
    for the narrower layouts, then the image (address, size) of the widest."""
    out = []
    for scheme in dict.fromkeys(v.scheme["name"] for v in chart.variants):
        sources = []
        for variant in chart.variants:
            if variant.scheme["name"] != scheme:
                continue
            last = variant is chart.variants[-1]
            path = chart_path(chart.name, lang, None if last else variant)
            width, height = size(svg(variant.spec, lang, cache_dir))
            sources.append({"media": variant.layout.get("media"), "src": root + path, "width": width, "height": height})
        out.append({"scheme": scheme, "sources": sources[:-1], "img": sources[-1]})
    return out


def size(markup: str) -> tuple[int, int]:
    """The width and height an SVG declares, in CSS pixels."""
    found = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', markup)
    return (round(float(found[1])), round(float(found[2]))) if found else (0, 0)


def svg(spec: dict, lang: str, cache_dir: Path) -> str:
    """A chart's specification as SVG, from the cache when the same spec was rendered before."""
    renderer = metadata.version("vl-convert-python")  # a new renderer may draw differently
    d3_locale = locale.d3_locale(lang)
    payload = json.dumps({"spec": spec, "locale": d3_locale, "renderer": renderer}, sort_keys=True, ensure_ascii=False)
    key = hashlib.sha256(payload.encode()).hexdigest()[:20]
    cached = cache_dir / f"{key}.svg"
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    import vl_convert

    # no address may be loaded (data, images): nothing at build time is fetched from another host
    out = vl_convert.vegalite_to_svg(spec, format_locale=d3_locale, time_format_locale=d3_locale, allowed_base_urls=[])
    cache_dir.mkdir(parents=True, exist_ok=True)
    cached.write_text(out, encoding="utf-8")
    return out
