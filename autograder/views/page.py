"""The shell of every page the grader writes (the feedback pages, `report.html`).

A strict Content-Security-Policy in a `<meta>`: no script but the page's own (files of `OUT/_static/`, and
inline scripts the page itself puts there, allowed by their hash), no remote origin for anything, no frame,
form or plugin, images only as data. MathJax is served from `OUT/_static/mathjax` (copied from the
environment's sphinx-mathjax-offline, as the book does), never from a CDN, so the pages work offline.
Styles may be inline (MathJax writes its own); student content reaching a page never carries a style.
"""

import base64
import hashlib
import html
import importlib.util
import shutil
from pathlib import Path

STATIC = "_static"
# What MathJax's tex-chtml needs: the component, its fonts, the TeX extensions it loads on demand, and
# `ui/safe` (filters \href, \class, \style and the like in a student's TeX).
MATHJAX_PARTS = ["tex-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions", "ui/safe.js"]
MATHJAX_CONFIG = """window.MathJax = {
  tex: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], displayMath: [['$$', '$$'], ['\\\\[', '\\\\]']],
        processEscapes: true, processEnvironments: true},
  loader: {load: ['ui/safe']},
  options: {enableMenu: false}
};
"""


def _mathjax_source():
    """MathJax as the environment's sphinx-mathjax-offline holds it, or None without that package."""
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    return Path(list(spec.submodule_search_locations)[0]) / "static" / "mathjax" if spec else None


def install(out):
    """Copy the pages' scripts into `out/_static` (once; again when the environment's MathJax changes).
    Without MathJax in the environment (a minimal Gradescope image, which shows no page), nothing: the
    pages then show math as TeX source."""
    static = Path(out) / STATIC
    source = _mathjax_source()
    if source is None or not (source / "tex-chtml.js").is_file():
        return None
    stamp = hashlib.sha256((source / "tex-chtml.js").read_bytes() + MATHJAX_CONFIG.encode()).hexdigest()
    if (static / "stamp").is_file() and (static / "stamp").read_text() == stamp:
        return static
    shutil.rmtree(static / "mathjax", ignore_errors=True)
    for part in MATHJAX_PARTS:
        target = static / "mathjax" / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if (source / part).is_dir():
            shutil.copytree(source / part, target)
        else:
            shutil.copyfile(source / part, target)
    (static / "mathjax-config.js").write_text(MATHJAX_CONFIG)
    (static / "stamp").write_text(stamp)
    return static


def _hash(script):
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def policy(inline_scripts=(), files=False):
    """The Content-Security-Policy: script only from the page's own folder (`files`) and `inline_scripts`
    by hash; everything else of the page's own, or nothing."""
    scripts = " ".join((["'self'"] if files else []) + [_hash(s) for s in inline_scripts]) or "'none'"
    return (f"default-src 'none'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src data:; "
            "font-src 'self'; base-uri 'none'; form-action 'none'; frame-src 'none'; object-src 'none'")


def document(title, body, root="", math=False, style="", inline_scripts=()):
    """A whole page: `body` (HTML the caller made safe) in the shell. `root`: the relative path from the page
    to `OUT` ("../.." for a feedback page); `math`: typeset `$...$` with the local MathJax; `inline_scripts`:
    the page's own scripts, placed at the end of the body and allowed by their hash."""
    prefix = f"{root}/" if root else ""
    if any("</script" in s.lower() for s in inline_scripts):
        raise ValueError("an inline script cannot contain '</script'")
    head = [f'<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{policy(inline_scripts, files=math)}">',
            '<meta name="referrer" content="no-referrer">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{html.escape(title)}</title>", f"<style>{style}</style>"]
    if math:
        head += [f'<script src="{prefix}{STATIC}/mathjax-config.js"></script>',
                 f'<script defer src="{prefix}{STATIC}/mathjax/tex-chtml.js"></script>']
    scripts = "".join(f"<script>{s}</script>" for s in inline_scripts)
    return (f'<!DOCTYPE html>\n<html lang="en"><head>{"".join(head)}</head>'
            f"<body>{body}{scripts}</body></html>\n")
