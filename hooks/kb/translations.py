"""Translation status of pages and data fields.

French is the source language. A page is:

- **translated** when `content/en/<path>` exists and its front matter
  `translation_of:` equals the hash of the French original's text;
- **outdated** when the hash differs (the French page changed since the
  translation was made) or is absent;
- **missing** when `content/en/<path>` does not exist (the English site then
  shows the French page with a notice).

The hash is computed from the file's content, not from Git history, so it
survives shallow clones and rebases. `python -m kb.translations done FILE`
(``make translations-done PAGE=FILE``) records the current hash in a
translation after it has been brought up to date.

A data field is missing its translation when a bilingual field has `fr` but
no `en`; the site then shows the French text marked `lang="fr"`.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .languages import project
from .yamlfile import Loader

SOURCE = project().source  # the languages of mkdocs.yml
TARGETS = project().targets
KEY = "translation_of"
FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.DOTALL)


@dataclass(frozen=True)
class Status:
    kind: str  # "page" or "data"
    path: str  # page path relative to the language folder, or "data/x.yml"
    lang: str  # the language whose version is concerned
    state: str  # translated | outdated | missing
    field: str = ""  # for data: the field path
    line: int | None = None


def split_front_matter(text: str) -> tuple[dict, str]:
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.load(match.group(1), Loader=Loader)
    except yaml.YAMLError:  # reported with its line by kb.pagefile
        meta = None
    return (meta if isinstance(meta, dict) else {}), text[match.end() :]


@lru_cache(maxsize=4096)
def _file_info(path: Path, mtime_ns: int, size: int) -> tuple[str, str]:
    """(hash of the body, recorded translation_of) of one file; cached while the file is unchanged."""
    text = path.read_text(encoding="utf-8", errors="replace")  # not UTF-8: reported by kb.pagefile
    meta, _ = split_front_matter(text)
    return source_hash(text), str(meta.get(KEY, ""))


def file_info(path: Path) -> tuple[str, str]:
    stat = path.stat()
    return _file_info(path, stat.st_mtime_ns, stat.st_size)


def source_hash(text: str) -> str:
    """Hash of a French page's body (front matter excluded, line endings and trailing spaces normalised)."""
    _, body = split_front_matter(text.replace("\r\n", "\n"))
    body = "\n".join(line.rstrip() for line in body.strip().splitlines())
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]


def page_statuses(content: Path) -> list[Status]:
    out = []
    source_root = content / SOURCE
    for src in sorted(source_root.rglob("*.md")):
        rel = src.relative_to(source_root).as_posix()
        for lang in TARGETS:
            out.append(Status("page", rel, lang, page_state(content, rel, lang)))
    for lang in TARGETS:
        for target in sorted((content / lang).rglob("*.md")):
            rel = target.relative_to(content / lang).as_posix()
            if not (source_root / rel).exists():
                out.append(Status("page", rel, SOURCE, "missing"))
    return out


def page_state(content: Path, rel: str, lang: str) -> str:
    """The state of one page in one language: translated, outdated, missing (or source)."""
    if lang == SOURCE:
        return "source"
    src, target = content / SOURCE / rel, content / lang / rel
    if not target.exists():
        return "missing"
    if not src.exists():
        return "translated"
    return "translated" if file_info(target)[1] == file_info(src)[0] else "outdated"


def _walk_text_fields(value, path, found):
    if isinstance(value, dict):
        if SOURCE in value and isinstance(value[SOURCE], str) and set(value) <= {SOURCE, *TARGETS}:
            found.append((path, value))
            return
        for key, sub in value.items():
            _walk_text_fields(sub, (*path, key), found)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _walk_text_fields(item, (*path, i), found)


def data_statuses(data) -> list[Status]:
    """Every bilingual data field missing a translation."""
    from .problems import field_path

    out = []
    for doc in data.files.values():
        fields: list = []
        _walk_text_fields(doc.data, (), fields)
        for path, value in fields:
            for lang in TARGETS:
                if not value.get(lang):
                    out.append(Status("data", doc.file, lang, "missing", field_path(path), doc.line_of(path)))
    return out


def mark_done(path: Path, content: Path) -> str:
    """Record in a translation the hash of its French original; return the hash."""
    path = path.resolve()
    lang = path.relative_to(content.resolve()).parts[0]
    rel = path.relative_to((content / lang).resolve()).as_posix()
    digest = source_hash((content / SOURCE / rel).read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    if match:
        lines = [line for line in match.group(1).splitlines() if not line.startswith(f"{KEY}:")]
        lines.append(f"{KEY}: {digest}")
        text = "---\n" + "\n".join(lines) + "\n---\n" + text[match.end() :]
    else:
        text = f"---\n{KEY}: {digest}\n---\n\n" + text
    path.write_text(text, encoding="utf-8")
    return digest


def main(argv=None) -> int:
    root = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(prog="translations", description="Translation status of pages and data.")
    sub = parser.add_subparsers(dest="command", required=True)
    report = sub.add_parser("report", help="print the status of every page and data field")
    report.add_argument("--strict", action="store_true", help="exit 1 if anything is missing or outdated")
    report.add_argument("--all", action="store_true", help="also list what is translated")
    done = sub.add_parser("done", help="record that translations are up to date with their French original")
    done.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    content = root / "content"
    if args.command == "done":
        for f in args.files:
            print(f"{f}: {KEY} {mark_done(f, content)}")
        return 0
    from .data import load_data

    statuses = page_statuses(content) + data_statuses(load_data(root / "data", root))
    pending = [s for s in statuses if s.state != "translated"]
    for s in statuses if args.all else pending:
        where = f"content/{s.lang}/{s.path}" if s.kind == "page" else f"{s.path}:{s.line}: {s.field}"
        print(f"{s.state:<10} {s.lang}  {where}")
    pages = [s for s in statuses if s.kind == "page"]
    counts = {state: sum(1 for s in pages if s.state == state) for state in ("translated", "outdated", "missing")}
    data_missing = sum(1 for s in statuses if s.kind == "data")
    print(
        f"pages: {counts['translated']} translated, {counts['outdated']} outdated, {counts['missing']} missing; "
        f"data fields: {data_missing} missing a translation"
    )
    return 1 if args.strict and pending else 0


if __name__ == "__main__":
    sys.exit(main())
