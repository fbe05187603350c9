"""The book builds strictly (every warning is an error, every chapter executes) and offers downloads."""

from book_pages import ROOT, toc_pages


def test_every_toc_page_is_built(built_book):
    for name in toc_pages():
        assert (built_book / f"{name}.html").exists(), f"{name}.html missing"


def test_exercise_pages_offer_the_notebook_download(built_book):
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        page = (built_book / "notebooks" / f"{notebook.stem}.html").read_text()
        assert f"_sources/notebooks/{notebook.name}" in page, f"no .ipynb download on {notebook.stem}"
        assert (built_book / "_sources" / "notebooks" / notebook.name).read_bytes() == notebook.read_bytes()
        assert "NotImplementedError" in page and "Traceback" not in page  # shown, not executed


def test_chapters_have_their_figures(built_book):
    for chapter in sorted((ROOT / "book").glob("*.md")):
        page = (built_book / "book" / f"{chapter.stem}.html").read_text()
        assert page.count("<img") >= chapter.read_text().count(":  figure:"), f"{chapter.stem} lost a figure"
        assert "Traceback" not in page


def test_every_chapter_ends_with_its_summary_and_exercise():
    for chapter in sorted((ROOT / "book").glob("*.md")):
        text = chapter.read_text()
        headings = [line[3:].strip() for line in text.splitlines() if line.startswith("## ")]
        assert headings[-2:] == ["Summary", "Exercise"], f"{chapter.stem} ends with {headings[-2:]}"
        exercise = text[text.rindex("## Exercise"):]
        assert f"{{doc}}`../notebooks/{chapter.stem}`" in exercise, f"{chapter.stem}: no link to its exercise"


def test_every_figure_has_a_caption_and_alt_text(built_book):
    from bs4 import BeautifulSoup

    for name in toc_pages():
        article = BeautifulSoup((built_book / f"{name}.html").read_text(), "html.parser").find("article")
        for img in article.find_all("img"):
            alt, src = (img.get("alt") or "").strip(), img.get("src", "")
            assert alt and alt != src and not alt.endswith((".png", ".svg", ".jpg")), \
                f"{name}: image {src} has no alt text (set mystnb.image.alt in the cell's metadata)"
            figure = img.find_parent("figure")
            caption = figure.find("figcaption") if figure else None
            assert caption and caption.get_text(strip=True), \
                f"{name}: image {src} has no caption (set mystnb.figure.caption in the cell's metadata)"


def test_launch_buttons_need_the_repository_url_and_stay_on_exercises():
    import importlib.util
    from types import SimpleNamespace

    spec = importlib.util.spec_from_file_location("course_book", ROOT / "_ext" / "course_book.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    buttons = {"binderhub_url": "https://mybinder.org"}
    for url, kept in [("", False), ("  ", False), (None, False), ("https://github.com/org/course", True)]:
        config = SimpleNamespace(html_theme_options={"repository_url": url, "launch_buttons": dict(buttons)})
        module.drop_launch_buttons_without_repository(None, config)
        assert ("launch_buttons" in config.html_theme_options) == kept, f"repository url {url!r}"
    for page, kept in [("notebooks/01_mini_batches", True), ("book/01_mini_batches", False), ("intro", False)]:
        context = {"header_buttons": [{"label": "launch-buttons"}, {"label": "download-buttons"}]}
        module.launch_buttons_on_exercises_only(None, page, "page.html", context, None)
        labels = [button["label"] for button in context["header_buttons"]]
        assert ("launch-buttons" in labels) == kept and "download-buttons" in labels, f"{page}: {labels}"
