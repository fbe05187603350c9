"""Where the built book is and which pages it has, in reading order (shared by the book and browser tests)."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"


def toc_pages():
    """Every page of `_toc.yml` in reading order, as paths without suffix: `intro`, `notation`, `book/01_...`."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc["parts"]:
        for chapter in part["chapters"]:
            pages += [chapter["file"]] + [section["file"] for section in chapter.get("sections", [])]
    return pages
