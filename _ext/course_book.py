"""Small fixes to the book's HTML, found by the browser tests (tests/test_browser.py).

- Launch buttons only once the course has a public repository: `_config.yml` configures Binder and Colab
  buttons but leaves `repository: url:` empty. Without a repository the buttons could only be broken
  (and sphinx-book-theme crashes on them), so they are dropped until that one setting is filled in. Once
  on, they stay on the exercise pages (`notebooks/`): Colab cannot open a chapter's MyST Markdown.
- Each inline script once: sphinx-thebe adds its `const THEBE_JS_URL = ...` script twice, and the second
  copy throws "Identifier 'THEBE_JS_URL' has already been declared" on every page.
"""


def drop_launch_buttons_without_repository(app, config):
    """Remove the `launch_buttons` theme option unless `repository_url` is set."""
    options = config.html_theme_options
    if not str(options.get("repository_url") or "").strip():
        options.pop("launch_buttons", None)


def launch_buttons_on_exercises_only(app, pagename, templatename, context, doctree):
    """Remove the launch-button group from every page outside `notebooks/`."""
    if not pagename.startswith("notebooks/") and "header_buttons" in context:
        context["header_buttons"] = [button for button in context["header_buttons"]
                                     if button.get("label") != "launch-buttons"]


def drop_repeated_scripts(app, pagename, templatename, context, doctree):
    """Keep the first of equal scripts: same file (an inline one's is None or ""), priority and attributes."""
    seen, kept = set(), []
    for script in context.get("script_files", []):
        key = (script.filename or "", script.priority, tuple(sorted(script.attributes.items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def setup(app):
    app.connect("config-inited", drop_launch_buttons_without_repository)
    app.connect("html-page-context", launch_buttons_on_exercises_only, priority=900)
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
