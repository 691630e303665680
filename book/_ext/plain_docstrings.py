"""Show the package's docstrings as written, in the API pages.

A local Sphinx extension (listed in _config.yml). The package's docstrings are plain text laid out for help() and a
notebook's `?`: one line per argument with its shape. reStructuredText would join those lines into one paragraph
and read characters such as `*`, `|` and `**` as markup, so each docstring is shown as a preformatted block instead.
"""


def preformat(app, what, name, obj, options, lines):
    if any(line.strip() for line in lines):
        text = [line.rstrip() for line in lines]
        while text and not text[-1]:
            text.pop()
        lines[:] = ["::", ""] + ["    " + line if line else "" for line in text] + [""]


def setup(app):
    app.connect("autodoc-process-docstring", preformat)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
