"""nbval never compares round-off: no committed output prints a number below 1e-10 in full (issue 21 §2.7).

A difference like `1.5e-15` is float64 rounding; its digits move with the machine's BLAS and the order of its sums
(this machine printed 1.2e-15 where the committed notebook said 1.5e-15), so a fresh clone's nbval run fails.
Print a bound instead (`trainfaster.roundoff.below`: "below 1e-12"). A bare power of ten (`1e-12`, `10^-15`) is a
bound and allowed; zero is exact and allowed.
"""

import json
import re

import pytest

from book_pages import ROOT

NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])")
BARE_POWER_OF_TEN = re.compile(r"^[-+]?1(?:\.0*)?[eE]-\d+$")
SMALL = 1e-10


def round_off_printed_in_full(text):
    """The numbers in `text` that are nonzero, below 1e-10 in size, and not a bare power of ten."""
    found = []
    for match in NUMBER.finditer(text):
        token = match.group()
        value = abs(float(token))
        if 0 < value < SMALL and not BARE_POWER_OF_TEN.match(token):
            found.append(token)
    return found


def output_texts(cell):
    """Every text a code cell's outputs show: streams, plain text and HTML of results and displays, errors."""
    for output in cell.get("outputs", []):
        if "text" in output:
            yield "".join(output["text"])
        for kind in ("text/plain", "text/html", "text/markdown"):
            if kind in output.get("data", {}):
                yield "".join(output["data"][kind])


def test_the_detector_flags_digits_and_spares_bounds():
    assert round_off_printed_in_full("largest difference: 1.5e-15") == ["1.5e-15"]
    assert round_off_printed_in_full("gap 0.000000000002 and 3.4e-05") == ["0.000000000002"]
    assert round_off_printed_in_full("largest difference: below 1e-12 (10^-15 would do), 0.0, 2.5e-06") == []
    assert round_off_printed_in_full("W3 and x_1e-20 are names, not numbers") == []


SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", SOLUTIONS, ids=[path.name for path in SOLUTIONS])
def test_no_solution_output_prints_round_off_in_full(notebook):
    cells = json.loads(notebook.read_text())["cells"]
    flagged = [(index, token, text.strip()[:160]) for index, cell in enumerate(cells) if cell["cell_type"] == "code"
               for text in output_texts(cell) for token in round_off_printed_in_full(text)]
    assert not flagged, (f"{notebook.name} prints round-off in full (print a bound, trainfaster.roundoff.below):\n"
                         + "\n".join(f"  cell {index}: {token} in {text!r}" for index, token, text in flagged))


EXECUTED = ROOT / "_build" / "jupyter_execute" / "book"


@pytest.mark.parametrize("page", ["05_hyperparameter_tuning", "06_batch_normalization", "07_softmax_regression",
                                  "08_frameworks"])
def test_no_glued_book_value_is_round_off(page):
    """A glued value is a number the prose prints: round-off there would be a typed-in machine accident."""
    glued_file = EXECUTED / f"{page}.glue.json"
    if not glued_file.exists():
        pytest.skip(f"{glued_file.relative_to(ROOT)} is written by `jupyter-book build .`; build the book first")
    glued = {name: "".join(output["data"]["text/plain"]) for name, output in json.loads(glued_file.read_text()).items()}
    assert glued, f"{page} glues no value: the executed page is not the one this test expects"
    flagged = {name: text for name, text in glued.items() if round_off_printed_in_full(text)}
    assert not flagged, f"{page} glues round-off: {flagged} (glue a bound, or the quantity that is not round-off)"
