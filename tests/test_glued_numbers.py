"""No typed result beside a glued one: in a paragraph of a chapter page that glues a number, every other number
in the prose must be a setting the page's code states (a literal in one of its code cells), a year, or a
chapter or section number. Anything else is a result typed by hand, which goes stale when the code changes:
glue it (`{glue:text}`) instead. Math (`$...$`) and inline code are not prose and are not checked.
"""

import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parent.parent / "book"
CHAPTERS = sorted(BOOK.glob("0[1-8]_*.md"))

CODE_CELL = re.compile(r"^```\{code-cell\}.*?^```", re.S | re.M)
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
MATH = re.compile(r"\$\$.*?\$\$|\$[^$]+\$", re.S)
ROLE = re.compile(r"\{[a-z:]+\}`[^`]*`")
INLINE_CODE = re.compile(r"`[^`]*`")
NUMBER = re.compile(r"(?<![\w.])(\d+(?:[ ,]\d{3})*(?:\.\d+)?)(?![\w])")
EXEMPT_BEFORE = re.compile(r"(chapter|chapters|section|sections|step|steps|epoch|exercise|figure|layer)\s*$", re.I)
DATE = re.compile(r"\s*(January|February|March|April|May|June|July|August|September|October|November|December)\b")


def code_literals(page):
    """Every number written in the page's code cells, as floats."""
    values = set()
    for cell in CODE_CELL.findall(page):
        cell = "\n".join(line for line in cell.splitlines() if not line.startswith(":"))  # not the figure captions
        for literal in re.findall(r"(?<![\w.])\d+(?:_\d+)*(?:\.\d*)?(?:e-?\d+)?", cell):
            values.add(float(literal.replace("_", "")))
    return values


def typed_numbers(page):
    """(paragraph, number) for each number typed in a paragraph that also glues one, unless the code states it."""
    stated = code_literals(page)
    prose = FENCE.sub("", CODE_CELL.sub("", page))
    found = []
    for paragraph in re.split(r"\n\s*\n", prose):
        if "{glue:text}" not in paragraph or paragraph.lstrip().startswith((":", "|", "#")):
            continue
        text = INLINE_CODE.sub(" ", ROLE.sub(" ", MATH.sub(" ", paragraph)))
        for match in NUMBER.finditer(text):
            value = float(match.group(1).replace(" ", "").replace(",", ""))
            if (value in stated or 1900 <= value <= 2100 or EXEMPT_BEFORE.search(text[: match.start()])
                    or DATE.match(text, match.end())):
                continue
            found.append((" ".join(paragraph.split())[:90], match.group(1)))
    return found


def test_the_check_finds_a_typed_result():
    page = ('```{code-cell} ipython3\nrates = [0.5, 1.0]\n```\n\n'
            'At rate 0.5 it ends at {glue:text}`x:.2f`, 3.1 times lower.\n')
    assert typed_numbers(page) == [("At rate 0.5 it ends at {glue:text}`x:.2f`, 3.1 times lower.", "3.1")]


@pytest.mark.parametrize("path", CHAPTERS, ids=[path.stem for path in CHAPTERS])
def test_no_typed_number_beside_a_glued_one(path):
    found = typed_numbers(path.read_text())
    assert not found, f"{path.name}: typed numbers beside glued ones (glue them):\n" + "\n".join(
        f"  {number!r} in: {paragraph} ..." for paragraph, number in found)


# m-ch3 (rev-b finding 3): a role with one backtick too many (`{glue:text}`x:.1f``) turns the rest of its paragraph
# into inline code, so the glued numbers after it show as raw text.
STRAY_BACKTICK = re.compile(r"\{[a-z:]+\}`[^`\n]*``")


def test_the_stray_backtick_check_finds_one():
    assert STRAY_BACKTICK.search("is off by up to {glue:text}`x:.1f``. The next {glue:text}`y:.2f` ...")
    assert not STRAY_BACKTICK.search("is off by {glue:text}`x:.1f`, and ``code`` is fine.")


@pytest.mark.parametrize("path", CHAPTERS, ids=[path.stem for path in CHAPTERS])
def test_no_role_followed_by_a_second_backtick(path):
    found = [m.group(0) for m in STRAY_BACKTICK.finditer(path.read_text())]
    assert not found, f"{path.name}: a role followed by a stray backtick (delete it): {found}"
