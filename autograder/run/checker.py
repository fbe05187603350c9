"""One notebook graded: the student's cells run in their sandboxed kernel, the tests run here.

The checker's namespace holds only trusted code: the source's setup cells and test cells. A test that
names a student function gets a `StudentFunction` that runs it in the kernel, so whatever the student's
code patches (NumPy, `trainfaster.checks`, the reference module, the check helpers' names) is patched
over there, never where the checks run. A kernel that dies (timeout, memory, os._exit) is replaced by a
fresh one that replays the cells that ran before, and grading goes on with the next cell.
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

from autograder.boundary.remote import Kernel, KernelDied
from autograder.boundary.restore import _meta, is_answer, is_test
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
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return {"output_type": "error", "ename": type(error).__name__, "evalue": str(error)[:limit],
            "traceback": [text[-limit:]]}


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
    """Runs a restored notebook; `suspicious` collects files the kernel opened outside its folders."""

    def __init__(self, submission, limits, use_sandbox=True, matplotlib_cache=None, library=None):
        self.kernel_args = (submission, limits, use_sandbox, matplotlib_cache, library)
        self.limits = limits
        self.kernel, self.history, self.restarts, self.suspicious = None, [], 0, []
        self.trusted = {"__name__": "__main__"}
        self.helpers_read = set()  # names the trusted code's functions read: looked up for every later cell

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._drop_kernel()

    def _drop_kernel(self):
        if self.kernel is not None:
            self.kernel.stop()
            self.kernel = None

    def _live_kernel(self):
        """The kernel, restarted (with the cells run so far replayed) if the last one died."""
        while self.kernel is None:
            if self.restarts > MAX_RESTARTS:
                raise KernelDied(f"not run: the kernel died {self.restarts} times")
            self.restarts += 1
            kernel = Kernel(*self.kernel_args)
            try:
                kernel.start()
                for source in self.history:
                    kernel.run(source)
            except KernelDied:
                kernel.stop()
                continue
            self.kernel = kernel
        return self.kernel

    def execute(self, notebook, run_all=False):
        """Fill in the code cells' outputs, in order, like nbgrader's Execute but split in two.

        Cells after the last test cannot change a grade: they are skipped unless `run_all`.
        """
        self.restarts = -1  # the first start is not a restart
        self._live_kernel()  # before any cell: a kernel that cannot start (`KernelCannotStart`) is the run's error
        tests = [i for i, cell in enumerate(notebook.cells) if is_test(cell)]
        last = len(notebook.cells) if run_all or not tests else tests[-1]
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            if index > last:
                cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=SKIPPED)]
                continue
            if is_test(cell):
                outputs = self._run_test(cell)
            else:
                outputs = self._run_student(cell.source)
                if _meta(cell).get("locked") and not is_answer(cell):
                    self._run_trusted(cell.source)  # setup cells: the tests need their imports too
            cell.outputs = [nbformat.from_dict(output) for output in outputs]
        return notebook

    def _run_student(self, source):
        try:
            outputs, suspicious = self._live_kernel().run(source)
        except KernelDied as died:
            self._drop_kernel()
            return [{"output_type": "error", "ename": "KernelDied", "evalue": str(died), "traceback": [str(died)]}]
        self.history.append(source)
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

    def _run_test(self, cell):
        """Run a test cell, its visible part then its hidden part; its metadata gets the verdict: the points
        earned (`verdicts` says how) and which part failed, if one did."""
        visible, hidden = split_hidden(cell.source)
        text, error, failed, value = self._run_trusted(visible, hidden)
        points = float(_meta(cell).get("points", 0))
        outputs = [{"output_type": "stream", "name": "stdout", "text": text[:self.limits.output]}] if text else []
        verdict = {"score": points}
        if error is None and _is_points(value):
            if 0 <= value <= points:
                verdict = {"score": float(value)}
                outputs.append({"output_type": "execute_result", "data": {"text/plain": repr(float(value))},
                                "metadata": {}, "execution_count": None})
            else:
                error = ValueError(f"this test cell's value, {value!r}, is its points: it must be between 0 and "
                                   f"{points:g}")
        if error is not None:
            outputs.append(_error_output(error, self.limits.output))
            part = "hidden" if failed == 1 else "visible"
            earned = visible_points(points, bool(hidden.strip())) if part == "hidden" else 0.0
            verdict = {"failed": part, "score": earned}
        cell.metadata["autograder"] = verdict
        return outputs


def _is_points(value):
    """Whether a test cell's last value is a number of points (nbgrader's partial-credit convention)."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)
