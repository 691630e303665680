"""Serve MathJax from the book itself, so that math renders with no network.

A local Sphinx extension (listed in _config.yml). MathJax 3 comes from the PyPI package django-static-mathjax
(installed by the book extra; it ships MathJax's es5 build and has no dependencies). After the HTML is written,
the parts a page needs (the tex-mml-chtml combined component, the TeX input extensions it may autoload, the CommonHTML
output with its fonts, the menu and the accessibility components) are copied into _build/html/_static/mathjax/, and
_config.yml points mathjax_path at mathjax/tex-mml-chtml.js (relative to _static).
"""

import shutil
from pathlib import Path

from sphinx.errors import ExtensionError

COPIED = ["tex-mml-chtml.js", "input", "output/chtml", "ui", "a11y", "adaptors"]


def mathjax_source():
    """The es5 folder of the installed MathJax package."""
    try:
        import mathjax
    except ImportError:
        raise ExtensionError("MathJax for offline math is missing: install the book extra, "
                             "pip install -e \".[book]\" (it brings django-static-mathjax)") from None
    source = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    if not (source / "tex-mml-chtml.js").is_file():
        raise ExtensionError(f"{source} does not hold MathJax's tex-mml-chtml.js")
    return source


def check_config(app, config):
    if config.mathjax_path != "mathjax/tex-mml-chtml.js":
        raise ExtensionError(f"offline_mathjax copies MathJax to _static/mathjax/; set mathjax_path to "
                             f"'mathjax/tex-mml-chtml.js' (it is {config.mathjax_path!r})")
    mathjax_source()


def copy_mathjax(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    source, target = mathjax_source(), Path(app.outdir) / "_static" / "mathjax"
    for part in COPIED:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part, dirs_exist_ok=True)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / part, target / part)


def setup(app):
    app.connect("config-inited", check_config)
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
