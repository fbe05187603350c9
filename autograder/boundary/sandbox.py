"""The sandbox each student's kernel runs in: Debian's bubblewrap (namespaces) plus resource limits.

Inside: no network; only the Python environment and the course library `trainfaster`, read-only; the
student's own folder, read-only, at /submission; a fresh scratch folder (the working directory). Not there:
solutions/, tests/, the gradebook, other students, the rest of the course. A new PID namespace means every
process the student starts dies with the kernel. Run as root, the kernel drops to a uid of its own, so
process limits are per student, and /tmp and the working folder share one size-limited tmpfs of its own
(`--disk`); memory is limited per student by `cgroup` where the machine allows.
"""

import ctypes
import functools
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from autograder.boundary import cgroup
from autograder.course import ROOT, UsageError

KERNEL = Path(__file__).with_name("kernel")
LIBRARY = ROOT / "trainfaster"
FIRST_UID = 1_000_000  # root gives each kernel uid FIRST_UID + the grading process's pid: nobody else's
# Where namespaces are refused (a container that already isolates each run, e.g. Gradescope's): the kernel runs
# without bubblewrap, under the same rlimits and, started as root, as a uid of its own that cannot read the
# grader's files (`gradescope` makes solutions/ and the library root's alone).
FALLBACK = "rlimits"


@dataclass(frozen=True)
class Limits:
    """What one student's kernel may use."""

    timeout: float = 30.0  # seconds of the student's computing (CPU time) per cell
    memory: int = 2 * 2**30  # bytes of data per process, and per student where a cgroup v2 allows (`cgroup`)
    disk: int = 512 * 2**20  # bytes in /tmp and the working folder together (`disk_kind` says where)
    processes: int = 64  # processes and threads
    file_size: int = 16 * 2**20  # bytes per file written
    output: int = 20_000  # characters of printed output kept per cell
    budget: float | None = None  # wall-clock seconds for all of a notebook's code (None: `notebook_budget`)

    def wall(self):
        """Seconds of waiting a cell may take, for code that sleeps or blocks instead of computing."""
        return 4 * self.timeout + 10

    def notebook_budget(self):
        """Wall-clock seconds a whole notebook's code may take: every cell, the tests' calls, kernel starts and
        replays after a kernel died, both runs (the hidden tests' too). Default: 10 cells' worth of --timeout,
        at least 60 s (a course notebook takes 5 to 20 s)."""
        return self.budget if self.budget else max(60.0, 10 * self.timeout)


def bwrap():
    """The bubblewrap executable (`AUTOGRADER_BWRAP` overrides it)."""
    return os.environ.get("AUTOGRADER_BWRAP") or shutil.which("bwrap") or "bwrap"


def _system_binds():
    prefixes = {sys.base_prefix, sys.prefix, str(Path(os.path.realpath(sys.executable)).parents[1])}
    prefixes = sorted(p for p in prefixes if not p.startswith("/usr/"))
    args = _parents(*prefixes, LIBRARY, "/grader/kernel", "/etc/fonts")
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/usr"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for path in ("/etc/ld.so.cache", "/etc/fonts", "/etc/localtime", "/etc/passwd", "/etc/group"):
        args += ["--ro-bind-try", path, path]
    return args + [arg for prefix in prefixes for arg in ("--ro-bind", prefix, prefix)]


def _parents(*paths):
    """`--dir` for every folder above a bind target, world-traversable (bwrap would make them 0700)."""
    parents = sorted({str(p) for path in paths for p in Path(path).parents if str(p) != "/"})
    return [arg for parent in parents for arg in ("--perms", "0755", "--dir", parent)]


LIBC = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS, MS_REC, MS_PRIVATE = 0x20000, 0x4000, 1 << 18


def _call(result, what):
    if result != 0:
        raise OSError(ctypes.get_errno(), f"{what}: {os.strerror(ctypes.get_errno())}")


def private_disk(space, scratch, size, uid):
    """Run as root, in the kernel's first process before it starts bwrap: a mount namespace of its own
    (nothing is mounted on the machine itself) with one tmpfs of `size` bytes at `space`, holding `tmp/`
    and a copy of `scratch` owned by `uid`: /tmp and the working folder share the limit."""
    _call(LIBC.unshare(CLONE_NEWNS), "unshare")
    _call(LIBC.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
    _call(LIBC.mount(b"autograder", os.fsencode(space), b"tmpfs", 0, f"size={size},mode=0755".encode()), "mount")
    os.mkdir(space / "tmp")
    os.chmod(space / "tmp", 0o1777)
    shutil.copytree(scratch, space / "scratch", symlinks=True)
    for path in [space / "scratch", *(space / "scratch").rglob("*")]:
        os.chown(path, uid, uid, follow_symlinks=False)


@functools.lru_cache(maxsize=None)
def can_mount():
    """Whether this process may mount a tmpfs in a mount namespace of its own (root, with the right)."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    with tempfile.TemporaryDirectory() as folder:
        run = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                              'mount -t tmpfs -o size=1m autograder "$1"', "sh", folder], capture_output=True)
    return run.returncode == 0


def disk_kind(disk, sandbox=True):
    """The disk limit in force, in words, for the notes."""
    amount = f"{disk / 2**20:g} MiB"
    if sandbox == FALLBACK:
        return "16 MiB per file, no total (no namespaces: the fallback)"
    if sandbox and can_mount():
        return f"{amount} for /tmp and the working folder together"
    if sandbox:
        return f"{amount} for /tmp, and 16 MiB per file in the working folder (the grader is not root)"
    return "16 MiB per file, no total (no sandbox)"


def describe(limits, sandbox=True):
    """One line: the limits in force for each student's kernel, and of which kind."""
    return (f"limits: {limits.timeout:g} s of computing per cell (at most {limits.wall():g} s "
            f"of waiting), {limits.notebook_budget():g} s for a whole notebook; memory {cgroup.kind(limits.memory)}; "
            f"disk {disk_kind(limits.disk, sandbox)}")


def kernel_command(scratch, submission, sandbox=True, disk=None, library=None):
    """The command line that starts a student's kernel, and its environment; `disk`: the bytes /tmp and the
    working folder may hold (`scratch` is copied into that space first; its parent holds an empty `disk`);
    `library`: the copy of the course library seen in place of `trainfaster/` (see `withhold`)."""
    env = {
        "PATH": f"{sys.prefix}/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if not sandbox or sandbox == FALLBACK:
        # the withheld copy in the fallback; the grader's own library when grading runs without a sandbox
        copy = [str(Path(library).parent)] if library and sandbox == FALLBACK else [str(LIBRARY.parent)]
        env.update(HOME=str(scratch), MPLCONFIGDIR=str(Path(scratch) / ".matplotlib"),
                   PYTHONPATH=os.pathsep.join([str(KERNEL.parent), *copy]),
                   AUTOGRADER_ALLOWED_PATHS=os.pathsep.join([str(scratch), str(submission), str(LIBRARY), str(KERNEL),
                                                             *copy]))
        if sandbox == FALLBACK and os.geteuid() == 0:
            if library:
                _traversable(Path(library))
            uid = str(owner_uid())
            return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all",
                    "--bounding-set=-all", sys.executable, "-m", "kernel"], env
        return [sys.executable, "-m", "kernel"], env
    env.update(HOME="/scratch", TMPDIR="/tmp", MPLCONFIGDIR="/scratch/.matplotlib", PYTHONPATH=f"/grader:{LIBRARY.parent}",
               AUTOGRADER_ALLOWED_PATHS=os.pathsep.join(["/scratch", "/submission", str(LIBRARY), "/grader"]))
    # root needs no user namespace (and one would not map the kernel's own uid); others need one
    unshare = ["--unshare-all"] if os.geteuid() else ["--unshare-ipc", "--unshare-pid", "--unshare-net",
                                                       "--unshare-uts", "--unshare-cgroup-try"]
    space = Path(scratch).parent / "disk"
    shared = disk is not None and can_mount()
    tmp = (["--bind", str(space / "tmp"), "/tmp"] if shared else
           [*(["--size", str(disk)] if disk is not None else []), "--perms", "1777", "--tmpfs", "/tmp"])
    command = [bwrap(), *unshare, "--die-with-parent", "--new-session", "--hostname", "sandbox",
               *tmp,  # first: a course kept under /tmp is bound over it
               *_system_binds(),
               "--ro-bind", str(library or LIBRARY), str(LIBRARY),
               "--ro-bind", str(KERNEL), "/grader/kernel",
               "--ro-bind", str(submission), "/submission",
               "--bind", str(space / "scratch" if shared else scratch), "/scratch",
               "--proc", "/proc", "--dev", "/dev", "--chdir", "/scratch"]
    if os.geteuid() == 0:
        uid = str(FIRST_UID + os.getpid())
        command += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "setpriv", f"--reuid={uid}",
                    f"--regid={uid}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all"]
    return command + [sys.executable, "-m", "kernel"], env


def _traversable(path):
    """Let the kernel's own uid reach `path` (the withheld library) through the grader's private temporary
    folders: search permission only, so it can list none of them."""
    top = Path(tempfile.gettempdir()).resolve()
    for parent in path.resolve().parents:
        if parent == top or top not in parent.parents:
            break
        os.chmod(parent, parent.stat().st_mode | 0o111)


def owner_uid():
    """The uid the kernel runs as (its scratch folder must belong to it)."""
    return FIRST_UID + os.getpid() if os.geteuid() == 0 else os.getuid()


def _own_tasks():
    """Processes and threads this (non-root) user already runs: the process limit counts them too."""
    count = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("Uid", "").split()[:1] == [str(os.getuid())]:
            count += int(fields.get("Threads", "1"))
    return count


def apply_limits(limits, group=None, scratch=None):
    """A `preexec_fn` that sets the kernel's resource limits (inherited by everything it starts), puts it
    in its memory cgroup `group` (a `cgroup.MemoryGroup`), if any, and, given the `scratch` folder of a
    sandboxed kernel, gives it its `private_disk` where the machine allows."""
    processes = limits.processes + (0 if os.geteuid() == 0 else _own_tasks())
    shared, uid = scratch is not None and can_mount(), owner_uid()  # (uid: of this process, not the child)

    def apply():
        if group is not None:
            group.join()
        if shared:
            private_disk(Path(scratch).parent / "disk", Path(scratch), limits.disk, uid)
        resource.setrlimit(resource.RLIMIT_DATA, (limits.memory, limits.memory))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_size, limits.file_size))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))
        resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))

    return apply


def check_sandbox():
    """Raise a one-line `UsageError` unless a kernel can start in the sandbox on this machine."""
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "scratch"
        scratch.mkdir()
        (Path(tmp) / "disk").mkdir()
        if os.geteuid() == 0:
            os.chown(scratch, owner_uid(), owner_uid())
        command, env = kernel_command(scratch, tmp, sandbox=True, disk=Limits().disk)
        command[-2:] = ["-c", "import numpy, trainfaster, socket; socket.create_connection(('1.1.1.1', 53), 1)"]
        try:
            run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60,
                                 preexec_fn=apply_limits(Limits(), scratch=scratch))
        except (OSError, subprocess.SubprocessError) as error:  # a timeout, or the private disk refused
            raise UsageError(f"cannot start the sandbox ({error}); install bubblewrap (apt-get install bubblewrap) "
                             "or pass --no-sandbox to grade without it") from None
    if "OSError" not in run.stderr and "Network is unreachable" not in run.stderr:
        first = (run.stderr.strip().splitlines() or ["the network is reachable inside it"])[-1]
        raise UsageError(f"cannot start the sandbox ({first[:200]}); install bubblewrap (apt-get install "
                         "bubblewrap) or pass --no-sandbox to grade without it")
