"""Grading kernels in a bubblewrap sandbox, with limits on memory, processes, files and output.

nbgrader executes each notebook with ``SandboxedExecute`` (set in the per-submission course's
config by ``autograder.grading.worker``). Its kernel manager starts the kernel as

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
from nbgrader.preprocessors import Execute
from traitlets import Bool, Dict, Float, Integer, List, Unicode, default

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
    withheld = Dict(help="Assignment -> names of the helper package withheld from its kernels "
                         "(autograder.grading.withhold).").tag(config=True)
    package = Unicode("", help="The helper package folder those names are in.").tag(config=True)
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
            readable, overlays = list(self.readable), []
            names = self.withheld.get(Path(cwd).name)  # nbgrader's .../<student>/<assignment>
            if names and self.package:
                from autograder.grading.withhold import withheld_copy

                copy = withheld_copy(self.package, names, Path(self._launch_dir) / "package")
                readable = [path for path in readable if path != self.package]
                overlays = [(str(copy), self.package)]
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


def configure(config, limits, kernel_env, readable, sandbox=True, events_file="",
              withheld=None, package=""):
    """Make ``config`` (a traitlets ``Config``) autograde in this sandbox: nbgrader's own
    preprocessors with ``SandboxedExecute`` and the judge, these limits and this kernel, with
    ``withheld`` (assignment -> names) stubbed out of the helper package at ``package``."""
    from autograder.grading.verdicts import autograde_preprocessors

    config.Autograde.autograde_preprocessors = autograde_preprocessors(SandboxedExecute)
    config.Execute.timeout = limits.cell_seconds
    config.SandboxedExecute.max_output_bytes = int(limits.output_mib * MIB)
    config.SandboxedExecute.max_image_bytes = int(limits.image_mib * MIB)
    config.SandboxKernelManager.sandbox = sandbox
    config.SandboxKernelManager.limits = limits.as_dict()
    config.SandboxKernelManager.readable = list(readable)
    config.SandboxKernelManager.kernel_env = dict(kernel_env)
    config.SandboxKernelManager.events_file = str(events_file)
    config.SandboxKernelManager.withheld = dict(withheld or {})
    config.SandboxKernelManager.package = str(package)
    return config


class SandboxedExecute(Execute):
    """nbgrader's Execute with the sandboxed kernel and two caps on the output it keeps: text
    (streams, errors, tables) and images, each counted over the whole notebook."""

    max_output_bytes = Integer(2 * MIB, help="Text output kept per notebook.").tag(config=True)
    max_image_bytes = Integer(16 * MIB, help="Image output kept per notebook.").tag(config=True)
    # nbgrader raises here, which fails the whole submission when a flood is still arriving
    # after its cell ended (more often on a loaded machine): its tail is dropped instead.
    raise_on_iopub_timeout = Bool(False).tag(config=True)
    iopub_timeout = Integer(10).tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs["kernel_manager_class"] = SandboxKernelManager
        super().__init__(*args, **kwargs)
        self._used = {"text": 0, "images": 0, "probes": 0}
        self._capped = set()
        self._shown = {}

    def preprocess(self, nb, resources=None, km=None):
        """Execute ``nb`` with its working folder showing only ``nb`` itself, as it runs: the
        file nbgrader wrote there holds the hidden tests, which the kernel must not read."""
        import nbformat

        folder = (resources or {}).get("metadata", {}).get("path") or os.getcwd()
        name = f"{(resources or {}).get('unique_key') or 'notebook'}.ipynb"
        with tempfile.TemporaryDirectory(prefix="aecourse-shown-") as private:
            copy = Path(private) / name
            nbformat.write(nb, copy)
            self._shown = {str(Path(folder) / name): str(copy)}
            try:
                return super().preprocess(nb, resources, km)
            finally:
                self._shown = {}

    def create_kernel_manager(self):
        manager = super().create_kernel_manager()
        manager.shown_files = dict(self._shown)
        return manager

    def output(self, outs, msg, display_id, cell_index):
        if self._counted(outs, msg):
            return super().output(outs, msg, display_id, cell_index)
        return None

    def _update_display_id(self, display_id, msg):
        """nbclient replaces a display's data in place (``update_display``): counted against the
        caps like any output, and never a way to bring in or change a judge's payload."""
        from autograder.grading.judge import PROBE_MIME

        data = msg.get("content", {}).get("data") or {}
        shown_in = self._display_id_map.get(display_id, {})  # cell -> output indices
        replaced = [self.nb.cells[cell].outputs[index]
                    for cell, indices in shown_in.items() for index in indices]
        if PROBE_MIME in data or any(PROBE_MIME in out.get("data", {}) for out in replaced):
            return None
        outs = self.nb.cells[next(iter(shown_in))].outputs if shown_in else []
        if self._counted(outs, msg, times=max(1, len(replaced))):
            return super()._update_display_id(display_id, msg)
        return None

    def _counted(self, outs, msg, times=1):
        """Count ``msg``'s output against its cap (text, images or judge payloads); return
        whether it is kept. Past a cap, a note says once that the rest was dropped."""
        from autograder.grading.judge import MAX_PAYLOAD_CHARS, PROBE_MIME

        size = len(json.dumps(msg.get("content", {}))) * times
        data = msg.get("content", {}).get("data") or {}
        if PROBE_MIME in data:
            # The judge's inputs have a cap of their own, so that printing before a test never
            # costs it its payload; more than one payload in a cell fails that test anyway.
            kind, cap = "probes", self.max_output_bytes + MAX_PAYLOAD_CHARS
        elif any(key.startswith("image/") for key in data):
            kind, cap = "images", self.max_image_bytes
        else:
            kind, cap = "text", self.max_output_bytes
        self._used[kind] += size
        if self._used[kind] <= cap:
            return True
        if kind not in self._capped:
            what = f"more than {cap / MIB:g} MiB of " + {"images": "images", "text": "text",
                                                          "probes": "values for the grader"}[kind]
            verb = "displayed" if kind == "images" else "printed"
            self._dropped(kind, outs, f"Output limit reached: {what}", f"{verb} {what}")
        return False

    async def _async_poll_for_reply(self, msg_id, cell, timeout, task_poll_output_msg,
                                    task_poll_kernel_alive):
        reply = await super()._async_poll_for_reply(msg_id, cell, timeout, task_poll_output_msg,
                                                    task_poll_kernel_alive)
        if task_poll_output_msg.cancelled() and "late" not in self._capped:
            # nbclient gave up waiting for this cell's output (raise_on_iopub_timeout is off).
            late = f"output still arriving {self.iopub_timeout} s after its cell ended"
            self._dropped("late", cell.outputs, f"Output limit reached: {late}", f"sent {late}")
        return reply

    def _dropped(self, kind, outs, message, problem):
        """Note once per kind in the cell and in the events file that output was dropped."""
        self._capped.add(kind)
        self.log.warning(message)
        events_file = self.config.SandboxKernelManager.get("events_file")
        if events_file:
            with open(events_file, "a") as handle:
                handle.write(json.dumps({"problem": f"{problem} (the rest was dropped)"}) + "\n")
        outs.append(_stream(f"{message}; the rest was dropped.\n"))


def _stream(text):
    from nbformat.v4 import new_output

    return new_output("stream", name="stdout", text=text)
