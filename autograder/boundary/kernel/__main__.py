"""The student's kernel: runs a notebook's cells and calls its functions for the checker, over a pipe.

It runs inside the sandbox, one process per student notebook. Messages are JSON lines on the pipe it was
started with (`run` a cell, `lookup` names, `call` a function); the checker's own functions passed as
arguments are called back through the same pipe. Tests never run here: student code cannot reach them.
"""

import ast
import base64
import io
import json
import os
import re
import sys
import traceback

from . import codec

MAX_OUTPUT = int(os.environ.get("AUTOGRADER_MAX_OUTPUT", "20000"))
MAX_FIGURES = 5
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
            tree = ast.parse(source, "<cell>")
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            exec(compile(tree, "<cell>", "exec"), self.namespace)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), self.namespace)
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
            if name not in self.namespace:
                values[name] = {"kind": "missing"}
            elif callable(self.namespace[name]):
                values[name] = {"kind": "function"}
            else:
                values[name] = {"kind": "value", "value": codec.encode(self.namespace[name])}
        return {"op": "names", "values": values}

    def op_call(self, message):
        output = CappedText()
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = output
        try:
            args = codec.decode(message["args"], self.remote_callable)
            kwargs = codec.decode(message["kwargs"], self.remote_callable)
            leaves = codec.grad_leaves([args, kwargs])
            result = self.namespace[message["name"]](*args, **kwargs)
            reply = {"op": "return", "value": codec.encode(result)}
            if leaves and codec._is_tensor(result) and result.requires_grad:
                self.graphs.append((result, leaves))  # the checker may call backward() through it
                reply["graph"] = len(self.graphs) - 1
        except BaseException as exception:  # noqa: B036
            reply = {"op": "raise", "types": [c.__name__ for c in type(exception).__mro__],
                     "message": str(exception)[:2000]}
            args, kwargs = [], {}
        finally:
            sys.stdout, sys.stderr = saved
        reply.update(args=codec.encode(list(args)), kwargs=codec.encode(kwargs), stdout=output.getvalue())
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
            self.send({"op": "callback", "id": handle, "args": codec.encode(list(args)), "kwargs": codec.encode(kwargs)})
            reply = self.serve(until=("return", "raise"))
            for original, updated in zip(args, codec.decode(reply["args"])):
                codec.sync(original, updated)
            if reply["op"] == "raise":
                raise codec.exception_class(reply["types"])(reply["message"])
            return codec.decode(reply["value"])

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


def _error(exception):
    lines = traceback.format_exception(type(exception), exception, exception.__traceback__.tb_next)
    text = "".join(lines)
    return {"output_type": "error", "ename": type(exception).__name__, "evalue": str(exception)[:2000],
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
