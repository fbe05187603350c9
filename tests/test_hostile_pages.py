"""What a person's browser renders from a student's bytes: the feedback pages and the copies nbgrader's
formgrader shows the instructor, for a hostile class graded as `instructors.md` says (from the top of a
clone, `OUT` inside it, the README's relative `--out`).

No page or stored notebook holds a byte of a file the student did not submit (a markdown image naming
`solutions/...`, the gradebook, a classmate's notebook); no student script runs in Chromium (a payload
that would change the page does not); no request leaves file://; math still typesets, offline.
"""

import base64
import binascii
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from autograder.views import feedback
from notebook_cells import ROOT

SLUG = "01_mini_batches"
SCREENSHOTS = ROOT / "_build" / "screenshots"
SOLUTIONS_MARKER = "MARKER-solutions-f3a9c1"
CLASSMATE_MARKER = "MARKER-classmate-7be2d4"
PARENT_MARKER = "MARKER-outside-the-clone-51c0ee"
GRADEBOOK_MARKER = "SQLite format 3"  # the first bytes of every SQLite file: gradebook.db
PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAFklEQVR4nGP8z4AdMOEQH5UYSgkxMAAA"
       "/u8BD5bJ2e8AAAAASUVORK5CYII=")
def pwn(tag):
    """A payload's script: if it ran, it would change the page's title and say so on the console."""
    return f"document.title='pwned-{tag}'; console.log('pwned-{tag}')"


XSS_MARKDOWN = f"""My answer, with $\\beta < 1$ and $$\\sum_i x_i^2$$.

<script>{pwn("script")}</script>
<img src="x" onerror="{pwn("onerror")}">
<iframe srcdoc="<script>parent.{pwn("iframe")}</script>"></iframe>
<svg><script>{pwn("svg")}</script></svg>
<svg onload="{pwn("svg-onload")}"><circle r="4"/></svg>
<a href="data:text/html,<script>alert(1)</script>">data link</a>
<meta http-equiv="refresh" content="0; url=https://example.com/">
<form action="https://example.com/steal"><input name="q"><button>go</button></form>
<div style="background: url(https://example.com/track.png); width: expression(alert(1))">styled</div>
<img src="https://example.com/track.png">
<link rel="stylesheet" href="https://example.com/x.css">
<object data="https://example.com/x.swf"></object>

[click me](javascript:{pwn("link")}) and $\\href{{javascript:{pwn("math")}}}{{math link}}$

```mermaid
<img src=x onerror="{pwn("mermaid")}">
```
"""
OUTPUT_PAYLOAD = f'''from IPython.display import HTML, SVG, Javascript, Markdown, display
display(HTML("""<img src=x onerror="{pwn("output-html")}"><b>bold output</b>"""))
display(Javascript("{pwn("output-js")}"))
display(SVG("""<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">\\
<script>{pwn("output-svg")}</script><circle cx="10" cy="10" r="8"/></svg>"""))
display(Markdown("<script>{pwn("output-md")}</script>*markdown output*"))
'''
READER_MARKDOWN = """What I read:

![s](solutions/08_frameworks.ipynb) ![g](out/gradebook.db) ![p](../gradebook.db)
![c](class/alice/01_mini_batches.ipynb) <img src="out/gradebook.db"> <img src="solutions/08_frameworks.ipynb">
![absolute]({absolute})
"""
PAINTER_MARKDOWN = "My own figure, pasted into the answer: ![figure](attachment:figure.png)"


def meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def notebook(written=None, extra_markdown=(), extra_code=(), attachments=None):
    """The solutions notebook (full marks) with its written answer replaced and cells appended."""
    nb = nbformat.read(ROOT / "solutions" / f"{SLUG}.ipynb", as_version=4)
    for cell in nb.cells:
        if written is not None and cell.cell_type == "markdown" and meta(cell).get("solution"):
            cell.source = written
            if attachments:
                cell["attachments"] = attachments
    nb.cells += [nbformat.v4.new_markdown_cell(s) for s in extra_markdown]
    nb.cells += [nbformat.v4.new_code_cell(s) for s in extra_code]
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A hostile class graded with the README's command from the top of a clone-like tree holding
    `solutions/`, the class and `OUT`; files the students name hold unique markers."""
    tmp = tmp_path_factory.mktemp("pages")
    clone = tmp / "clone"
    (clone / "solutions").mkdir(parents=True)
    marked = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(SOLUTIONS_MARKER)])
    nbformat.write(marked, clone / "solutions" / "08_frameworks.ipynb")
    (tmp / "gradebook.db").write_text(PARENT_MARKER)
    secret = tmp / "secret.txt"
    secret.write_text(PARENT_MARKER)
    students = {
        "alice": notebook(written=f"Mini-batches take more steps, $\\eta \\le 1$. {CLASSMATE_MARKER}"),
        "mallory": notebook(written=XSS_MARKDOWN, extra_markdown=[XSS_MARKDOWN], extra_code=[OUTPUT_PAYLOAD]),
        "reader": notebook(written=READER_MARKDOWN.format(absolute=secret)),
        "painter": notebook(written=PAINTER_MARKDOWN, attachments={"figure.png": {"image/png": PNG}}),
        "quadratic": notebook(written="![" * 40000),
    }
    for student, nb in students.items():
        (clone / "class" / student).mkdir(parents=True)
        nbformat.write(nb, clone / "class" / student / f"{SLUG}.ipynb")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", str(clone / "class"), "--out", "out",
                          "--jobs", "2", "--timeout", "30", "--run-all"],
                         cwd=clone, capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    return clone / "out", run, time.monotonic() - started


def _decoded(text):
    """`text` and the bytes of every base64 data URI in it."""
    parts = [text.encode()]
    for match in re.finditer(r"data:[^,\"'\s]*;base64,([A-Za-z0-9+/=\s]+)", text):
        try:
            parts.append(base64.b64decode(re.sub(r"\s", "", match.group(1)) + "=="))
        except (binascii.Error, ValueError):
            pass
    return b"\n".join(parts)


def _written(out):
    """Every page and notebook the run wrote, with the student it belongs to."""
    for path in sorted(out.rglob("*")):
        if path.suffix in (".html", ".ipynb") and "_static" not in path.parts:
            student = next((s for s in ("alice", "mallory", "reader", "painter", "quadratic") if s in path.parts), None)
            yield path, student


def test_no_page_or_stored_notebook_holds_a_file_the_student_did_not_submit(graded):
    out, _, _ = graded
    written = list(_written(out))
    assert any(p.suffix == ".html" for p, s in written if s == "reader")
    assert any(p.suffix == ".ipynb" and "autograded" in p.parts for p, s in written if s == "reader")
    for path, student in written:
        content = _decoded(path.read_text(errors="replace"))
        for marker in (SOLUTIONS_MARKER, PARENT_MARKER, GRADEBOOK_MARKER):
            assert marker.encode() not in content, f"{path.relative_to(out)} holds {marker!r}"
        if student != "alice":
            assert CLASSMATE_MARKER.encode() not in content, f"{path.relative_to(out)} holds alice's notebook"


def test_stored_answers_images_by_path_are_placeholders_attached_and_plain_ones_kept(graded):
    out, _, _ = graded
    stored = nbformat.read(out / "course" / "autograded" / "alice" / SLUG / f"{SLUG}.ipynb", as_version=4)
    written = next(c for c in stored.cells if c.cell_type == "markdown" and meta(c).get("solution"))
    assert written.source == f"Mini-batches take more steps, $\\eta \\le 1$. {CLASSMATE_MARKER}"
    assert (out / "feedback" / "reader" / f"{SLUG}.html").read_text().count("image not shown") >= 7
    assert f"data:image/png;base64,{PNG}" in (out / "feedback" / "painter" / f"{SLUG}.html").read_text()
    stored = nbformat.read(out / "course" / "autograded" / "reader" / SLUG / f"{SLUG}.ipynb", as_version=4)
    written = next(c for c in stored.cells if c.cell_type == "markdown" and meta(c).get("solution"))
    assert "image not shown" in written.source and "gradebook.db" in written.source
    stored = nbformat.read(out / "course" / "autograded" / "painter" / SLUG / f"{SLUG}.ipynb", as_version=4)
    written = next(c for c in stored.cells if c.cell_type == "markdown" and meta(c).get("solution"))
    assert written.source == PAINTER_MARKDOWN and written.attachments["figure.png"]["image/png"] == PNG


def _formgrader_page(path, folder):
    """The stored notebook as nbgrader's formgrader renders it (nbconvert's classic template, whose
    markdown passes raw HTML through), written next to the stored copy."""
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="classic").from_notebook_node(nbformat.read(path, as_version=4))
    target = folder / f"{path.parent.parent.name}-formgrader.html"
    target.write_text(body)
    return target


PROBE = """() => ({title: document.title, url: location.href,
    math: document.querySelectorAll('mjx-container').length,
    scripts: [...document.scripts].map(s => s.src || 'inline'),
    links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))})"""


def _open(browser, url, wait_math=False):
    """(page, context, probe, console errors, requests not to file://, what payloads said) of the page at
    `url`, its links to payloads clicked."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page_ = context.new_page()
    errors, requests, pwned = [], [], []
    page_.on("console", lambda m: (errors.append(m.text) if m.type == "error" else None,
                                   pwned.append(m.text) if "pwned" in m.text else None))
    page_.on("pageerror", lambda e: errors.append(str(e)))
    page_.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file://", "data:")) else None)
    context.route(re.compile(r"^(?!file:|data:).*"), lambda route: route.abort())
    page_.goto(url)
    if wait_math:  # a page whose MathJax does not load (from a CDN, offline) shows math 0 in the probe
        try:
            page_.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                                    timeout=10000)
            page_.evaluate("() => MathJax.startup.promise")
        except PlaywrightTimeout:
            pass
    page_.wait_for_timeout(500)
    for link in page_.get_by_text(re.compile("click me|math link|data link")).all():
        link.click(no_wait_after=True, timeout=2000)
    page_.wait_for_timeout(300)
    probe = page_.evaluate(PROBE)
    return page_, context, probe, errors, requests, pwned


ANSWER_STARTS = {"mallory": "My answer, with", "reader": "What I read", "painter": "My own figure",
                 "alice": "Mini-batches take more steps"}


@pytest.mark.parametrize("student", ["mallory", "reader", "painter", "alice"])
def test_feedback_pages_run_no_student_script_and_load_nothing_remote(graded, browser, student):
    out, _, _ = graded
    path = out / "feedback" / student / f"{SLUG}.html"
    page_, context, probe, errors, requests, pwned = _open(browser, path.as_uri(), wait_math=True)
    try:
        assert not pwned and probe["url"] == path.as_uri(), (pwned, probe["url"])
        assert probe["title"] == f"Feedback: {SLUG} ({student})"
        assert not errors, errors
        assert not requests, requests
        assert all(src.startswith((out / "_static").as_uri()) for src in probe["scripts"]), probe["scripts"]
        assert not [h for h in probe["links"] if not re.match(r"(https?:|mailto:|#)", h)], probe["links"]
        assert probe["math"] >= (3 if student == "mallory" else 1)  # typeset offline, by the local MathJax
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page_.screenshot(path=str(SCREENSHOTS / f"feedback-{student}.png"), full_page=False)
        page_.locator(".text_cell", has_text=ANSWER_STARTS[student]).first.screenshot(
            path=str(SCREENSHOTS / f"feedback-{student}-answer.png"))
    finally:
        context.close()


def test_stored_copies_run_no_student_script_in_the_formgrader(graded, browser, tmp_path):
    out, _, _ = graded
    stored = out / "course" / "autograded" / "mallory" / SLUG / f"{SLUG}.ipynb"
    nb = nbformat.read(stored, as_version=4)
    kinds = {k for c in nb.cells if c.cell_type == "code" for o in c.outputs for k in o.get("data", {})}
    assert "application/javascript" not in kinds and "image/svg+xml" not in kinds
    assert "bold output" in stored.read_text()  # the output's harmless part is kept
    formgrader = _formgrader_page(stored, tmp_path)
    page_, context, probe, _, _, pwned = _open(browser, formgrader.as_uri())
    try:
        assert not pwned and probe["url"] == formgrader.as_uri() and "pwned" not in probe["title"], (pwned, probe)
        assert not [h for h in probe["links"] if re.match(r"\s*(javascript|data):", h, re.I)], probe["links"]
        page_.screenshot(path=str(SCREENSHOTS.mkdir(parents=True, exist_ok=True) or SCREENSHOTS
                                  / "formgrader-mallory.png"))
    finally:
        context.close()


def test_export_feedback_renders_again_the_same_safe_way(graded, browser):
    out, _, _ = graded
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-m", "autograder", "export", "--out", "out", "--feedback"],
                         cwd=out.parent, capture_output=True, text=True, env=env)
    assert run.returncode == 0 and "rewrote 5 feedback page(s)" in run.stdout, run.stdout + run.stderr
    test_no_page_or_stored_notebook_holds_a_file_the_student_did_not_submit(graded)
    for student in ("mallory", "reader"):
        path = out / "feedback" / student / f"{SLUG}.html"
        _, context, probe, errors, requests, pwned = _open(browser, path.as_uri(), wait_math=True)
        context.close()
        assert not pwned and probe["url"] == path.as_uri(), (pwned, probe["url"])
        assert probe["title"] == f"Feedback: {SLUG} ({student})", probe
        assert not errors and not requests, (errors, requests)
        assert probe["math"] >= (3 if student == "mallory" else 1)


def test_every_page_has_a_strict_policy_and_no_cdn(graded):
    out, _, _ = graded
    pages = [p for p, _ in _written(out) if p.suffix == ".html"]
    assert (out / "report.html") in pages and len(pages) == 6
    for path in pages:
        text = path.read_text()
        assert 'http-equiv="Content-Security-Policy"' in text, path
        assert "default-src 'none'" in text and "unsafe-eval" not in text, path
        assert not re.search(r"<script[^>]*src=\"(https?:)?//", text), path
    assert (out / "_static" / "mathjax" / "tex-chtml.js").is_file()


def test_the_quadratic_notebook_is_rendered_and_graded(graded):
    """`'![' * 40000` took minutes in nbconvert (a quadratic regex): its page is rendered in full, within
    the renderer's limit, and graded."""
    out, _, _ = graded
    text = (out / "feedback" / "quadratic" / f"{SLUG}.html").read_text()
    assert "Score: 11 / 13" in text and "plain text" not in text and "![" * 1000 in text  # 11 automatic of 13
    released = nbformat.read(ROOT / "notebooks" / f"{SLUG}.ipynb", as_version=4)
    page_html, note = feedback.rendered(notebook(written="![" * 40000), released, "t", 7, 9)
    assert note == "" and "![" * 40000 in page_html


def test_a_notebook_stored_before_cleaning_renders_safely():
    """`export --feedback` over an OUT graded by an older grader: its stored copies hold the payloads as
    written, and the page still has no script but MathJax, no handler, no frame, no file a path names."""
    from bs4 import BeautifulSoup

    nb = notebook(written=XSS_MARKDOWN + READER_MARKDOWN.format(absolute="/etc/hostname"),
                  extra_markdown=[XSS_MARKDOWN])
    nb.cells.append(nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
        "display_data", data={"text/html": f'<img src=x onerror="{pwn("html")}">', "text/plain": "x",
                              "application/javascript": pwn("js"), "image/svg+xml": f"<svg><script>{pwn('svg')}"
                                                                                    "</script></svg>"})]))
    released = nbformat.read(ROOT / "notebooks" / f"{SLUG}.ipynb", as_version=4)
    page_html, note = feedback.rendered(nb, released, "t", 7, 9)
    soup = BeautifulSoup(page_html, "html.parser")
    assert note == "" and [s.get("src") for s in soup.find_all("script")] == [
        "../../_static/mathjax-config.js", "../../_static/mathjax/tex-chtml.js"]
    assert not soup.find_all(["iframe", "object", "form", "svg", "link", "base"])
    assert not [a for t in soup.find_all(True) for a in t.attrs if a.startswith("on") or a == "srcdoc"]
    assert [m.get("http-equiv") for m in soup.find_all("meta") if m.get("http-equiv")] == ["Content-Security-Policy"]
    assert "pwned" not in "".join(str(s) for s in soup.find_all("script"))


def test_a_page_that_cannot_be_rendered_in_time_is_plain_and_says_why(monkeypatch):
    nb = notebook(written="<b>bold</b> $x$")
    released = nbformat.read(ROOT / "notebooks" / f"{SLUG}.ipynb", as_version=4)
    monkeypatch.setattr(feedback, "RENDER_SECONDS", 1)
    monkeypatch.setattr(feedback, "cells_html", lambda notebook: time.sleep(60) or "")
    started = time.monotonic()
    html, note = feedback.rendered(nb, released, "t", 3, 9)
    assert time.monotonic() - started < 20
    assert "took longer than 1 s" in note and "plain text" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold</b>" not in html
    assert "<script" not in html  # plain: not even MathJax


def test_a_renderer_that_fails_or_floods_gives_the_plain_page():
    from autograder.views import isolated

    assert isolated.run(lambda: 1 / 0, seconds=5, max_bytes=100)[1] == "it could not be rendered"
    assert "larger than" in isolated.run(lambda: "x" * 10**7, seconds=20, max_bytes=10**6)[1]
    assert isolated.run(lambda: os.getcwd() + "|" + ",".join(os.listdir()), seconds=5, max_bytes=1000)[0] \
        .endswith("|")  # an empty folder


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<iframe srcdoc='<script>alert(1)</script>'>",
    "<a href='javascript:alert(1)'>x</a>", "<a href=' JaVaScRiPt:alert(1)'>x</a>", "<svg><script>alert(1)</script>",
    "<svg onload=alert(1)>", "<a href='data:text/html,<script>alert(1)</script>'>x</a>",
    "<meta http-equiv=refresh content='0;url=https://example.com'>", "<form action=https://x><button>go</button>",
    "<div style='width: expression(alert(1))'>x</div>", "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>",
    "<img src='data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=' onload=alert(1)>", "<object data=x.swf>",
    "<base href=https://example.com/>", "<body onload=alert(1)>", "<img src=x:alert(1) onerror=eval(src)>",
    "<details open ontoggle=alert(1)>", "<style>@import 'https://example.com/x.css'</style>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
])
def test_clean_html_leaves_no_live_markup(payload):
    from autograder.views import untrusted

    from bs4 import BeautifulSoup

    cleaned = untrusted.markdown_html(payload)
    soup = BeautifulSoup(cleaned, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name not in {"script", "iframe", "svg", "meta", "form", "object", "base", "style", "link"}, cleaned
        for name, value in tag.attrs.items():
            assert not name.startswith("on") and name not in ("style", "srcdoc", "action"), cleaned
            if name in ("href", "src"):
                assert re.match(r"(https?:|mailto:|#|data:image/(png|jpeg|gif|webp);base64,)", value), cleaned


def test_math_and_code_survive_cleaning():
    from autograder.views import untrusted

    html = untrusted.markdown_html("If $a < b$ then\n\n$$x_1 < y_2 \\& z$$\n\n```python\nif a < b: pass\n```\n"
                                   "\n| a | b |\n|:-|-:|\n| 1 | 2 |\n")
    assert "$a &lt; b$" in html and "$$x_1 &lt; y_2 \\&amp; z$$" in html
    from bs4 import BeautifulSoup

    assert "if a < b: pass" in BeautifulSoup(html, "html.parser").pre.get_text()
    assert 'style="text-align:left;"' in html and 'style="text-align:right;"' in html


def test_formgrader_copy_renders_like_the_cleaned_answer():
    from autograder.views import untrusted

    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "Text <b onclick=x>bold</b>\n\n```\ncode\n\n\nwith blank lines\n```\n\n$a<b$")])
    stored = untrusted.formgrader_copy(nb).cells[0].source
    assert "onclick" not in markdown2html_mistune(stored)
    shown = markdown2html_mistune(stored)
    assert "code\n\n\nwith blank lines" in shown.replace("&#10;", "\n") and "<b>bold</b>" in shown


def test_a_stored_copy_that_cannot_be_cleaned_in_time_is_text(monkeypatch):
    from autograder.views import untrusted

    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("<script>alert(1)</script>\n\n*x*"),
                                         nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
                                             "display_data", data={"text/html": "<script>alert(2)</script>",
                                                                   "text/plain": "x"})])])
    monkeypatch.setattr(untrusted, "formgrader_copy", lambda notebook: time.sleep(60))
    stored = untrusted.stored_copy(nb, seconds=1)
    assert "<script" not in markdown2html_mistune(stored.cells[0].source)
    assert "&lt;script&gt;alert(1)" in stored.cells[0].source
    assert stored.cells[1].outputs[0].data == {"text/plain": "x"}


def test_report_is_in_the_shell():
    from autograder.views import page

    text = page.document("r", "<p>x</p>")
    assert "script-src 'none'" in text and "<script" not in text
