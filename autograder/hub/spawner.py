"""Each student's server under a course's limits: JupyterHub's LocalProcessSpawner, plus

- a cgroup of its own for memory (``Spawner.mem_limit``) and processes (``processes_limit``,
  threads included), which every process the student starts from the server inherits and
  cannot leave;
- a private ``/tmp`` and ``/dev/shm``, each a tmpfs of ``tmp_limit`` bytes (the machine's are
  shared by every account);
- a file-size limit (``RLIMIT_FSIZE``);
- nothing left running: when the server stops or dies, every process in its cgroup is killed.

LocalProcessSpawner enforces none of JupyterHub's limits; SystemdSpawner and container spawners
do, where the machine has systemd or a container runtime. This one needs root and cgroups
(v1 or v2), as the hub already needs root.
"""

import ctypes
import os
import resource
import signal
import time
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Integer

CGROUPS = Path("/sys/fs/cgroup")
GROUP = "aecourse-hub"
CLONE_NEWNS = 0x00020000
MS_NOSUID, MS_NODEV, MS_REC, MS_PRIVATE = 0x2, 0x4, 0x4000, 0x40000


def cgroup_folders(name):
    """The cgroup folders of server ``name``: one per controller (v1) or one (v2)."""
    if (CGROUPS / "cgroup.controllers").exists():
        return {"unified": CGROUPS / GROUP / name}
    return {controller: CGROUPS / controller / GROUP / name for controller in ("memory", "pids")}


def members(folders):
    """The processes in these cgroups now."""
    pids = set()
    for folder in folders.values():
        try:
            pids.update(int(pid) for pid in (folder / "cgroup.procs").read_text().split())
        except OSError:
            continue
    return pids


def end_every_process(folders, seconds=10):
    """Kill every process in ``folders`` until none is left; return how many were killed."""
    killed = set()
    deadline = time.monotonic() + seconds
    while (pids := members(folders)) and time.monotonic() < deadline:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
                killed.add(pid)
            except ProcessLookupError:
                continue
        time.sleep(0.05)
    return len(killed)


class LimitedSpawner(LocalProcessSpawner):
    """LocalProcessSpawner with a cgroup, a private /tmp and /dev/shm, and a file-size limit."""

    processes_limit = Integer(1024, help="Processes and threads of one server, all together."
                              ).tag(config=True)
    tmp_limit = Integer(1024**3, help="Bytes of the server's private /tmp, and of its "
                                      "/dev/shm.").tag(config=True)
    file_size_limit = Integer(2 * 1024**3, help="Bytes of one file the server's processes "
                                                "write.").tag(config=True)

    @property
    def folders(self):
        return cgroup_folders(self.user.name)

    def prepare_cgroups(self):
        """Create the server's cgroups with their limits (an error names what failed)."""
        # v1: swap counts as memory too (memsw, where the kernel accounts it); lifted first so
        # that a larger memory limit than the last one is accepted.
        settings = [("memory.memsw.limit_in_bytes", -1), ("memory.limit_in_bytes", self.mem_limit),
                    ("memory.memsw.limit_in_bytes", self.mem_limit),
                    ("pids.max", self.processes_limit)]
        if "unified" in self.folders:
            for parent in (CGROUPS, CGROUPS / GROUP):
                parent.mkdir(exist_ok=True)
                (parent / "cgroup.subtree_control").write_text("+memory +pids")
            settings = [("memory.max", self.mem_limit), ("pids.max", self.processes_limit)]
        end_every_process(self.folders)  # a previous server's leftovers
        for folder in self.folders.values():
            folder.mkdir(parents=True, exist_ok=True)
            for name, value in settings:
                if (folder / name).exists() and value:
                    (folder / name).write_text(str(value))

    def make_preexec_fn(self, name):
        become_the_user = super().make_preexec_fn(name)
        procs = [str(folder / "cgroup.procs") for folder in self.folders.values()]
        libc = ctypes.CDLL(None, use_errno=True)
        tmp_options = f"size={self.tmp_limit},mode=1777".encode()
        file_size = self.file_size_limit

        def preexec():
            # In the child, still root: join the cgroups, then a mount namespace of its own.
            for path in procs:
                with open(path, "w") as handle:
                    handle.write(str(os.getpid()))
            if libc.unshare(CLONE_NEWNS) or libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE,
                                                         None):
                raise OSError(ctypes.get_errno(), "cannot give the server its own mounts")
            for target in (b"/tmp", b"/dev/shm"):
                if libc.mount(b"tmpfs", target, b"tmpfs", MS_NOSUID | MS_NODEV, tmp_options):
                    raise OSError(ctypes.get_errno(), f"cannot mount a private {target.decode()}")
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            become_the_user()

        return preexec

    async def start(self):
        self.prepare_cgroups()
        return await super().start()

    async def poll(self):
        status = await super().poll()
        if status is not None:
            self.end_leftovers()
        return status

    async def stop(self, now=False):
        await super().stop(now=now)
        self.end_leftovers()

    def end_leftovers(self):
        killed = end_every_process(self.folders)
        if killed:
            self.log.info("Ended %d leftover processes of %s", killed, self.user.name)
