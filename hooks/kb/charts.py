"""Charts without JavaScript: Vega-Lite specs rendered to SVG at build time.

Each chart is a declarative Vega-Lite spec built from the data, in the
page's language (titles from data/labels.yml, numbers and dates formatted
with the language's d3 locale). vl-convert renders the SVG; the result is
cached on disk by a hash of the spec, so an unchanged chart is not rendered
again. The page shows the chart as an image with a text alternative, a
caption, and the data table beside it (see render.chart).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from . import locale
from .data import Data
from .render import colon, plain

D3_LOCALES = {"fr": "fr-FR", "en": "en-GB"}
PALETTE = ["#5e35b1", "#d81b60", "#00897b", "#f4511e", "#3949ab"]


@dataclass
class Chart:
    name: str
    spec: dict  # Vega-Lite
    rows: list[list[str]]  # the data table, formatted for the language
    headers: list[str]
    alt: str  # the text alternative: what the chart shows, with its numbers


def _label(data: Data, key: str, lang: str) -> str:
    return plain(data["labels"]["labels"][key], lang)


def _base(title: str) -> dict:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": title,  # the page's caption shows the title
        "autosize": {"type": "pad"},
        "config": {
            # the renderer measures text with its own fonts: keep a generic family
            "font": "sans-serif",
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 260},
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "orient": "bottom",
                "direction": "vertical",
                "labelLimit": 420,
            },
            "view": {"stroke": None},
            "background": "#ffffff",
        },
    }


def c189_by_year(data: Data, lang: str) -> Chart | None:
    if "c189-ratifications" not in data:
        return None
    counts: dict[int, int] = {}
    for r in data["c189-ratifications"]["ratifications"]:
        counts[r["year"]] = counts.get(r["year"], 0) + 1
    years = sorted(counts)
    title = _label(data, "chart_c189", lang)
    spec = {
        **_base(title),
        "width": 560,
        "height": 240,
        "data": {"values": [{"year": str(y), "n": counts[y]} for y in years]},
        "mark": {"type": "bar", "color": PALETTE[0]},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": _label(data, "year", lang), "axis": {"labelAngle": 0}},
            "y": {
                "field": "n",
                "type": "quantitative",
                "title": _label(data, "ratifications", lang),
                "axis": {"tickMinStep": 1},
            },
        },
    }
    rows = [[str(y), locale.number(counts[y], lang)] for y in years]
    alt = f"{title}. " + "; ".join(f"{y}{colon(lang)} {locale.number(counts[y], lang)}" for y in years) + "."
    return Chart("c189-by-year", spec, rows, [_label(data, "year", lang), _label(data, "ratifications", lang)], alt)


def collectives_membership(data: Data, lang: str) -> Chart | None:
    if "collectives" not in data:
        return None
    values, rows = [], []
    for c in data.records("collectives"):
        name = c.get("acronym") or plain(c["name"], lang)
        for m in c.get("membership", []):
            values.append({"date": m["date"], "members": m["count"], "collective": name})
            rows.append([plain(c["name"], lang), locale.iso_date(m["date"], lang), locale.number(m["count"], lang)])
    if not values:
        return None
    title = _label(data, "chart_membership", lang)
    spec = {
        **_base(title),
        "width": 560,
        "height": 260,
        "data": {"values": values},
        "mark": {"type": "line", "point": {"size": 60, "filled": True}, "strokeWidth": 2.5},
        "encoding": {
            "x": {
                "field": "date",
                "type": "temporal",
                "timeUnit": "yearmonth",
                "title": _label(data, "date", lang),
                "axis": {"format": "%Y", "tickCount": "year"},
            },
            "y": {"field": "members", "type": "quantitative", "title": _label(data, "members", lang)},
            "color": {"field": "collective", "type": "nominal", "title": None, "scale": {"range": PALETTE}},
        },
    }
    alt = f"{title}. " + "; ".join(f"{r[0]}, {r[1]}{colon(lang)} {r[2]}" for r in rows) + "."
    headers = [_label(data, "collective_short", lang), _label(data, "date", lang), _label(data, "members", lang)]
    return Chart("collectives-membership", spec, rows, headers, alt)


def results_2017(data: Data, lang: str) -> Chart | None:
    if "results-2017" not in data:
        return None
    values, rows = [], []
    for area in data["results-2017"]["areas"]:
        for i in area["indicators"]:
            label = plain(i["label"], lang).replace("*", "")
            figure = locale.figure(i["value"], i["unit"], lang, i.get("at_least", False))
            rows.append([f"{area['number']}. {plain(area['title'], lang)}", label, figure])
            if i["unit"] != "count":
                continue  # percentages are in the table, not among the bars of counts
            short = label if len(label) <= 38 else label[:36].rsplit(" ", 1)[0] + "…"
            values.append(
                {
                    "indicator": f"{area['number']}. {short}",
                    "value": i["value"],
                    "area": f"{area['number']}. {plain(area['title'], lang)}",
                }
            )
    title = _label(data, "chart_results", lang)
    spec = {
        **_base(title),
        "width": 220,
        "height": {"step": 18},
        "data": {"values": values},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "indicator", "type": "nominal", "sort": None, "title": None},
            "x": {
                "field": "value",
                "type": "quantitative",
                "scale": {"type": "symlog"},
                "axis": {"values": [0, 10, 100, 1000, 10000, 100000, 1000000], "format": ",", "labelAngle": -40},
                "title": _label(data, "log_scale", lang),
            },
            "color": {
                "field": "area",
                "type": "nominal",
                "title": None,
                "scale": {"range": PALETTE},
                "legend": {"columns": 1},
            },
        },
    }
    alt = f"{title}. " + "; ".join(f"{r[1]}{colon(lang)} {r[2]}" for r in rows) + "."
    headers = [_label(data, "area", lang), _label(data, "indicator", lang), _label(data, "figure", lang)]
    return Chart("results-2017", spec, rows, headers, alt)


CHARTS = {"c189-by-year": c189_by_year, "collectives-membership": collectives_membership, "results-2017": results_2017}


def svg(chart: Chart, lang: str, cache_dir: Path) -> str:
    """The chart as SVG, from the cache when the same spec was rendered before."""
    renderer = metadata.version("vl-convert-python")  # a new renderer may draw differently
    payload = json.dumps(
        {"spec": chart.spec, "locale": D3_LOCALES[lang], "renderer": renderer}, sort_keys=True, ensure_ascii=False
    )
    key = hashlib.sha256(payload.encode()).hexdigest()[:20]
    cached = cache_dir / f"{key}.svg"
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    import vl_convert

    out = vl_convert.vegalite_to_svg(chart.spec, format_locale=D3_LOCALES[lang], time_format_locale=D3_LOCALES[lang])
    cache_dir.mkdir(parents=True, exist_ok=True)
    cached.write_text(out, encoding="utf-8")
    return out


def all_charts(data: Data, lang: str) -> list[Chart]:
    return [c for c in (fn(data, lang) for fn in CHARTS.values()) if c is not None]
