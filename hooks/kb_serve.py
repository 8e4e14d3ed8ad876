"""`make serve`: the live preview, the open page first.

MkDocs' own `serve` rebuilds the whole site, both languages, after every save
and the browser waits for all of it (3 to 4 seconds here). This preview uses
MkDocs' development server and build, with three changes:

- files are watched with the system's notifications (watchdog's native
  observer) rather than polled every half second;
- after an edit, a first pass builds only the pages open in a browser (the
  server learns them from the browsers' live-reload requests), in their
  language, into the served folder; the browsers reload as soon as it is done;
- a second pass builds the whole site (both languages, every page, the search
  index, every check and problem report) into a new folder, which then
  replaces the served one. An edit arriving meanwhile stops it and both passes
  start again. Browsers reload a second time only if the page they show came
  out different from the first pass.

So the page being edited shows within about a second, and every other page,
link check and problem report is the whole build's, a few seconds later
(`kb/preview.py` is what the hooks read; tests/test_serve.py checks both).

    python hooks/kb_serve.py [--dev-addr 127.0.0.1:8000] [-f mkdocs.yml]
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import watchdog.events
import watchdog.observers

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kb import engine, languages, preview, urls  # noqa: E402

log = logging.getLogger("mkdocs.kb_serve")
ENGINE = engine.name()
build = engine.module("commands.build").build
load_config = engine.module("config").load_config
livereload = engine.module("livereload")
exceptions = engine.module("exceptions")
# how long a browser counts as showing a page after its last live-reload request
# (a browser renews its request every minute while the page stays open)
VIEWER_TTL = 90.0
LIVERELOAD_JS = "/.kb-livereload.js"  # the address of hooks/kb_livereload.js in the preview
LIVERELOAD_CODE = (Path(__file__).parent / "kb_livereload.js").read_bytes()


class _Quiet(logging.Filter):
    """The first pass is MkDocs' "dirty" build, on purpose; a superseded build is no error."""

    def filter(self, record):
        message = record.getMessage()
        return "'dirty' build" not in message and str(preview.Superseded()) not in message


class _NoFavicon(logging.Filter):
    """Browsers ask every site for /favicon.ico; its 404 is no problem of the editor's."""

    def filter(self, record):
        return "/favicon.ico" not in record.getMessage()


class PreviewServer(livereload.LiveReloadServer):
    def __init__(self, config_file: str, site_dir: Path, host: str, port: int, mount_path: str):
        super().__init__(builder=lambda: None, host=host, port=port, root=str(site_dir), mount_path=mount_path)
        self.config_file = config_file
        self.observer = watchdog.observers.Observer()  # the system's notifications, not polling
        self.changed: set[str] = set()
        self.viewers: dict[str, float] = {}  # address of an open page -> last time its browser asked
        self.pass_ = preview.Pass()
        self.last_pages: dict[str, tuple[str | None, dict]] = {}  # address -> title, metadata (kb/preview.py)
        self.error_handler = self._error_page
        self._old: list[Path] = []

    # --- what changed, and who is looking -------------------------------------------------

    def watch(self, path: str, func=None, *, recursive: bool = True) -> None:
        path = str(Path(path).resolve())
        if path in self._watched_paths:
            return
        self._watched_paths[path] = 1
        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = self._on_change
        if Path(path).is_dir():
            self._watch_refs[path] = self.observer.schedule(handler, path, recursive=recursive)
        else:  # a file (mkdocs.yml): its folder, not what is below it
            self._watch_refs[path] = self.observer.schedule(handler, str(Path(path).parent), recursive=False)

    def _on_change(self, event) -> None:
        if event.is_directory or event.event_type in ("opened", "closed", "closed_no_write"):
            return
        paths = {event.src_path, getattr(event, "dest_path", "") or ""} - {""}
        if not any(self._is_watched(p) and not _scratch(p) for p in paths):
            return
        with self._rebuild_cond:
            self.changed |= paths
            self._want_rebuild = True
            self.pass_.cancel.set()  # a build in progress would show an old state
            self._rebuild_cond.notify_all()

    def _is_watched(self, path: str) -> bool:
        return any(path == w or path.startswith(w.rstrip("/") + "/") for w in self._watched_paths)

    def _serve_request(self, environ, start_response):
        path = environ["PATH_INFO"]
        if path == LIVERELOAD_JS:
            start_response("200 OK", [("Content-Type", "text/javascript"), ("Cache-Control", "no-store")])
            return [LIVERELOAD_CODE]
        if path.startswith("/livereload/"):
            page = parse_qs(environ.get("QUERY_STRING", "")).get("page")
            if page:
                if page[0] not in self.viewers:
                    log.info("Browser connected: %s", page[0])
                self.viewers[page[0]] = time.monotonic()
        return super()._serve_request(environ, start_response)

    def _log_poll_request(self, url, request_id):
        pass  # logged above, with the page (the pages send no Referer)

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        """MkDocs' live reload, as a script file that the pages' security policy lets run."""
        tag = f'<script src="{LIVERELOAD_JS}" data-epoch="{epoch}" data-id="{livereload._timestamp()}"></script>'
        end = content.rfind(b"</body>")
        end = len(content) if end < 0 else end
        return content[:end] + tag.encode() + content[end:]

    def viewed(self) -> set[str]:
        """Addresses (relative to the site, as MkDocs' `file.url`) of the pages open in a browser."""
        now = time.monotonic()
        found = set()
        for path, seen in list(self.viewers.items()):
            if now - seen > VIEWER_TTL:
                self.viewers.pop(path, None)
            elif path.startswith(self.mount_path):
                found.add(urls.url_of(path[len(self.mount_path) :]))
        return found

    def _error_page(self, code: int) -> bytes | None:
        page = Path(self.root) / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    # --- building ---------------------------------------------------------------------------

    def _config(self, site_dir: Path):
        config = load_config(config_file=self.config_file, site_dir=str(site_dir))
        config.site_url = self.url
        return config

    def _build(self, site_dir: Path, pass_: preview.Pass, dirty: bool = False) -> None:
        self.pass_ = pass_
        pass_.last_pages = self.last_pages  # the titles of the last whole build, for the first pass
        config = self._config(site_dir)
        config.kb_preview = pass_  # what the hooks read of this pass (kb_site.Build)
        try:
            build(config, serve_url=self.url, dirty=dirty)
        except exceptions.Abort:
            pass  # the problems are printed; the preview shows the site with them (problem pages)

    def build_open_pages(self, viewed: set[str], cancel: threading.Event) -> None:
        """The first pass: the open pages only, each language on its own, into the served folder."""
        langs = languages.read(Path(self.config_file))
        by_lang: dict[str, set[str]] = {}
        for url in viewed:
            by_lang.setdefault(urls.split_language(url, (langs.source, *langs.targets))[0], set()).add(url)
        for lang, pages in sorted(by_lang.items()):
            self._build(Path(self.root), preview.Pass(lang, frozenset(pages), cancel), dirty=True)

    def build_site(self, cancel: threading.Event) -> Path:
        """The second pass: the whole site into a new folder."""
        target = Path(tempfile.mkdtemp(prefix="kb-preview-"))
        try:
            self._build(target, preview.Pass(cancel=cancel))
            if cancel.is_set():
                raise preview.Superseded()
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        return target

    def publish(self) -> None:
        """Browsers reload: the served folder holds the new state."""
        with self._epoch_cond:
            self._visible_epoch = self._wanted_epoch
            self._epoch_cond.notify_all()

    def swap(self, target: Path, viewed: set[str]) -> None:
        """Serve the whole build; reload the open pages if they differ from what they show."""
        before = {url: _read(Path(self.root), url) for url in viewed}
        old, self.root = Path(self.root), str(target)
        for stale in self._old:  # kept one round for the requests that were reading them
            shutil.rmtree(stale, ignore_errors=True)
        self._old = [old]
        if any(_read(target, url) != html for url, html in before.items()):
            with self._epoch_cond:
                self._wanted_epoch = self._visible_epoch = livereload._timestamp()
                self._epoch_cond.notify_all()

    def _build_loop(self):
        while True:
            with self._rebuild_cond:
                while not self._rebuild_cond.wait_for(
                    lambda: self._want_rebuild or self._shutdown, timeout=self.shutdown_delay
                ):
                    pass
                if self._shutdown:
                    break
                while self._rebuild_cond.wait(timeout=self.build_delay):
                    pass  # until the files stop changing
                self._wanted_epoch = livereload._timestamp()
                self._want_rebuild = False
                changed, self.changed = sorted(self.changed), set()
                cancel = threading.Event()
                self.pass_ = preview.Pass(cancel=cancel)
            log.info("Changed: %s", ", ".join(_relative(p) for p in changed[:5]) + (" …" if len(changed) > 5 else ""))
            superseded = False
            try:
                self._rebuild(cancel)
            except preview.Superseded:
                superseded = True
                log.info("A newer edit: building again")
            except Exception:
                traceback.print_exc()
                log.error("The rebuild failed; the preview shows the last build until the next edit.")
            finally:
                # pages wait while a build is under way (MkDocs' server): whatever happened, they
                # wait no longer, unless the next round, already due, is what they wait for
                if not (superseded and self._want_rebuild):
                    self.publish()

    def _rebuild(self, cancel: threading.Event) -> None:
        """Both passes after an edit: the open pages, published; then the whole site, swapped in."""
        viewed = self.viewed()
        if viewed:
            started = time.perf_counter()
            try:
                self.build_open_pages(viewed, cancel)
            except preview.Superseded:
                raise
            except Exception:
                log.debug("the first pass failed:\n%s", traceback.format_exc())  # the whole build says why
            log.info("Open pages rebuilt in %.2f s: %s", time.perf_counter() - started, ", ".join(sorted(viewed)))
        self.publish()
        started = time.perf_counter()
        target = self.build_site(cancel)
        self.swap(target, viewed)
        log.info("Whole site rebuilt in %.2f s", time.perf_counter() - started)


def _scratch(path: str) -> bool:
    """Files that are no one's edit: Python's compiled modules, editors' backup and swap files."""
    name = Path(path).name
    return "__pycache__" in Path(path).parts or name.endswith(("~", ".swp", ".swx")) or name.startswith(".#")


def _read(site: Path, url: str) -> bytes | None:
    page = site / urls.dest_of(url)
    try:
        return page.read_bytes()
    except OSError:
        return None


def _relative(path: str) -> str:
    try:
        return Path(path).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Live preview of the site, the open page first.")
    parser.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="host:port to serve on")
    parser.add_argument("-f", "--config-file", default="mkdocs.yml")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    for name in ("mkdocs.commands.build", "mkdocs.commands", "mkdocs"):
        logging.getLogger(name).addFilter(_Quiet())
    logging.getLogger("mkdocs.livereload").addFilter(_NoFavicon())
    host, _, port = args.dev_addr.rpartition(":")
    config_file = str(Path(args.config_file).resolve())
    site_dir = Path(tempfile.mkdtemp(prefix="kb-preview-"))
    config = load_config(config_file=config_file, site_dir=str(site_dir))
    config.plugins.on_startup(command="serve", dirty=False)
    mount_path = urlsplit(config.site_url or "/").path
    server = PreviewServer(config_file, site_dir, host, int(port), mount_path)
    server._build(site_dir, preview.Pass())
    for path in [config.docs_dir, config_file, *config.watch]:
        server.watch(path)
    if config.theme.custom_dir:
        server.watch(config.theme.custom_dir)
    try:
        server.serve()
    except KeyboardInterrupt:
        log.info("Shutting down...")
    finally:
        server.shutdown()
        for folder in [Path(server.root), *server._old, site_dir]:
            shutil.rmtree(folder, ignore_errors=True)
        config.plugins.on_shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
