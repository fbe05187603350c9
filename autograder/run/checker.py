"""One notebook graded: the student's cells run in their sandboxed kernel, the tests run here.

The checker's namespace holds only trusted code: the source's setup cells and test cells. A test that
names a student function gets a `StudentFunction` that runs it in the kernel, so whatever the student's
code patches (NumPy, `trainfaster.checks`, the reference module, the check helpers' names) is patched
over there, never where the checks run. A kernel that dies (timeout, memory, os._exit) is replaced by a
fresh one that replays the cells that ran before, and grading goes on with the next cell, within the
notebook's time budget. The hidden parts of the test cells run in a second run that shows nothing
(`NotebookRun`); a student's function that raises is named with its cell and line (`remote.StudentFunction`).
"""

import ast
import base64
import binascii
import builtins
import contextlib
import io
import numbers
import traceback

import nbformat

from autograder.boundary.remote import Budget, Kernel, KernelDied
from autograder.boundary.restore import _meta, is_answer, is_given, is_test
from autograder.run.verdicts import visible_points

MAX_RESTARTS = 3
SKIPPED = "[not run while grading: no test comes after this cell, so it cannot change the grade]\n"


def free_names(source):
    """The names a cell reads that it does not define itself."""
    try:
        return _free(ast.parse(source))
    except SyntaxError:
        return set()


def helper_names(source):
    """The names the functions a cell defines read but do not define: a helper defined in one test cell and
    called from a later one needs them then too."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    helpers = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
    return set().union(*(_free(node) for node in ast.walk(tree) if isinstance(node, helpers)))


def _free(tree):
    loaded, stored = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else stored).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stored.add(node.name)
        elif isinstance(node, ast.alias):
            stored.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.arg):
            stored.add(node.arg)
    return loaded - stored - set(dir(builtins))


def _error_output(error, limit):
    """A test's error as an output; a student's function that raised is named with its cell, line and code."""
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    where = getattr(error, "where", "")
    if isinstance(error, NotImplementedError) and not str(error).strip():
        where = ""  # the untouched stub: not written yet, not a crash
    evalue = str(error)[:limit] + (f"\n(raised in your {where})" if where else "")
    return {"output_type": "error", "ename": type(error).__name__, "evalue": evalue, "traceback": [text[-limit:]]}


def _cut(text, limit):
    """`text` cut to `limit` characters (the kernel's own note of what it cut may go past it a little)."""
    if len(text) <= limit + 100:
        return text
    return text[:limit] + f"\n... [{len(text) - limit:,} more characters not shown]\n"


def clean_outputs(outputs, limit):
    """The kernel's outputs, rebuilt from what they may hold: text, PNG images and errors (it is untrusted)."""
    clean = []
    for output in outputs if isinstance(outputs, list) else []:
        kind = output.get("output_type") if isinstance(output, dict) else None
        if kind == "stream":
            clean.append({"output_type": "stream", "name": "stdout", "text": _cut(str(output.get("text", "")), limit)})
        elif kind in ("execute_result", "display_data"):
            data = output.get("data") if isinstance(output.get("data"), dict) else {}
            kept = {"text/plain": str(data.get("text/plain", ""))[:limit]}
            png = data.get("image/png")
            if isinstance(png, str) and len(png) < 4 * 2**20:
                try:
                    base64.b64decode(png, validate=True)
                    kept["image/png"] = png
                except (binascii.Error, ValueError):
                    pass
            clean.append({"output_type": kind, "data": kept, "metadata": {},
                          **({"execution_count": None} if kind == "execute_result" else {})})
        elif kind == "error":
            clean.append({"output_type": "error", "ename": str(output.get("ename", "Error"))[:200],
                          "evalue": str(output.get("evalue", ""))[:limit],
                          "traceback": [str(line)[:limit] for line in output.get("traceback", [])][:1]})
    return clean


def split_hidden(source):
    """`(visible, hidden)` parts of a test cell, split at `### BEGIN HIDDEN TESTS` (hidden is "" if none)."""
    lines = source.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.strip() == "### BEGIN HIDDEN TESTS" and not line.startswith((" ", "\t")):
            visible, hidden = "".join(lines[:index]), "\n" * index + "".join(lines[index:])
            try:  # line numbers of the hidden part stay those of the whole cell
                compile(visible, "<test>", "exec"), compile(hidden, "<test>", "exec")
            except SyntaxError:
                break
            return visible, hidden
    return source, ""


class NotebookRun:
    """Runs a restored notebook; `suspicious` collects files the kernel opened outside its folders.

    Two runs, each in a fresh kernel. The first runs every cell and each test cell's visible part: its
    outputs are what the student sees. The second, only if a test cell has a hidden part, runs the same cells
    again with nothing shown, and each test cell's hidden part after its visible part: whatever the student's
    code does with the hidden inputs (prints them, keeps them for a later cell, puts them in an exception)
    reaches no output; a hidden part's verdict comes with a reason the grader writes (`HIDDEN_REASONS`).
    One time budget (`Limits.notebook_budget`) holds for both runs, replays after a kernel died included.
    """

    def __init__(self, submission, limits, use_sandbox=True, matplotlib_cache=None, library=None):
        self.kernel_args = (submission, limits, use_sandbox, matplotlib_cache, library)
        self.limits = limits
        self.budget = Budget(limits.notebook_budget())
        self.kernel, self.suspicious = None, []
        self.budget_hit = None  # where the time budget ran out: a cell (1-based) or "hidden" (the second run)
        self.second_run = False
        self._fresh()

    def _fresh(self):
        """A new run: no kernel yet, no cells run, an empty trusted namespace."""
        self._drop_kernel()
        self.history, self.restarts = [], -1  # the first start is not a restart
        self.trusted = {"__name__": "__main__"}
        self.helpers_read = set()  # names the trusted code's functions read: looked up for every later cell

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._drop_kernel()

    def _drop_kernel(self):
        if getattr(self, "kernel", None) is not None:
            self.kernel.stop()
            self.kernel = None

    def _live_kernel(self):
        """The kernel, restarted (with the cells run so far replayed) if the last one died."""
        while self.kernel is None:
            if self.budget.used_up():
                raise KernelDied(f"not run: {self.budget.message().split('; ')[0].removeprefix('stopped: ')}")
            if self.restarts > MAX_RESTARTS:
                raise KernelDied(f"not run: the kernel died {self.restarts} times")
            self.restarts += 1
            kernel = Kernel(*self.kernel_args, budget=self.budget)
            try:
                kernel.start()
                for name, source, pin in self.history:
                    kernel.run(source, name, pin)
            except KernelDied:
                kernel.stop()
                continue
            except BaseException:
                kernel.stop()
                raise
            self.kernel = kernel
        return self.kernel

    def execute(self, notebook, run_all=False):
        """Fill in the code cells' outputs, in order, like nbgrader's Execute but split as the class says.

        Cells after the last test cannot change a grade: they are skipped unless `run_all`.
        """
        tests = [i for i, cell in enumerate(notebook.cells) if is_test(cell)]
        last = len(notebook.cells) if run_all or not tests else tests[-1]
        hidden = {}  # index of a test cell: its hidden part, to run in the second run
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            if index > last:
                cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=SKIPPED)]
                continue
            if is_test(cell):
                outputs, hidden_part = self._run_test(cell, index)
                if hidden_part:
                    hidden[index] = hidden_part
            else:
                outputs = self._run_cell(cell, index)
            cell.outputs = [nbformat.from_dict(output) for output in outputs]
        if hidden:
            self._run_hidden(notebook, hidden)
        return notebook

    def _run_cell(self, cell, index):
        """A code cell that is not a test, in the kernel (setup cells here too: the tests need their imports)."""
        outputs = self._run_student(cell.source, _label(cell, index), pin=is_given(cell))
        if _meta(cell).get("locked") and not is_answer(cell) and not is_given(cell):
            self._run_trusted(cell.source)
        self._note_budget(index)
        return outputs

    def _note_budget(self, index):
        if self.budget_hit is None and self.budget.used_up():
            self.budget_hit = "hidden" if self.second_run else index + 1

    def _run_hidden(self, notebook, hidden):
        """The second run: the same cells again, nothing shown, and the pending hidden parts' verdicts."""
        self._fresh()
        self.second_run = True
        for index, cell in enumerate(notebook.cells[:max(hidden) + 1]):
            if cell.cell_type != "code":
                continue
            if not is_test(cell):
                self._run_cell(cell, index)
                continue
            visible, part = split_hidden(cell.source)
            if index not in hidden:
                self._run_trusted(visible)  # its helpers and names, for the cells after it
                continue
            _, error, failed, value = self._run_trusted(visible, part)
            verdict = cell.metadata["autograder"]
            record, note = self.trusted.pop("AUTOGRADER_RECORD", None), self.trusted.pop("AUTOGRADER_NOTE", None)
            if error is None and isinstance(record, dict):
                verdict["record"] = _record(record)
            if error is None and isinstance(note, str):
                verdict["note"] = note[:500]
            points = float(_meta(cell).get("points", 0))
            if error is None and _is_points(value) and 0 <= value <= points:
                verdict["score"] = float(value)
            elif error is None and not _is_points(value):
                verdict["score"] = points
            else:
                verdict.update(failed="hidden", score=visible_points(points, True), why=_hidden_reason(error, failed))
            self._note_budget(index)

    def _run_student(self, source, name, pin=False):
        try:
            outputs, suspicious = self._live_kernel().run(source, name, pin)
        except KernelDied as died:
            self._drop_kernel()
            return [{"output_type": "error", "ename": "KernelDied", "evalue": str(died), "traceback": [str(died)]}]
        self.history.append((name, source, pin))
        self.suspicious += [str(p) for p in suspicious if str(p) not in self.suspicious][:20]
        return clean_outputs(outputs, self.limits.output)

    def _run_trusted(self, *parts):
        """Run trusted code (a setup cell, or a test cell's parts in turn) here, with the student's names it
        uses looked up once; return (printed text, exception or None, index of the part that raised, the
        value of the last part's last line if it is an expression)."""
        printed = io.StringIO()
        error, failed, value = None, None, None
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            student = {}
            try:
                source = "\n".join(parts)
                self.helpers_read |= helper_names(source)
                names = (free_names(source) | self.helpers_read) - set(self.trusted)
                kernel = self._live_kernel()
                kernel.begin_cell()
                student = kernel.lookup(names) if names else {}
                self.trusted.update(student)
                last = max((i for i, part in enumerate(parts) if part.strip()), default=-1)
                for failed, source in enumerate(parts):
                    result = self._exec(source, last_value=failed == last)
                    value = result if failed == last else value
                failed = None
            except KernelDied as died:
                self._drop_kernel()
                error = died
            except (Exception, SystemExit) as exception:
                error = exception
            for name, found in student.items():  # looked up afresh next time: the student may redefine it
                if self.trusted.get(name) is found:
                    del self.trusted[name]
        return printed.getvalue(), error, failed, value

    def _exec(self, source, last_value):
        """Run `source` in the trusted namespace; with `last_value`, return its last line's value if that is
        an expression (nbgrader's partial credit), else None."""
        tree = ast.parse(source, "<test>")
        last = tree.body.pop() if last_value and tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, "<test>", "exec"), self.trusted)
        return eval(compile(ast.Expression(last.value), "<test>", "eval"), self.trusted) if last else None

    def _run_test(self, cell, index):
        """Run a test cell's visible part; its metadata gets the verdict so far: the points earned (`verdicts`
        says how) and "visible" if that part failed. Returns (outputs, the hidden part still to run or "")."""
        visible, hidden = split_hidden(cell.source)
        text, error, _, value = self._run_trusted(visible)
        points = float(_meta(cell).get("points", 0))
        outputs = [{"output_type": "stream", "name": "stdout", "text": text[:self.limits.output]}] if text else []
        verdict = {"score": visible_points(points, True) if hidden.strip() else points}
        if error is None and not hidden.strip() and _is_points(value):
            if 0 <= value <= points:
                verdict = {"score": float(value)}
                outputs.append({"output_type": "execute_result", "data": {"text/plain": repr(float(value))},
                                "metadata": {}, "execution_count": None})
            else:
                error = ValueError(f"this test cell's value, {value!r}, is its points: it must be between 0 and "
                                   f"{points:g}")
        if error is not None:
            outputs.append(_error_output(error, self.limits.output))
            verdict = {"failed": "visible", "score": 0.0}
        self._note_budget(index)
        cell.metadata["autograder"] = verdict
        return outputs, hidden if error is None and hidden.strip() else ""


HIDDEN_REASONS = {  # what a hidden part's failure is said to be: the grader's words, nothing of the student's
    "check": "a result was wrong",
    "raised": "your code raised {kind}",
    "stopped": "your code was stopped (a time or memory limit)",
    "other": "the test could not finish",
}


def _hidden_reason(error, failed):
    """Why a hidden part failed, in the grader's words (a student's exception names only its built-in kind)."""
    if failed == 0:
        return "the visible tests failed when they ran again"
    if isinstance(error, KernelDied):
        return HIDDEN_REASONS["stopped"]
    if getattr(error, "from_student", False):
        kind = next(c.__name__ for c in type(error).__mro__ if getattr(builtins, c.__name__, None) is c)
        return HIDDEN_REASONS["raised"].format(kind="an exception" if kind in ("Exception", "BaseException") else
                                               f"a {kind}")
    if isinstance(error, AssertionError):
        return HIDDEN_REASONS["check"]
    return HIDDEN_REASONS["other"]


def _label(cell, index):
    """How a cell is named in tracebacks and messages: "cell 5 (its grade_id)"."""
    grade_id = _meta(cell).get("grade_id")
    return f"cell {index + 1}" + (f" ({grade_id})" if grade_id else "")


def _record(record):
    """What a hidden part's trusted code measured (`AUTOGRADER_RECORD`, e.g. the speedrun's steps), as JSON:
    numbers only, None for infinite or missing ones. (`AUTOGRADER_NOTE`, a line the feedback shows under
    the verdict, is the test's own text too: student names are never looked up for either.)"""
    return {str(key): float(value) if isinstance(value, numbers.Real) and abs(value) < float("inf") else None
            for key, value in list(record.items())[:10]}


def _is_points(value):
    """Whether a test cell's last value is a number of points (nbgrader's partial-credit convention)."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)
