"""Publishing pull requests' previews on GitHub Pages (.github/workflows/publish.yml).

A pull request's site is built without write access (.github/workflows/preview.yml) and kept
as an artifact; this module, run from main (reviewed code) by the publishing workflow, reads
that artifact as data and never runs anything from it:

- `number`: the pull request's number written in the artifact, refused unless it is a number
  (the workflow then checks with GitHub's API that this pull request's head is the commit built);
- `check`: the preview may not carry a script the published site does not (pages read with an HTML5
  parser, lexbor, as browsers read them: `<!-->` ends a comment there): every script file
  byte for byte one of the published site's, every inline script one the published pages have,
  no `on…=` attribute, no `javascript:` address, no frame or object, no symbolic link, only the
  site's kinds of files. A fork's pull request can change the build's code; this check does not
  depend on it;
- `place`: the preview into `previews/pr-<number>/` of the Pages branch (the site at its root);
  `place-site`: the published site at the root, the previews kept.

The previews are marked `noindex` by the build (KB_NOINDEX) and listed nowhere.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import sys
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from .safety import _sha256, unsafe_url

PREVIEWS = "previews"
# The kinds of files a built site holds (Material, Pagefind, our charts and downloads).
ALLOWED = frozenset(
    {
        ".html", ".css", ".js", ".json", ".xml", ".gz", ".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif",
        ".ico", ".csv", ".txt", ".map", ".woff", ".woff2", ".wasm", ".pagefind", ".pf_fragment",
        ".pf_index", ".pf_meta", ".webmanifest", ".nojekyll",
    }
)  # fmt: skip
RUNS = frozenset({".js", ".wasm"})  # files a browser runs: only those the published site has
FRAMES = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "base"})
OTHER_SITE = re.compile(r"^[a-z][a-z0-9+.-]*:|^//", re.IGNORECASE)
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "poster", "data", "xlink:href"})


def number(artifact: Path) -> int:
    """The pull request's number the preview's build wrote (`preview-info/number`); ValueError if not a number."""
    text = (artifact / "preview-info" / "number").read_text(encoding="ascii", errors="replace").strip()
    if not re.fullmatch(r"[1-9][0-9]{0,9}", text):
        raise ValueError(f"not a pull request's number: {text[:40]!r}")
    return int(text)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def reference(published: Path) -> tuple[set[str], set[str]]:
    """(hashes of the script files, CSP hashes of the inline scripts) of the published site, previews left out."""
    files, inline = set(), set()
    for path in published.rglob("*"):
        rel = path.relative_to(published).parts
        if not path.is_file() or path.is_symlink() or rel[:1] in ((PREVIEWS,), (".git",)):
            continue
        if path.suffix in RUNS:
            files.add(_sha(path))
        elif path.suffix == ".html":
            inline.update(inline_scripts(path.read_text(encoding="utf-8", errors="replace")))
    return files, inline


def inline_scripts(html: str) -> list[str]:
    """The CSP hashes of a page's inline scripts, found as a browser finds them."""
    return [_sha256(node.text(deep=True) or "") for node in LexborHTMLParser(html).css("script")
            if "src" not in node.attributes]


DATA_THAT_RUNS = re.compile(r"html|javascript|ecmascript|svg|xml", re.IGNORECASE)


def _runs(url: str) -> bool:
    """An address that runs code when followed: another scheme than the site's (the citation
    downloads are `data:` addresses of text types, allowed)."""
    compact = re.sub(r"[\x00-\x20\x7f]+", "", url)
    if compact.lower().startswith("data:"):
        return bool(DATA_THAT_RUNS.search(compact.split(",", 1)[0]))
    return unsafe_url(url) is not None


def _page_problems(html: str) -> list[str]:
    found: list[str] = []
    document = LexborHTMLParser(html)
    for node in document.root.traverse(include_text=False) if document.root is not None else ():
        tag = node.tag
        if tag in FRAMES:
            found.append(f"a <{tag}> element")
        for name, value in node.attributes.items():
            name = name.lower()
            if name.startswith("on"):
                found.append(f"an attribute {name}=")
            elif name in URL_ATTRIBUTES and value and _runs(value):
                found.append(f"an address {value[:40]!r}")
            elif tag == "script" and name == "src" and value and OTHER_SITE.match(value):
                found.append(f"a script from another site, {value[:60]!r}")
        if tag == "meta" and (node.attributes.get("http-equiv") or "").lower() == "refresh":
            found.append("a <meta http-equiv=refresh> (it sends readers elsewhere)")
    return found


def check(site: Path, published: Path) -> list[str]:
    """Why the preview in `site` may not be published beside the site in `published` (empty: it may)."""
    files, inline = reference(published)
    problems = []
    if not files:
        problems.append("the published site has no script to compare with: publish main first")
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.is_symlink():
            problems.append(f"{rel}: a symbolic link")
        elif not path.is_file():
            continue
        elif path.suffix not in ALLOWED and path.name != ".nojekyll":
            problems.append(f"{rel}: not a kind of file the site has ({path.suffix or 'no extension'})")
        elif path.suffix in RUNS and _sha(path) not in files:
            problems.append(f"{rel}: a script the published site does not have")
        elif path.suffix == ".html":
            html = path.read_text(encoding="utf-8", errors="replace")
            problems += [f"{rel}: {p}" for p in _page_problems(html)]
            unknown = [h for h in inline_scripts(html) if h not in inline]
            problems += [f"{rel}: an inline script the published site does not have" for _ in unknown]
    return problems


def _replace(target: Path, source: Path, keep: tuple[str, ...] = ()) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for path in target.iterdir():
        if path.name in keep:
            continue
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    for path in source.iterdir():
        if path.is_dir():
            shutil.copytree(path, target / path.name)
        else:
            shutil.copy2(path, target / path.name)


def place(site: Path, pages: Path, pr: int) -> Path:
    """Copy the preview into `<pages>/previews/pr-<pr>/` (replacing the last one); return where."""
    target = pages / PREVIEWS / f"pr-{int(pr)}"
    _replace(target, site)
    return target


def place_site(site: Path, pages: Path) -> None:
    """The published site at the root of the Pages branch; its previews and Git's folder kept."""
    _replace(pages, site, keep=(".git", PREVIEWS))
    (pages / ".nojekyll").write_text("", encoding="utf-8")  # serve Material's _-prefixed files as they are


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="previews", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("number").add_argument("artifact", type=Path)
    checking = sub.add_parser("check")
    checking.add_argument("site", type=Path)
    checking.add_argument("published", type=Path)
    placing = sub.add_parser("place")
    placing.add_argument("site", type=Path)
    placing.add_argument("pages", type=Path)
    placing.add_argument("number", type=int)
    whole = sub.add_parser("place-site")
    whole.add_argument("site", type=Path)
    whole.add_argument("pages", type=Path)
    args = parser.parse_args(argv)
    if args.command == "number":
        try:
            print(number(args.artifact))
        except (OSError, ValueError) as exc:
            print(f"the preview names no pull request: {exc}", file=sys.stderr)
            return 2
    elif args.command == "check":
        problems = check(args.site, args.published)
        if problems:
            print(f"the preview is not published ({len(problems)} problems):", file=sys.stderr)
            print("\n".join(f"  - {p}" for p in problems), file=sys.stderr)
            return 1
    elif args.command == "place":
        print(place(args.site, args.pages, args.number).relative_to(args.pages).as_posix())
    else:
        place_site(args.site, args.pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
