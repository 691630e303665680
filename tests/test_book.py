"""The book's wiring: API pages, chapter links, the table of contents, and the local Sphinx extensions."""

import importlib
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from nnfromscratch import _authoring as authoring

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))


def chapter_modules():
    """(notebook path, module name) for every chapter that exports a module."""
    return [(module.notebook, module.name) for module in map(authoring.read_module, authoring.chapter_notebooks(ROOT / "book"))
            if module is not None]


def test_every_module_has_an_api_page_and_its_chapter_links_to_it():
    toc = (ROOT / "_toc.yml").read_text()
    for notebook, name in chapter_modules():
        page = ROOT / "book" / "api" / f"{name}.md"
        assert page.is_file(), f"no API page for nnfromscratch.{name}"
        assert f".. automodule:: nnfromscratch.{name}" in page.read_text()
        assert f"{{doc}}`../{notebook.stem}`" in page.read_text(), f"{page.name} does not link to its chapter"
        assert f"{{doc}}`api/{name}`" in notebook.read_text(), f"{notebook.name} does not link to its API page"
        assert f"file: book/api/{name}" in toc and f"file: book/{notebook.stem}" in toc
        docstring = importlib.import_module(f"nnfromscratch.{name}").__doc__
        assert f"chapter {int(notebook.name[:2])}" in docstring, f"nnfromscratch.{name}'s docstring must name its chapter"


def test_every_chapter_notebook_is_in_the_table_of_contents_in_order():
    toc = (ROOT / "_toc.yml").read_text()
    listed = re.findall(r"file: book/(\d\d_\w+)", toc)
    assert listed == [p.stem for p in authoring.chapter_notebooks(ROOT / "book")]


def test_every_cited_key_is_in_the_bibliography():
    keys = set(re.findall(r"@\w+\{([^,]+),", (ROOT / "book" / "references.bib").read_text()))
    sources = [p.read_text() for p in (ROOT / "book").rglob("*") if p.suffix in (".md", ".ipynb")]
    cited = {key for text in sources for key in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", text)}
    assert cited and cited <= keys, f"cited but not in references.bib: {sorted(cited - keys)}"


def test_plain_docstrings_shows_docstrings_as_preformatted_text():
    from plain_docstrings import preformat

    lines = ["Forward pass.", "", "X: (n_x, m) inputs", "W[l] = scale * N(0, 1), ||W||**2", ""]
    preformat(None, "function", "f", None, {}, lines)
    assert lines == ["::", "", "    Forward pass.", "", "    X: (n_x, m) inputs", "    W[l] = scale * N(0, 1), ||W||**2", ""]
    empty = []
    preformat(None, "function", "f", None, {}, empty)
    assert empty == []


def test_unique_scripts_drops_exact_duplicates_only():
    from unique_scripts import drop_duplicate_scripts

    def script(filename, **attributes):
        return SimpleNamespace(filename=filename, attributes=attributes)

    scripts = [script("a.js"), script(None, body="const X = 1"), script("b.js", **{"async": "async"}),
               script("", body="const X = 1"), script("a.js"), script(None, body="const Y = 2")]
    context = {"script_files": scripts}
    drop_duplicate_scripts(None, "page", "page.html", context, None)
    assert [(s.filename, s.attributes.get("body")) for s in context["script_files"]] == [
        ("a.js", None), (None, "const X = 1"), ("b.js", None), (None, "const Y = 2")]


def test_offline_mathjax_insists_on_the_local_path():
    offline_mathjax = pytest.importorskip("offline_mathjax")
    pytest.importorskip("sphinx")
    from sphinx.errors import ExtensionError

    with pytest.raises(ExtensionError, match="set mathjax_path to 'mathjax/tex-mml-chtml.js'"):
        offline_mathjax.check_config(None, SimpleNamespace(mathjax_path="https://cdn.example/mathjax.js"))


def test_hide_directives_strips_export_lines_and_removes_directive_only_cells():
    from hide_directives import strip_directives

    notebook = {"cells": [
        {"cell_type": "code", "metadata": {}, "source": ["#| default_exp data"]},
        {"cell_type": "code", "metadata": {"tags": ["hide-input"]}, "source": ["#| export\n", "def f(x):\n", "    return x\n"]},
        {"cell_type": "code", "metadata": {}, "source": "x = 1  # a comment with #| inside stays\n"},
        {"cell_type": "markdown", "metadata": {}, "source": ["#| not code, untouched"]},
    ]}
    cells = strip_directives(notebook)["cells"]
    assert cells[0]["metadata"]["tags"] == ["remove-cell"]
    assert cells[1]["source"] == "def f(x):\n    return x\n" and cells[1]["metadata"]["tags"] == ["hide-input"]
    assert cells[2]["source"] == "x = 1  # a comment with #| inside stays\n" and "tags" not in cells[2]["metadata"]
    assert cells[3]["source"] == ["#| not code, untouched"]



def test_single_search_turns_the_header_bar_off_and_keeps_the_other_theme_options():
    from single_search import no_header_search

    config = SimpleNamespace(html_theme_options={"repository_url": "https://example.org/repo", "use_repository_button": True})
    no_header_search(None, config)
    assert config.html_theme_options == {"repository_url": "https://example.org/repo", "use_repository_button": True,
                                         "navbar_persistent": []}
