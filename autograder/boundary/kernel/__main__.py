"""The student's kernel: runs a notebook's cells and calls its functions for the checker, over a pipe.

It runs inside the sandbox, one process per student notebook. Messages are JSON lines on the pipe it was
started with (`run` a cell, `lookup` names, `call` a function); the checker's own functions passed as
arguments are called back through the same pipe. Tests never run here: student code cannot reach them.
"""

import ast
import base64
import io
import json
import linecache
import os
import re
import sys
import traceback

from . import codec

MAX_OUTPUT = int(os.environ.get("AUTOGRADER_MAX_OUTPUT", "20000"))
MAX_FIGURES = 5
OUT_OF_MEMORY = ("out of memory: the cell used more than its {memory} of memory (data that keeps growing, "
                 "e.g. appended to in an endless loop?)")
MEMORY = os.environ.get("AUTOGRADER_MEMORY", "allowed amount")
MISSING = object()
ALLOWED = tuple(p for p in os.environ.get("AUTOGRADER_ALLOWED_PATHS", "").split(os.pathsep) if p) + tuple(
    {sys.prefix, sys.base_prefix, "/usr", "/etc", "/proc", "/sys", "/dev", "/tmp"})


class CappedText(io.TextIOBase):
    """A stdout that keeps the first `limit` characters and counts the rest."""

    def __init__(self, limit=MAX_OUTPUT):
        self.parts, self.size, self.dropped, self.limit = [], 0, 0, limit

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        room = max(self.limit - self.size, 0)
        if room:
            self.parts.append(text[:room])
            self.size += min(len(text), room)
        self.dropped += max(len(text) - room, 0)
        return len(text)

    def getvalue(self):
        text = "".join(self.parts)
        return text + (f"\n... [{self.dropped:,} more characters not shown]\n" if self.dropped else "")


class Shell:
    """The little of `get_ipython()` that graded notebooks may use; shell escapes are refused."""

    def __init__(self, namespace):
        self.namespace = namespace

    def run_line_magic(self, name, line, _stack_depth=1):
        if name in ("time", "timeit"):
            exec(compile(re.sub(r"^(-\S+\s+)*", "", line), "<magic>", "exec"), self.namespace)
        elif name not in ("matplotlib", "config", "load_ext", "autoreload", "reload_ext"):
            raise RuntimeError(f"%{name} is not available when notebooks are graded")

    def run_cell_magic(self, name, line, cell):
        if name not in ("time", "timeit", "capture"):
            raise RuntimeError(f"%%{name} is not available when notebooks are graded")
        exec(compile(cell, "<magic>", "exec"), self.namespace)

    def system(self, command):
        raise RuntimeError("shell commands (!...) are not available when notebooks are graded")

    getoutput = system


class Kernel:
    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer
        self.namespace = {"__name__": "__main__", "__builtins__": __builtins__}
        self.namespace["get_ipython"] = lambda shell=Shell(self.namespace): shell
        self.suspicious = []
        self.pinned = {}  # names the course's given cells define: the checker calls these objects, not the names
        self.graphs = []  # (result, input leaves) of calls whose result autograd may go back through

    # -- the pipe -------------------------------------------------------------------------------------
    def send(self, message):
        self.writer.write(json.dumps(message).encode() + b"\n")
        self.writer.flush()

    def receive(self):
        line = self.reader.readline()
        if not line:
            os._exit(0)  # the checker is gone
        return json.loads(line)

    def serve(self, until=()):
        """Answer requests until a message whose op is in `until` arrives; return it."""
        while True:
            message = self.receive()
            if message["op"] in until:
                return message
            self.send(getattr(self, "op_" + message["op"])(message))

    # -- requests ----------------------------------------------------------------------------------------
    def op_run(self, message):
        output, outputs, error = CappedText(), [], None
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = output
        try:
            source = message["source"]
            if re.search(r"^\s*[%!]", source, re.M):
                from IPython.core.inputtransformer2 import TransformerManager

                source = TransformerManager().transform_cell(source)
            filename = _register(source, message.get("name"))
            tree = ast.parse(source, filename)
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            exec(compile(tree, filename, "exec"), self.namespace)
            if message.get("pin"):
                self.pinned.update((name, self.namespace[name]) for name in _defined(tree) if name in self.namespace)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), filename, "eval"), self.namespace)
                if value is not None:
                    outputs.append({"output_type": "execute_result", "data": {"text/plain": repr(value)[:MAX_OUTPUT]},
                                    "metadata": {}, "execution_count": None})
        except BaseException as exception:  # noqa: B036 - SystemExit in a cell is the student's error too
            error = _error(exception)
        finally:
            sys.stdout, sys.stderr = saved
        text = output.getvalue()
        if text:
            outputs.insert(0, {"output_type": "stream", "name": "stdout", "text": text})
        outputs += _figures()
        if error:
            outputs.append(error)
        return {"op": "done", "outputs": outputs, "suspicious": self.suspicious}

    def op_lookup(self, message):
        values = {}
        for name in message["names"]:
            found = self.pinned.get(name, self.namespace.get(name, MISSING))
            if found is MISSING:
                values[name] = {"kind": "missing"}
            elif callable(found):
                values[name] = {"kind": "function"}
            else:
                values[name] = {"kind": "value", "value": codec.encode(found)}
        return {"op": "names", "values": values}

    def op_call(self, message):
        output = CappedText()
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = output
        memo = codec.Memo()
        try:
            args = codec.decode(message["args"], self.remote_callable, memo.message())
            kwargs = codec.decode(message["kwargs"], self.remote_callable, memo)
            leaves = codec.grad_leaves([args, kwargs])
            name = message["name"]
            function = self.pinned.get(name, self.namespace.get(name, MISSING))
            if function is MISSING:
                raise NameError(f"name {name!r} is not defined")
            result = function(*args, **kwargs)
            reply = {"op": "return"}
            if leaves and codec._is_tensor(result) and result.requires_grad:
                self.graphs.append((result, leaves))  # the checker may call backward() through it
                reply["graph"] = len(self.graphs) - 1
        except BaseException as exception:  # noqa: B036
            reply = {"op": "raise", "types": [c.__name__ for c in type(exception).__mro__],
                     "message": _message(exception)[:2000], "where": _where(exception)}
            args, kwargs, result = [], {}, None
        finally:
            sys.stdout, sys.stderr = saved
        memo.message()  # the call's arguments, then its result: one object sent once, as in the call
        reply.update(args=codec.encode(args, memo=memo), kwargs=codec.encode(kwargs, memo=memo), stdout=output.getvalue())
        if reply["op"] == "return":
            reply["value"] = codec.encode(result, memo=memo)
        return reply

    def op_backward(self, message):
        """The gradients of a call's inputs, given the gradient of its result (autograd across the wall)."""
        import torch

        result, leaves = self.graphs[int(message["graph"])]
        try:
            grads = torch.autograd.grad(result, leaves, codec.decode(message["grad"]), allow_unused=True,
                                        retain_graph=True)
            return {"op": "grads", "grads": codec.encode(list(grads))}
        except Exception as exception:
            return {"op": "raise", "types": [c.__name__ for c in type(exception).__mro__],
                    "message": str(exception)[:2000]}

    def remote_callable(self, handle, name):
        """A function that calls the checker's function number `handle` back through the pipe."""

        def call(*args, **kwargs):
            memo = codec.Memo()
            self.send({"op": "callback", "id": handle, "args": codec.encode(list(args), memo=memo.message()),
                       "kwargs": codec.encode(kwargs, memo=memo)})
            reply = self.serve(until=("return", "raise"))
            codec.decode(reply["args"], memo=memo.message())  # puts the changes into the arguments
            if reply["op"] == "raise":
                raise codec.exception_class(reply["types"])(reply["message"])
            return codec.decode(reply["value"], memo=memo)

        call.__name__ = name
        return call

    def audit(self, event, args):
        """Note files opened or listed outside the allowed folders (for the integrity report)."""
        if event in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes)):
            path = os.path.normpath(os.path.join(os.getcwd(), os.fsdecode(args[0])))
            if event != "open" and path in sys.path:
                return  # the import system looking for modules
            if not path.startswith(ALLOWED) and path not in self.suspicious and len(self.suspicious) < 20:
                self.suspicious.append(path)


def _register(source, name):
    """The file name a cell is compiled under ("<cell 5 (its grade_id)>"), its lines kept for tracebacks."""
    filename = f"<{str(name or 'cell')[:100]}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    return filename


def _defined(tree):
    """The names a cell's top level defines."""
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def _message(exception):
    """The exception's text; a bare MemoryError says what happened."""
    if isinstance(exception, MemoryError) and not str(exception).strip():
        return OUT_OF_MEMORY.format(memory=MEMORY)
    try:
        return str(exception)
    except BaseException:  # noqa: B036 - a __str__ that raises is the student's too
        return f"(a {type(exception).__name__} that cannot be printed)"


def _where(exception):
    """`{"cell", "line", "text"}` of the innermost frame in the student's cells, or None."""
    try:
        frames = [f for f in traceback.extract_tb(exception.__traceback__) if f.filename.startswith("<cell")]
    except BaseException:  # noqa: B036
        return None
    if not frames:
        return None
    frame = frames[-1]
    return {"cell": frame.filename.strip("<>")[:120], "line": int(frame.lineno or 0), "text": (frame.line or "")[:200]}


def _error(exception):
    lines = traceback.format_exception(type(exception), exception, exception.__traceback__.tb_next)
    text = "".join(lines)
    if isinstance(exception, MemoryError) and not str(exception).strip():
        text += OUT_OF_MEMORY.format(memory=MEMORY) + "\n"
    return {"output_type": "error", "ename": type(exception).__name__, "evalue": _message(exception)[:2000],
            "traceback": [text[:MAX_OUTPUT]]}


def _figures():
    """Open matplotlib figures as PNG outputs (then closed), like an inline backend."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return []
    outputs = []
    try:
        for number in pyplot.get_fignums()[:MAX_FIGURES]:
            buffer = io.BytesIO()
            pyplot.figure(number).savefig(buffer, format="png")
            outputs.append({"output_type": "display_data", "metadata": {},
                            "data": {"image/png": base64.b64encode(buffer.getvalue()).decode(), "text/plain": "<Figure>"}})
    except Exception:
        pass
    pyplot.close("all")
    return outputs


def main():
    reader, writer = os.fdopen(os.dup(0), "rb"), os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):  # raw writes to the standard streams cannot corrupt the pipe
        os.dup2(null, fd)
    kernel = Kernel(reader, writer)
    sys.addaudithook(kernel.audit)
    kernel.send({"op": "ready", "pid": os.getpid()})
    kernel.serve()


if __name__ == "__main__":
    main()
