"""The one CSV writer of the grader: every cell a spreadsheet would execute is neutralized.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel, LibreOffice and
Google Sheets (`+HYPERLINK(...)`, `=cmd|...`), whoever typed it: a student's source line in integrity.csv, a
folder name, a name from an LMS zip. Such a cell is written with a leading `'`, which spreadsheets show as text;
plain numbers (`-1.5`, `2e-3`) stay numbers.
"""

import csv
import re

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


def cell(value):
    """`value` as a CSV cell a spreadsheet shows and never runs; numbers as short numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float | int):
        return f"{value:g}"
    text = str(value)
    if text.startswith(DANGEROUS) and not NUMBER.match(text):
        return "'" + text
    return text


def write(path, header, rows, encoding="utf-8"):
    """Write `header` and `rows` (sequences of values) to `path` with every cell made safe."""
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow([cell(h) for h in header])
        writer.writerows([cell(v) for v in row] for row in rows)
