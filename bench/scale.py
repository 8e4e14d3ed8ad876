"""Scale test: the same pipeline on synthetic content and data, 1x, 10x, 100x.

At factor k, the project copy gets k times the collectives and regional
networks (records copied with new ids, so k times the generated pages) and
k x 5 synthetic prose pages per language listed in the navigation. It reports
build time, peak memory, pages built, the HTML weight of one content
page (which grows with the navigation every page carries), and what a
reader downloads from opening the search to five results (bench/bench.py).

    make bench-scale              # factors 1 and 10
    make bench-scale SCALE="1 10 100"
    .venv/bin/python bench/scale.py --no-prune 1 10   # with the whole navigation in every page
    .venv/bin/python bench/scale.py --search-only 100  # one `make build`, then the search only

Each factor is built three ways: our sequential build, `make build`'s one
process per language, and the stock MkDocs + Material + mkdocs-static-i18n
build of the same final content (see bench/bench.py).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import statistics
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
from conftest import copy_project  # noqa: E402

from bench import (  # noqa: E402
    BUDGETS,
    free_port,
    preview_times,
    search_cost,
    search_indexes,
    search_lines,
    stock_project,
    timed_build,
)

WORDS = {
    "fr": "collectif engagement mouvement réseau égalité justice genre femmes droits soins coalition redevabilité "
    "alliance partenaires plaidoyer politique financement communauté jeunes organisation".split(),
    "en": "collective commitment movement network equality justice gender women rights care coalition accountability "
    "alliance partners advocacy policy funding community youth organisation".split(),
}


def multiply(records: list[dict], k: int) -> list[dict]:
    out = list(records)
    for i in range(2, k + 1):
        for r in records:
            copy = json.loads(json.dumps(r))
            copy["id"] = f"{r['id']}-{i}"
            copy["name"] = {lang: f"{text} {i}" for lang, text in r["name"].items()}
            out.append(copy)
    return out


def scale_project(project: Path, k: int) -> int:
    """Multiply the data and add synthetic pages; return the number of synthetic pages per language."""
    for name, key in (("collectives", "collectives"), ("regional-highlights-2017", "networks")):
        path = project / "data" / f"{name}.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data[key] = multiply(data[key], k)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    pages = 5 * k
    rng = random.Random(k)
    for lang in ("fr", "en"):
        folder = project / "content" / lang / "synthetic"
        folder.mkdir(parents=True, exist_ok=True)
        for n in range(pages):
            paragraphs = [" ".join(rng.choice(WORDS[lang]) for _ in range(90)) + "." for _ in range(6)]
            body = "\n\n".join(f"## Section {j} {{ #section-{j} }}\n\n{p}" for j, p in enumerate(paragraphs))
            front = f"---\ndescription: Synthetic page {n} for the scale benchmark.\nsources: [unwomen-2023]\n---\n\n"
            (folder / f"page-{n:04d}.md").write_text(f"{front}# Page {n}\n\n{body}\n", encoding="utf-8")
        # the section's index page, as a real section of many pages has (navigation.indexes)
        links = "\n".join(f"- [Page {n}](page-{n:04d}.md)" for n in range(pages))
        front = "---\ndescription: The scale benchmark's synthetic pages.\nsources: [unwomen-2023]\n---\n\n"
        (folder / "index.md").write_text(f"{front}# Synthetic pages\n\n{links}\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    entries = "    - synthetic/index.md\n" + "".join(f"    - synthetic/page-{n:04d}.md\n" for n in range(pages))
    config.write_text(text.replace("\nnav:\n", f"\nnav:\n  - Synthetic:\n{entries}", 1), encoding="utf-8")
    return pages


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}" if values else "not measured"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("factors", nargs="*", type=int, default=[1, 10])
    parser.add_argument(
        "--no-prune",
        dest="prune",
        action="store_false",
        help="turn Material's navigation.prune off: every page carries the whole navigation",
    )
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="build each factor once, as `make build` does, and measure the search only",
    )
    args = parser.parse_args()
    rows = []
    for k in args.factors:
        with tempfile.TemporaryDirectory() as tmp:
            project = copy_project(Path(tmp) / "project")
            synthetic = scale_project(project, k)
            if not args.prune:
                config = project / "mkdocs.yml"
                text = config.read_text(encoding="utf-8")
                config.write_text(text.replace("    - navigation.prune\n", "", 1), encoding="utf-8")
            site, frozen = Path(tmp) / "site", Path(tmp) / "frozen"
            if args.search_only:
                parallel, _ = timed_build(project, site, strict=False, parallel=True)
                pages = sum(1 for _ in site.rglob("index.html"))
                rows.append(
                    {
                        "factor": k,
                        "pages_built": pages,
                        "parallel_seconds": round(parallel, 2),
                        "search_index": search_indexes(site),
                        "search": search_cost(site, free_port()),
                    }
                )
                print({"factor": k, "pages_built": pages, "parallel_seconds": round(parallel, 2)}, flush=True)
                continue
            # our sequential build, from empty caches (data, charts, templates), as after a fresh
            # clone; it also writes the final content for the stock build
            seconds, maxrss = timed_build(project, site, strict=False, env_extra={"KB_BENCH_FREEZE": str(frozen)})
            parallel, _ = timed_build(project, Path(tmp) / "parallel", strict=False, parallel=True)
            stock = stock_project(project, frozen, Path(tmp) / "stock")
            stock_seconds, _ = timed_build(stock, Path(tmp) / "stock-site", strict=False)
            html = (site / "menengage" / "code-of-conduct" / "index.html").read_bytes()
            index = search_indexes(site)
            cost = search_cost(site, free_port())
            pages = sum(1 for _ in site.rglob("index.html"))
            # the preview's budget is set at 10x; at 100x each whole rebuild between two saves takes minutes
            preview = preview_times(project, 3, "page") if k <= 10 else {"shown": [], "idle": []}
            rows.append(
                {
                    "factor": k,
                    "navigation_prune": args.prune,
                    "preview_page": preview,
                    "pages_built": pages,
                    "synthetic_pages_per_language": synthetic,
                    "seconds": round(seconds, 2),
                    "parallel_seconds": round(parallel, 2),
                    "stock_seconds": round(stock_seconds, 2),
                    "peak_memory_mib": round(maxrss / 1024, 1),
                    "content_page_html_raw_kib": round(len(html) / 1024, 1),
                    "content_page_html_gzip_kib": round(len(gzip.compress(html, 6)) / 1024, 1),
                    "search_index": index,
                    "search": cost,
                }
            )
            print({k: v for k, v in rows[-1].items() if not k.startswith("search")}, flush=True)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    lines = [
        "# Scale",
        "",
        f"navigation.prune: {'on' if args.prune else 'off'}. One run of each build, not strict.",
        "",
        "| factor | pages built | ours, sequential, empty caches (s) | s per page | `make build` (s) | "
        "stock sequential (s) | parallel / stock | page edit shown in the preview (s) | peak memory | "
        "content page HTML raw | gzip |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if "seconds" not in r:  # --search-only
            continue
        lines.append(
            f"| {r['factor']}x | {r['pages_built']} | {r['seconds']} | {r['seconds'] / r['pages_built']:.3f} | "
            f"{r['parallel_seconds']} | {r['stock_seconds']} | {r['parallel_seconds'] / r['stock_seconds']:.2f} | "
            f"{_median(r['preview_page']['shown'])} {r['preview_page']['shown']} | "
            f"{r['peak_memory_mib']} MiB | {r['content_page_html_raw_kib']} KiB | {r['content_page_html_gzip_kib']} KiB |"
        )
    if len(rows) > 1 and not args.search_only:
        first, last = rows[0], rows[-1]
        lines += [
            "",
            f"From {first['factor']}x to {last['factor']}x: pages x{last['pages_built'] / first['pages_built']:.1f}, "
            f"time x{last['seconds'] / first['seconds']:.1f}, "
            f"content page HTML x{last['content_page_html_raw_kib'] / first['content_page_html_raw_kib']:.1f}.",
        ]
    for r in rows:
        worst = max(v["total"]["gzip"] for v in r["search"].values())
        # 150 KB at today's size; 200 KB once the content has grown (the budget is set at 100x)
        budget = BUDGETS["search_max"] if r["factor"] == 1 else BUDGETS["search_max_100x"]
        state = "pass" if worst <= budget else "short"
        lines += [
            "",
            f"### {r['factor']}x ({r['pages_built']} pages, `make build` {r['parallel_seconds']} s): search "
            f"(largest download {worst:,} bytes; budget {budget:,}: **{state}**)",
            "",
            *search_lines(r["search"], r["search_index"]),
        ]
    (out / "scale.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
