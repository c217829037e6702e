"""Jupyter kernels in a bubblewrap sandbox, with limits on memory, processes, files and output.

This module knows kernels and isolation only: nothing of grading, judging or the course.
``SandboxKernelManager`` (a jupyter_client kernel manager) starts the kernel as

    sh -c 'trap "" INT; exec "$@"' prlimit --fsize=N --core=0 bwrap ... python -m ipykernel_launcher

- bubblewrap gives the kernel a read-only view of the system, the Python environment and the
  folders the grader names (``readable``: a course's helper package and data); only its own
  notebook folder and its Unix-socket folder are writable, ``/tmp`` is private, and it has its
  own network, PID and IPC namespaces. Nothing else of the grading host is visible: not the
  class folder, the gradebook, ``source/``, the repository or ``$HOME``.
- The kernel talks to nbgrader over ZeroMQ's ``ipc`` transport (Unix sockets in that folder), so
  it needs no network at all.
- ``SIGINT`` is ignored by bubblewrap itself (``trap``), so a cell timeout interrupts the
  kernel instead of tearing the sandbox down; ipykernel installs its own handler.
- A monitor thread stops the sandbox when its processes use more than the memory limit or more
  than the process limit, and writes why to ``events_file``; the grader reports it.
- When the kernel ends, the PID namespace ends with it: every process it started is gone.
"""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Dict, Float, List, Tuple, Unicode, default

from autograder.settings import GIB, MIB, Limits


def bwrap_path():
    """Return the path of bubblewrap, or None when it is not installed."""
    return shutil.which("bwrap")


def missing_sandbox_message():
    return ("bubblewrap is not installed: the grader runs every student's kernel in a "
            "bubblewrap sandbox. Install the Debian/Ubuntu package `bubblewrap` "
            "(sudo apt-get install bubblewrap; other systems: the package of the same name), "
            "or grade without a sandbox with --no-sandbox (the report will say so).")


def system_paths():
    """Return the host paths every Python kernel reads: the system and this Python install."""
    paths = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc/ld.so.cache",
             "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives", "/etc/fonts",
             "/etc/localtime", "/etc/passwd", "/etc/group", "/etc/nsswitch.conf",
             "/etc/ssl", "/etc/matplotlibrc", sys.base_prefix, sys.prefix]
    return list(dict.fromkeys(paths))


# The kernel's identity inside the sandbox, whoever starts the grader (root included).
SANDBOX_UID = 65534
# System calls a grading kernel never needs: mounts and namespaces, tracing, keyrings, kernel
# modules and BPF, the clock, swap and reboot. They fail with EPERM.
REFUSED_SYSCALLS = (
    "mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "fsopen", "fsconfig",
    "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr", "ptrace",
    "process_vm_readv", "process_vm_writev", "keyctl", "add_key", "request_key", "bpf",
    "perf_event_open", "userfaultfd", "kexec_load", "kexec_file_load", "init_module",
    "finit_module", "delete_module", "open_by_handle_at", "name_to_handle_at", "swapon",
    "swapoff", "reboot", "acct", "quotactl", "settimeofday", "clock_settime", "clock_adjtime",
    "adjtimex", "iopl", "ioperm", "syslog", "vhangup", "lookup_dcookie",
)
REFUSED_EXIT = 97  # the kernel's start-up check found a privilege left
# Runs inside the sandbox before the kernel: no start unless the kernel is the unprivileged
# user, with no capability, no_new_privs set and the seccomp filter loaded.
PRIVILEGE_CHECK = (
    f'[ "$(id -u)" = {SANDBOX_UID} ] && [ "$(id -g)" = {SANDBOX_UID} ] '
    '&& grep -q "^CapEff:[[:space:]]*0*$" /proc/self/status '
    '&& grep -q "^CapPrm:[[:space:]]*0*$" /proc/self/status '
    '&& grep -q "^NoNewPrivs:[[:space:]]*1$" /proc/self/status '
    '&& grep -q "^Seccomp:[[:space:]]*2$" /proc/self/status '
    '|| { echo "aecourse sandbox: the kernel would run with privileges; not started" >&2; '
    f'exit {REFUSED_EXIT}; }}; exec "$@"')
SECCOMP_FD = 9

# Runs in the kernel at start (ipykernel's exec_lines, in a namespace of its own): stdout and
# stderr, including what C code writes to their file descriptors, stop passing text on after
# `cap` characters together. A print flood is then cut where it starts and never crosses to
# the grader. A student can undo this; the grader's own caps still hold, and a late flood only
# loses its tail (SandboxedExecute).
STREAM_CAP = '''
import sys
left = [cap]

def capped(write):
    def write_at_most(text):
        if not isinstance(text, str) or left[0] >= len(text):
            left[0] -= len(text) if isinstance(text, str) else 0
            return write(text)
        kept, left[0] = text[:max(left[0], 0)], -1
        if kept:
            write(kept)
        return len(text)
    return write_at_most

for stream in (sys.stdout, sys.stderr):
    stream.write = capped(stream.write)
'''


def stream_cap_argument(cap_chars):
    """Return the ipykernel argument that cuts the kernel's text streams after ``cap_chars``."""
    return f"--IPKernelApp.exec_lines=exec({STREAM_CAP!r}, {{'cap': {int(cap_chars)}}})"


def write_seccomp_filter(path):
    """Write the sandbox's compiled seccomp filter (``REFUSED_SYSCALLS`` get EPERM) to ``path``."""
    import errno

    import pyseccomp

    rules = pyseccomp.SyscallFilter(defaction=pyseccomp.ALLOW)
    for name in REFUSED_SYSCALLS:
        try:
            rules.add_rule(pyseccomp.ERRNO(errno.EPERM), name)
        except (OSError, ValueError, RuntimeError):  # not a system call on this architecture
            continue
    with open(path, "wb") as handle:
        rules.export_bpf(handle)
    return path


def bwrap_command(cwd, writable, readable, limits, seccomp_filter, cwd_files=(), overlays=()):
    """Return the command prefix that runs a program in the sandbox, in folder ``cwd``: an
    unprivileged user with no capability, refused system calls, read-only everywhere but
    ``writable``, with ``/tmp`` and ``cwd`` two bounded tmpfs (``cwd_files``, pairs of host file
    and path in the sandbox, shown there read-only): what the kernel writes never reaches the
    host."""
    disk = str(int(limits.disk_mib * MIB))
    command = ["sh", "-c", f'trap "" INT; filter=$1; shift; exec "$@" {SECCOMP_FD}<"$filter"',
               "sh", str(seccomp_filter),
               "prlimit", f"--fsize={int(limits.file_mib * MIB)}", "--core=0", "--",
               bwrap_path(), "--unshare-all", "--unshare-user", "--disable-userns",
               "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID), "--cap-drop", "ALL",
               "--seccomp", str(SECCOMP_FD), "--die-with-parent", "--proc", "/proc",
               "--dev", "/dev", "--size", disk, "--tmpfs", "/tmp",
               # ipykernel would take PID 1 (its parent inside the namespace) for a dead parent
               "--unsetenv", "JPY_PARENT_PID"]
    for path in readable:
        command += ["--ro-bind-try", path, path]
    for source, target in overlays:  # e.g. the helper package with the answers withheld
        command += ["--ro-bind", source, target]
    for path in writable:
        command += ["--bind", path, path]
    command += ["--size", disk, "--tmpfs", str(cwd)]
    for source, target in cwd_files:
        command += ["--ro-bind", str(source), str(target)]
    # The sandbox's own root (a tmpfs holding the mount points) is read-only too.
    return command + ["--remount-ro", "/", "--chdir", str(cwd), "--",
                      "sh", "-c", PRIVILEGE_CHECK, "sh"]


def isolation_problem(readable, limits):
    """Return why the sandbox would not isolate a kernel on this machine, or ``""``.

    Runs the sandbox's start-up check once, as the grader would start a kernel.
    """
    if not bwrap_path():
        return missing_sandbox_message()
    try:
        import pyseccomp  # noqa: F401
    except (ImportError, OSError) as error:
        return f"the seccomp filter cannot be built ({error}): install libseccomp2 and pyseccomp"
    with tempfile.TemporaryDirectory(prefix="aecourse-check-") as folder:
        bpf = write_seccomp_filter(Path(folder) / "seccomp.bpf")
        run = subprocess.run(bwrap_command(folder, [], readable, limits, bpf) + ["true"],
                             capture_output=True, text=True, timeout=60)
    if run.returncode:
        return (f"the sandbox failed its privilege check (exit {run.returncode}): "
                f"{(run.stderr or run.stdout).strip()[-300:]}")
    return ""


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager that starts the kernel in a sandbox and enforces the limits."""

    sandbox = Bool(True, help="Run the kernel in bubblewrap.").tag(config=True)
    limits = Dict(help="Limits as a dict (see autograder.settings.Limits).").tag(config=True)
    readable = List(Unicode(), help="Host folders visible read-only.").tag(config=True)
    kernel_env = Dict(help="The kernel's whole environment.").tag(config=True)
    overlays = List(Tuple(Unicode(), Unicode()),
                    help="(host folder, path) pairs: the folder is shown read-only in the path's "
                         "place, which is then not readable itself.").tag(config=True)
    shown_files = Dict(help="Path in the working folder -> host file shown there read-only; "
                            "nothing else of the working folder is visible.")
    events_file = Unicode("", help="JSON-lines file where limit violations are written.").tag(
        config=True)
    poll_seconds = Float(0.1).tag(config=True)

    @default("transport")
    def _transport_default(self):
        return "ipc"  # Unix sockets: the sandbox has no network

    @default("connection_file")
    def _connection_file_default(self):
        # A private folder per kernel: it holds the sockets and is the only extra writable path.
        self._socket_dir = tempfile.mkdtemp(prefix="aecourse-kernel-")
        return os.path.join(self._socket_dir, "kernel.json")

    @default("ip")
    def _ip_default(self):
        return os.path.splitext(self.connection_file)[0] + "-ipc"

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            for folder in (getattr(self, "_socket_dir", None), getattr(self, "_launch_dir", None)):
                if folder:
                    shutil.rmtree(folder, ignore_errors=True)

    def _limits(self):
        return Limits(**self.limits)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        cwd = kw.get("cwd") or os.getcwd()
        kw["env"] = dict(self.kernel_env)
        # ipykernel echoes what is written to file descriptor 1 to its own stdout: not into the
        # grader's log (stderr stays there, for a kernel that fails to start).
        kw["stdout"] = subprocess.DEVNULL
        if self.sandbox and not bwrap_path():
            raise RuntimeError(missing_sandbox_message())
        if self.sandbox:
            sockets = str(Path(self.connection_file).parent)
            # Outside the sandbox's view: the kernel never sees its own filter.
            self._launch_dir = tempfile.mkdtemp(prefix="aecourse-launch-")
            bpf = write_seccomp_filter(Path(self._launch_dir) / "seccomp.bpf")
            # Only what the executor names (the notebook as it runs), read-only: nothing else
            # of the working folder, where nbgrader keeps the notebook with its hidden tests.
            shown = sorted((source, target) for target, source in self.shown_files.items())
            hidden = {target for _, target in self.overlays}
            readable = [path for path in self.readable if path not in hidden]
            overlays = [tuple(pair) for pair in self.overlays]
            kernel_cmd = bwrap_command(cwd, [sockets], readable, self._limits(), bpf, shown,
                                       overlays) + list(kernel_cmd)
        if any("ipykernel" in part for part in kernel_cmd):
            kernel_cmd = [*kernel_cmd, stream_cap_argument(self._limits().output_mib * MIB)]
        await super()._async_launch_kernel(kernel_cmd, **kw)
        self._write_event({"started": " ".join(kernel_cmd)})
        process = getattr(self.provisioner, "process", None)
        if process is not None:
            threading.Thread(target=self._watch, args=(process.pid, str(cwd)),
                             daemon=True).start()

    def _watch(self, pid, cwd):
        """Stop the sandbox when its processes use too much memory or are too many."""
        import psutil

        limits = self._limits()
        try:
            root = psutil.Process(pid)
        except psutil.Error:
            return
        while True:
            try:
                if not root.is_running() or root.status() == psutil.STATUS_ZOMBIE:
                    return
            except psutil.Error:
                return
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.Error:  # a process left the tree while it was listed: look again
                time.sleep(self.poll_seconds)
                continue
            members = [p for p in tree if not self.sandbox or not _is_bwrap(p, root)]
            memory = sum(_rss(p) for p in members)
            problem = None
            if memory > limits.memory_gib * GIB:
                problem = f"used more than {limits.memory_gib:g} GiB of memory"
            elif len(members) > limits.processes:
                problem = f"started more than {limits.processes} processes"
            elif self.sandbox and members and _files_made(members[0].pid, cwd) > limits.files:
                problem = f"created more than {limits.files} files"
            if problem:
                self._record(problem)
                _kill_tree(tree)
                return
            time.sleep(self.poll_seconds)

    def _record(self, problem):
        self.log.warning("Sandbox stopped the kernel: it %s", problem)
        self._write_event({"problem": problem})

    def _write_event(self, event):
        if self.events_file:
            with open(self.events_file, "a") as handle:
                handle.write(json.dumps(event) + "\n")


def _is_bwrap(process, root):
    """Whether ``process`` is bubblewrap itself (the launched process or its namespace init)."""
    import psutil

    try:
        return process.pid == root.pid or (process.ppid() == root.pid
                                           and process.name() == "bwrap")
    except psutil.Error:
        return False


def _files_made(pid, cwd):
    """Return the files and folders a sandboxed process holds in its two tmpfs (its ``/tmp``
    and working folder), seen through ``/proc/PID/root``; 0 when they cannot be read."""
    used = 0
    for folder in ("/tmp", cwd):
        try:
            stats = os.statvfs(f"/proc/{pid}/root{folder}")
        except OSError:
            continue
        used += stats.f_files - stats.f_ffree
    return used


def _rss(process):
    import psutil

    try:
        return process.memory_info().rss
    except psutil.Error:
        return 0


def _kill_tree(tree):
    import psutil

    for process in tree:
        with contextlib.suppress(psutil.Error):
            process.send_signal(signal.SIGKILL)
