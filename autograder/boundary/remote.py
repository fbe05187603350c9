"""The checker's side of a student's kernel: start it in the sandbox, run cells there, call its functions.

A `StudentFunction` looks like the student's function to the test code but runs it in the kernel: the
arguments go there as plain data (see `kernel.codec`), the result comes back as plain data, and changes the
function made to its arguments are copied back. Any function the test passes in (an objective, a sampler)
stays here and is called back. Every wait has a deadline; a kernel that overruns it, dies or breaks the
protocol is killed with everything it started, and the caller gets a `KernelDied` saying why.
"""

import json
import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from autograder.boundary import cgroup, sandbox
from autograder.boundary.kernel import codec

MAX_MESSAGE = 64 * 2**20  # bytes: a bigger message from the kernel is a protocol violation
STARTUP_SECONDS = 60
POLL_SECONDS = 0.2  # how often the CPU time of a busy kernel is read


def cpu_seconds(pid):
    """CPU seconds used by process `pid` and its descendants (children they reaped included), from /proc."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(n) for n in fields[11:15])  # utime stime cutime cstime
            for task in os.listdir(f"/proc/{current}/task"):
                stack += [int(c) for c in Path(f"/proc/{current}/task/{task}/children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


class KernelCannotStart(RuntimeError):
    """The kernel never said it was ready: the grader's problem (a path, the sandbox), not the student's, so
    the notebook is not graded and the run says why (the end of what the kernel's start wrote)."""


class KernelDied(BaseException):
    """The student's kernel stopped: a timeout, a crash, os._exit, too much memory...

    A `BaseException`, so a test's `except Exception` (as in `check_raises`) never mistakes it for an answer.
    """


class Kernel:
    """One fresh kernel for one student notebook; use as a context manager.

    Only the student's code is timed: each cell may use `limits.timeout` seconds of CPU time in the kernel
    (all its processes), summed over the requests the cell makes, and `limits.wall()` seconds of waiting for it;
    the time the grader spends between requests or answering callbacks is not counted.
    """

    def __init__(self, submission, limits, use_sandbox=True, matplotlib_cache=None, library=None):
        self.submission, self.limits, self.use_sandbox = Path(submission), limits, use_sandbox
        self.matplotlib_cache, self.library = matplotlib_cache, library
        self.process, self.buffer = None, b""
        self.begin_cell()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="autograder-"))
        scratch = self.tmp / "scratch"
        if self.matplotlib_cache:
            shutil.copytree(self.matplotlib_cache, scratch / ".matplotlib")
        scratch.mkdir(exist_ok=True)
        (self.tmp / "disk").mkdir()
        if os.geteuid() == 0 and self.use_sandbox:
            for path in [scratch, *scratch.rglob("*")]:
                os.chown(path, sandbox.owner_uid(), sandbox.owner_uid())
        command, env = sandbox.kernel_command(scratch, self.submission, self.use_sandbox,
                                              self.limits.disk if self.use_sandbox else None, self.library)
        env["AUTOGRADER_MAX_OUTPUT"] = str(self.limits.output)
        self.group = cgroup.MemoryGroup(self.limits.memory)
        self.group.create()
        with open(self.tmp / "stderr", "wb") as stderr:
            self.process = subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=stderr, preexec_fn=sandbox.apply_limits(
                                                self.limits, self.group, scratch if self.use_sandbox else None),
                                            start_new_session=True, cwd=scratch)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.process.stdout, selectors.EVENT_READ)
        try:
            ready, why = self.receive(STARTUP_SECONDS).get("op") == "ready", "it sent something else first"
        except KernelDied as died:
            ready, why = False, str(died)
        if not ready:
            self._kill_all()
            said = (self.tmp / "stderr").read_text(errors="replace").strip().splitlines()
            raise KernelCannotStart(f"the kernel could not start: {said[-1][:300] if said else why}")

    def stop(self):
        if self.process is not None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                pass
            self._kill_all()
            self.selector.close()
            self.process.stdout.close()
            self.process = None
            self.group.remove()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _kill_all(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # bwrap, and with it its PID namespace
        except ProcessLookupError:
            pass
        self.process.wait()

    def kill(self, reason):
        """Kill the kernel and everything it started; raise `KernelDied(reason)`."""
        self._kill_all()
        raise KernelDied(reason)

    # -- the pipe -------------------------------------------------------------------------------------
    def send(self, message):
        try:
            self.process.stdin.write(json.dumps(message).encode() + b"\n")
            self.process.stdin.flush()
        except (BrokenPipeError, ValueError):
            self.receive(STARTUP_SECONDS)  # reports how it died
            self.kill("the kernel stopped reading")

    def receive(self, wall, cpu_limit=None):
        """The next message; the kernel is killed if it takes `wall` seconds, or once the CPU time of its
        processes passes `cpu_limit` (read only while it computes for longer than `POLL_SECONDS`)."""
        start = time.monotonic()
        while b"\n" not in self.buffer:
            waited = time.monotonic() - start
            if cpu_limit is not None and waited >= POLL_SECONDS and cpu_seconds(self.process.pid) > cpu_limit:
                self.kill(f"stopped after {self.limits.timeout:g} s of computing: the cell ran too long "
                          "(an endless loop?)")
            if waited >= wall and cpu_limit is None:
                self.kill(f"the kernel did not answer within {wall:g} s")
            if waited >= wall:
                self.kill(f"stopped after {self.limits.wall():g} s of waiting: the cell never "
                          "finished (a sleep, or waiting for something that never comes?)")
            if not self.selector.select(min(wall - waited, POLL_SECONDS)):
                continue
            chunk = os.read(self.process.stdout.fileno(), 1 << 20)
            if not chunk:
                self.process.wait()
                self.kill(self._death())
            self.buffer += chunk
            if len(self.buffer) > MAX_MESSAGE:
                self.kill(f"the kernel sent more than {MAX_MESSAGE >> 20} MB at once")
        line, self.buffer = self.buffer.split(b"\n", 1)
        try:
            return json.loads(line)
        except ValueError:
            self.kill("the kernel broke the protocol (was the pipe written to directly?)")

    def _death(self):
        code = self.process.returncode
        if self.group.out_of_memory():
            return f"the kernel was killed: out of memory ({cgroup.kind(self.limits.memory)})"
        if code == -signal.SIGKILL or code == 137:
            return "the kernel was killed (out of memory?)"
        if code is not None and code < 0:
            return f"the kernel died ({signal.Signals(-code).name})"
        return f"the kernel exited (exit code {code}): did the code call os._exit or sys.exit?"

    def begin_cell(self):
        """A new cell: its own time for the student's code."""
        self.cpu_start, self.wall_left = None, self.limits.wall()

    def request(self, message, handles=None):
        """Send a request and answer the kernel's callbacks until its reply comes, within the cell's time:
        only the time spent waiting for the kernel counts, not the callbacks the grader answers. (Between
        requests the kernel waits on its pipe: its CPU time grows only while it runs the student's code.)"""
        if self.cpu_start is None:
            self.cpu_start = cpu_seconds(self.process.pid)
        self.send(message)
        while True:
            start = time.monotonic()
            reply = self.receive(self.wall_left, self.cpu_start + self.limits.timeout)
            self.wall_left -= time.monotonic() - start
            if reply.get("op") != "callback":
                return reply
            self.send(self._callback(reply, handles))

    def _callback(self, message, handles):
        function = handles.table[int(message["id"])] if handles and 0 <= int(message["id"]) < len(handles.table) else None
        try:
            args = codec.decode(message["args"])
            kwargs = codec.decode(message["kwargs"])
            if not isinstance(args, list) or not isinstance(kwargs, dict) or function is None:
                raise TypeError("malformed callback")
            value = function(*args, **kwargs)
            return {"op": "return", "value": codec.encode(value), "args": codec.encode(args)}
        except Exception as error:
            return {"op": "raise", "types": [c.__name__ for c in type(error).__mro__], "message": str(error),
                    "args": codec.encode([])}

    # -- what the checker asks -------------------------------------------------------------------------
    def run(self, source):
        """Run a cell (with a time of its own); return its nbformat outputs and the files it touched outside
        its folders."""
        self.begin_cell()
        reply = self.request({"op": "run", "source": source})
        return reply.get("outputs", []), reply.get("suspicious", [])

    def lookup(self, names):
        """`{name: StudentFunction or value}` for the names the kernel defines."""
        if not names:
            return {}
        reply = self.request({"op": "lookup", "names": sorted(names)})
        found = {}
        for name, entry in reply.get("values", {}).items():
            if name not in names:
                continue
            if entry.get("kind") == "function":
                found[name] = StudentFunction(self, name)
            elif entry.get("kind") == "value":
                try:
                    found[name] = codec.decode(entry["value"])
                except Exception:
                    self.kill("the kernel sent a value that is not plain data")
        return found


class StudentFunction:
    """Calls the student's function of that name in the kernel; what crosses is plain data."""

    def __init__(self, kernel, name):
        self.kernel, self.__name__ = kernel, name

    def __repr__(self):
        return f"<student function {self.__name__}>"

    def __call__(self, *args, **kwargs):
        handles = codec.Handles()
        message = {"op": "call", "name": self.__name__, "args": codec.encode(list(args), handles),
                   "kwargs": codec.encode(kwargs, handles)}
        reply = self.kernel.request(message, handles)
        try:
            if reply.get("stdout"):
                print(str(reply["stdout"]), end="")
            updated_args, updated_kwargs = codec.decode(reply["args"]), codec.decode(reply["kwargs"])
            for original, updated in zip(args, updated_args):
                codec.sync(original, updated)
            for key, original in kwargs.items():
                if key in updated_kwargs:
                    codec.sync(original, updated_kwargs[key])
            if reply["op"] == "raise":
                error = codec.exception_class([str(n) for n in reply["types"]])(str(reply["message"]))
            elif "graph" in reply:
                return _through_kernel(self.kernel, int(reply["graph"]), codec.decode(reply["value"]),
                                       codec.grad_leaves([list(args), kwargs]))
            else:
                return codec.decode(reply["value"])
        except Exception:  # not plain data: never let it pass for an exception a test expects
            self.kernel.kill("the kernel sent a reply that is not plain data")
        raise error


def _through_kernel(kernel, graph, value, leaves):
    """`value` (a tensor computed in the kernel) wired into autograd here: its backward asks the kernel for
    the gradients of `leaves`, the caller's tensors the function was given."""
    import torch

    class KernelFunction(torch.autograd.Function):
        @staticmethod
        def forward(ctx, result, *inputs):
            return result.clone()

        @staticmethod
        def backward(ctx, grad):
            reply = kernel.request({"op": "backward", "graph": graph, "grad": codec.encode(grad)})
            if reply.get("op") != "grads":
                raise codec.exception_class([str(n) for n in reply.get("types", ["RuntimeError"])])(
                    str(reply.get("message", "backward failed in the kernel")))
            try:
                grads = [g if g is None else torch.as_tensor(g) for g in codec.decode(reply["grads"])]
            except Exception:
                kernel.kill("the kernel sent gradients that are not plain data")
            if len(grads) != len(leaves):
                kernel.kill("the kernel sent the wrong number of gradients")
            return (None, *grads)

    return KernelFunction.apply(value.detach(), *leaves)
