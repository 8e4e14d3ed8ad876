"""Every patch of MkDocs' or Jinja's internals (hooks/kb_patches.py) against the upstream code it was written for.

Each upstream function that kb_patches.py replaces, wraps, or relies on the inner workings of is pinned
by a hash of its source (MkDocs 1.6.1, Jinja 3, requirements.txt). An upgrade that changes one fails here,
with what to re-check; once checked (and kb_patches.py adapted), update the hash.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import inspect

import pytest

PINNED = [
    ("mkdocs.utils.rendering", "_strip_tags", "96740357b21a89b5",
     "kb_patches.strip_tags replaces it (titles keep no-break spaces; one pass per tag): does MkDocs still "
     "collapse whitespace with str.split(), and look the function up in mkdocs.utils.rendering?"),
    ("mkdocs.utils.rendering", "get_heading_text", "cbc8b5c2e11a0d5e",
     "it calls _strip_tags, which kb_patches replaces: does it still, by that name?"),
    ("mkdocs.utils", "write_file", "b78b4df8fc6e2cec",
     "kb_patches wraps it (OSError -> a plain problem): are its arguments (…, output_path) still the same?"),
    ("mkdocs.utils", "copy_file", "13acf82bbf64f496",
     "kb_patches wraps it (OSError -> a plain problem): is the target still its last argument?"),
    ("mkdocs.utils", "clean_directory", "a936769e2c965fc9",
     "kb_patches wraps it (OSError -> a plain problem): is the folder still its last argument?"),
    ("mkdocs.theme", "Theme.get_env", "ecccb818d4c6a22b",
     "kb_patches.list_theme_files_once wraps it and swaps the loader for _ThemeLoader: does MkDocs still "
     "make the loader there, from theme.dirs, and list the static files with loader.list_templates()?"),
    ("jinja2.loaders", "FileSystemLoader.list_templates", "a9864a4d5f70c32e",
     "kb_patches._ThemeLoader.list_templates replaces it: does it still list every file of the searchpath?"),
    ("mkdocs.structure.pages", "Page.render", "3df03bde9a37e734",
     "kb_patches.render_cached stores what it sets (content, toc, _title_from_render, present_anchor_ids, "
     "links_to_anchors) in the page cache: does it still set exactly these?"),
    ("mkdocs.structure.pages", "Page.title", "2fe5d8fbd477e121",
     "kb_patches.keep_title and the page cache set _title_from_render: is it still what Page.title returns first?"),
    ("jinja2.sandbox", "SandboxedEnvironment.__init__", "4075954a7ea37168",
     "kb_patches.sandbox turns the theme's environment into a sandbox by swapping its class and setting what "
     "this sets (globals['range'], binop_table, unop_table): does it still set only these?"),
    ("jinja2.environment", "Environment.handle_exception", "fcda2543e81b3824",
     "kb_patches._ThemeSandbox.handle_exception re-raises through it to get the templates' lines"),
    ("mkdocs.structure.pages", "_RelativePathTreeprocessor.path_to_url", "5dd8cbedad5ab623",
     "kb_patches.DOC_FILE reads the file and link from its warnings (\"Doc file '…' contains a link '…'\"), "
     "and kb.links.plain rewords them: are the words the same?"),
    ("mkdocs.structure.nav", "_data_to_navigation", "f5f1f876b8246bc4",
     "kb_patches.mkdocs_problem reads its warnings about nav entries ('nav', the page's path): same words?"),
]


def source_of(module: str, qualname: str) -> str:
    """The source of `qualname` as written in `module`'s file (not as patched at run time), normalised."""
    node = ast.parse(inspect.getsource(importlib.import_module(module)))
    for part in qualname.split("."):
        node = next(
            n for n in ast.iter_child_nodes(node)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and n.name == part
        )
    return ast.unparse(node)


@pytest.mark.parametrize(("module", "qualname", "pinned", "recheck"), PINNED, ids=[f"{m}.{q}" for m, q, *_ in PINNED])
def test_upstream_code_is_the_one_patched(module, qualname, pinned, recheck):
    digest = hashlib.sha256(source_of(module, qualname).encode()).hexdigest()[:16]
    assert digest == pinned, f"{module}.{qualname} changed upstream: re-check hooks/kb_patches.py: {recheck}"


def test_the_patches_are_in_place():
    """Importing the patches module installs the module-level ones (the adapter imports it)."""
    import kb_patches
    from mkdocs import utils
    from mkdocs.utils import rendering

    assert rendering._strip_tags is kb_patches.strip_tags
    assert rendering._strip_tags("a<b>\u00a0:</b>  c") == "a\u00a0: c"  # the no-break space kept
    for name in ("write_file", "copy_file", "clean_directory"):
        assert getattr(getattr(utils, name), "kb_checked", False), name


def test_a_failed_write_is_a_plain_problem(tmp_path):
    import kb_patches
    from mkdocs import utils
    from mkdocs.exceptions import PluginError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(PluginError, match="cannot be written"):
        utils.write_file(b"x", str(blocker / "index.html"))
    assert kb_patches.unwritable("site", OSError(28, "No space left on device")).endswith("then build again")
