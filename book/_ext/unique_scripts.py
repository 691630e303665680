"""Add each script to a page once.

A local Sphinx extension (listed in _config.yml). Under Jupyter Book 1, sphinx-thebe's configuration script
(`const THEBE_JS_URL = ...`) reaches every page twice, and the second copy throws "Identifier 'THEBE_JS_URL' has
already been declared" in the browser console. Identical script entries (same file, same attributes and body) are
dropped from each page's context before it is written; distinct scripts keep their order.
"""


def drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        key = (str(getattr(script, "filename", script) or ""),  # inline scripts carry None or ""
               tuple(sorted((k, str(v)) for k, v in getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def setup(app):
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
