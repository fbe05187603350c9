"""A function of untrusted input (rendering a student's notebook) run in a forked child process, in an
empty folder, with a wall-clock and an output-size limit: a pathological input costs at most the limit."""

import os
import select
import shutil
import signal
import tempfile
import time
import traceback


def run(function, *args, seconds, max_bytes):
    """(`function(*args)`, a str, or None; the problem, "" when there was none). The child starts in an empty
    folder; it is killed after `seconds` or once it has written more than `max_bytes`."""
    folder = tempfile.mkdtemp(prefix="render-")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 1
        try:
            os.close(read_end)
            os.chdir(folder)
            data = function(*args).encode()
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    os.close(write_end)
    chunks, size, problem = [], 0, ""
    deadline = time.monotonic() + seconds
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                problem = f"rendering it took longer than {seconds:g} s"
                break
            if not select.select([read_end], [], [], left)[0]:
                continue
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                problem = f"its page would be larger than {max_bytes // 10**6} MB"
                break
    finally:
        os.close(read_end)
        if problem:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        shutil.rmtree(folder, ignore_errors=True)
    if not problem and os.waitstatus_to_exitcode(status) != 0:
        problem = "it could not be rendered"
    return (None, problem) if problem else (b"".join(chunks).decode(), "")
