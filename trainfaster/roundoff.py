"""Print round-off as a bound, never as its digits: a value like 1.2e-15 moves with the machine's BLAS and the
order of its sums, so a printed one would make a notebook's committed output differ from a re-run (nbval).

Used by the book pages and the solutions wherever a difference that should be zero is printed.
"""


def below(value, limit=1e-12):
    """`"below 1e-12"` when `|value| < limit`, else the value itself as `"3.4e-05"` (so a real error still shows)."""
    value = abs(float(value))
    return f"below {limit:.0e}".replace("e-0", "e-") if value < limit else f"{value:.1e}"
