"""Keep the export directives out of the published book.

A local Sphinx extension (listed in _config.yml). In a chapter notebook, `#| default_exp topic` and `#| export` lines
tell the exporter (nnfromscratch/_authoring.py) which cells become the package; they mean nothing to a reader. Before
a notebook is parsed, every line of a code cell that starts with `#|` is dropped from the source shown in the book,
and a cell left with no code (the `#| default_exp` cell) is tagged `remove-cell`, so the book does not show it. The
notebook files are not changed: in Jupyter the directives stay where the exporter needs them.
"""

import json
import re

DIRECTIVE = re.compile(r"^\s*#\|")


def strip_directives(notebook):
    """Remove the `#|` lines of every code cell of a notebook (a dict as nbformat stores it), in place; tag cells
    left empty `remove-cell`. Returns the notebook."""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        lines = ("".join(source) if isinstance(source, list) else source).splitlines(keepends=True)
        kept = [line for line in lines if not DIRECTIVE.match(line)]
        if len(kept) == len(lines):
            continue
        while kept and not kept[0].strip():  # no blank first line where a directive was
            kept.pop(0)
        cell["source"] = "".join(kept)
        if not "".join(kept).strip():
            tags = cell.setdefault("metadata", {}).setdefault("tags", [])
            if "remove-cell" not in tags:
                tags.append("remove-cell")
    return notebook


def hide_directives(app, docname, source):
    if not str(app.env.doc2path(docname)).endswith(".ipynb"):
        return
    source[0] = json.dumps(strip_directives(json.loads(source[0])), ensure_ascii=False)


def setup(app):
    app.connect("source-read", hide_directives)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
