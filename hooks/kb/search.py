"""One search index per language.

mkdocs-static-i18n builds the languages one after the other and leaves one
index with every language's pages in `search/search_index.json`. We split it:
the default language keeps `search/search_index.json`, every other language
gets `<lang>/search/search_index.json` with locations relative to its own
root, each with its own lunr language (stemmer, stop words) and separator.
"""

from __future__ import annotations

import json
from pathlib import Path

# Split words on spaces, hyphens, punctuation and apostrophes, straight or
# curly, so that "l'accessibilité" is indexed as "l" + "accessibilité".
SEPARATOR = r"""[\s\-,:;!?=\[\]()"/«»'’]+|\.(?!\d)|&[lg]t;"""
# Keep lunr's trimmer, stop words and stemmer for every language. The
# search worker wrapper (kb-search) stems prefix queries too.
PIPELINE = ["stemmer", "stopWordFilter", "trimmer"]


def split_index(site_dir: Path, default: str, others: list[str]) -> dict[str, int]:
    """Rewrite the combined index as one index per language; return entry counts."""
    path = site_dir / "search" / "search_index.json"
    combined = json.loads(path.read_text(encoding="utf-8"))
    buckets: dict[str, list[dict]] = {lang: [] for lang in [default, *others]}
    for doc in combined["docs"]:
        lang = next((o for o in others if doc["location"].startswith(f"{o}/")), default)
        if lang != default:
            doc = {**doc, "location": doc["location"][len(lang) + 1 :]}
        buckets[lang].append(doc)
    for lang, docs in buckets.items():
        config = {**combined["config"], "lang": [lang], "separator": SEPARATOR, "pipeline": PIPELINE}
        target = path if lang == default else site_dir / lang / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            json.dumps({"config": config, "docs": docs}, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
    return {lang: len(docs) for lang, docs in buckets.items()}


WORKER = """\
// Generated at build time by the knowledge base's hooks: Material's search
// worker, loaded on the first message (the index, sent when the reader opens
// the search: overrides/partials/kb-search-loader.html), with stemming kept
// for prefix queries. Material turns every query term into a prefix query
// ("femmes" -> "femmes*"), and lunr skips the stemmer for such terms, so a
// stemmed index would not find "femmes" (stem "femm"). We stem the term and
// keep the prefix: "femm*".
function kbStemPrefixQueries() {{
  // the index's search pipeline (stemmer, stop words, trimmer), known once the index is built
  var pipeline = null;
  var build = lunr.Builder.prototype.build;
  lunr.Builder.prototype.build = function () {{
    var index = build.call(this);
    pipeline = index.pipeline;
    return index;
  }};
  var load = lunr.Index.load;
  lunr.Index.load = function (serialized) {{
    var index = load.call(this, serialized);
    pipeline = index.pipeline;
    return index;
  }};
  // every query clause, including those Material parses to tell the reader
  // which words a result lacks: stemmed the same way, or every word of a
  // stemmed match would be listed as missing
  var clause = lunr.Query.prototype.clause;
  lunr.Query.prototype.clause = function (c) {{
    if (pipeline && typeof c.term === "string" && /^[^*]+\\*$/.test(c.term)) {{
      var stems = pipeline.runString(c.term.slice(0, -1));
      if (stems.length === 1 && stems[0]) c.term = stems[0] + "*";
    }}
    return clause.call(this, c);
  }};
}}
addEventListener("message", function first(event) {{
  removeEventListener("message", first);
  importScripts("{original}");
  kbStemPrefixQueries();
  // Material's worker began listening during this message: hand it over
  dispatchEvent(new MessageEvent("message", {{ data: event.data }}));
}});
"""


def write_worker(site_dir: Path) -> str:
    """Write workers/kb-search.<hash>.min.js next to Material's worker; return its name."""
    workers = site_dir / "assets" / "javascripts" / "workers"
    originals = sorted(p for p in workers.glob("search.*.min.js"))
    if len(originals) != 1:
        raise RuntimeError(f"expected one Material search worker in {workers}, found {len(originals)}")
    original = originals[0].name
    target = workers / ("kb-" + original)
    target.write_text(WORKER.format(original=original), encoding="utf-8")
    return target.name
