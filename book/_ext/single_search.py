"""One search box, and the sidebar's title in view.

A local Sphinx extension (listed in _config.yml). pydata-sphinx-theme (0.17.1 and later) fills in a default for its
`navbar_persistent` option from Python, which brings back the header bar that sphinx-book-theme hides: a second
search box across the top of every page, above the sidebar's own, with the sidebar's title pushed out of view.
Setting the option to an empty list keeps that bar off. It is set here rather than in _config.yml because
`html_theme_options` there would replace the options Jupyter Book generates (repository and launch buttons).
"""


def no_header_search(app, config):
    options = dict(config.html_theme_options or {})
    options["navbar_persistent"] = []
    config.html_theme_options = options


def setup(app):
    app.connect("config-inited", no_header_search, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
