"""Small fixes to the book's HTML, found by the browser tests (tests/test_browser.py).

- Launch buttons only once the course has a public repository: `_config.yml` configures Binder and Colab
  buttons but leaves `repository: url:` empty. Without a repository the buttons could only be broken
  (and sphinx-book-theme crashes on them), so they are dropped until that one setting is filled in. Once
  on, they stay on the exercise pages (`notebooks/`): Colab cannot open a chapter's MyST Markdown.
- Each inline script once: sphinx-thebe adds its `const THEBE_JS_URL = ...` script twice, and the second
  copy throws "Identifier 'THEBE_JS_URL' has already been declared" on every page.
- Explorables (`explorables/`, issue 25) work offline: BokehJS is copied from the installed bokeh (and
  `explorables/explorables.css` from the repository) into `_static/explorables/`, and loaded, deferred, only by
  the pages whose body holds an explorable's `<figure class="explorable">`. No CDN.
"""

import shutil
import sys
from pathlib import Path

EXPLORABLES = Path(__file__).resolve().parents[1] / "explorables"


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


def _explorables():
    """The explorables package's constants (imported lazily: the book builds without bokeh imported)."""
    if str(EXPLORABLES.parent) not in sys.path:  # the repository's root, where the package is
        sys.path.insert(0, str(EXPLORABLES.parent))
    import explorables

    return explorables


def load_bokeh_where_needed(app, pagename, templatename, context, doctree):
    """Add BokehJS and the explorables' CSS to this page only, if it holds an explorable."""
    explorables = _explorables()
    if f'class="{explorables.FIGURE_CLASS}"' not in context.get("body", ""):
        return
    for bundle in explorables.BOKEH_BUNDLES:
        app.add_js_file(f"{explorables.STATIC_FOLDER}/{bundle}", loading_method="defer")
    app.add_css_file(f"{explorables.STATIC_FOLDER}/explorables.css")


def copy_bokeh(app, exception):
    """Copy the installed bokeh's BokehJS bundles (the pinned version) and explorables.css into _static/."""
    if exception is not None or app.builder.format != "html":
        return
    import bokeh

    explorables = _explorables()
    if bokeh.__version__ != explorables.BOKEH_VERSION:
        raise RuntimeError(f"the explorables need bokeh=={explorables.BOKEH_VERSION}, found {bokeh.__version__}")
    source = Path(bokeh.__file__).parent / "server" / "static" / "js"
    target = Path(app.outdir) / "_static" / explorables.STATIC_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    for bundle in explorables.BOKEH_BUNDLES:
        shutil.copyfile(source / bundle, target / bundle)
    shutil.copyfile(EXPLORABLES / "explorables.css", target / "explorables.css")


def setup(app):
    app.connect("config-inited", drop_launch_buttons_without_repository)
    app.connect("html-page-context", launch_buttons_on_exercises_only, priority=900)
    # before drop_repeated_scripts, which replaces the list that add_js_file appends to
    app.connect("html-page-context", load_bokeh_where_needed, priority=500)
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    app.connect("build-finished", copy_bokeh)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
