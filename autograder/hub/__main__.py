"""Start or stop the course's JupyterHub (run as root).

    python -m autograder.hub start [--port 8000] [--detach]   # make hub
    python -m autograder.hub stop                              # make hub-stop
    python -m autograder.hub install   # only the hub's Python, code copy and proxy (CI)
"""

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from autograder.hub.install import CODE, HOME, SetupError, install
from autograder.hub.layout import ACCOUNTS_PREFIX, SETTINGS_VARIABLE, HubLayout, venv_bin
from autograder.hub.setup import require_root, set_up
from autograder.settings import DATA_VARIABLE


def running_pid(layout):
    """The hub's pid if it is running, else None."""
    with contextlib.suppress(OSError, ValueError):
        pid = int(layout.path("jupyterhub.pid").read_text())
        return pid if alive(pid) else None
    return None


def alive(pid):
    """Whether ``pid`` runs (a zombie, stopped but not yet reaped, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def wait_until_up(layout, hub, seconds=120):
    for _ in range(seconds * 2):
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"{layout.url}/hub/health", timeout=2)
            return
        if hub.poll() is not None:
            break
        time.sleep(0.5)
    log = layout.path("jupyterhub.log")
    raise SetupError(f"the hub did not start; the end of {log}:\n"
                     + "".join(log.read_text().splitlines(True)[-30:]))


def banner(layout, passwords):
    roles = {user: "student" for user in layout.students}
    roles[layout.instructor] = "instructor: formgrader, the course folder"
    accounts = "\n".join(f"    {user:<16} {passwords[user]:<16} {roles[user]}"
                         for user in layout.users)
    return f"""
The course's JupyterHub is running at {layout.url}
  accounts (unix users; PAM checks these passwords):
{accounts}
  course folder: {layout.course_dir} (the instructor's)   exchange: {layout.exchange}
  hub log: {layout.path('jupyterhub.log')}

Next: log in as {layout.instructor}, open Nbgrader > Formgrader, generate and release an
assignment; log in as a student (another browser profile or a private window), open
Nbgrader > Assignments, fetch, answer, validate and submit. docs/instructors.md walks through
the rest (collect, autograde, manual grading, feedback). Stop with Ctrl-C or `make hub-stop`.
"""


def start(layout, detach):
    require_root()
    if running_pid(layout):
        raise SetupError(f"a hub is already running ({layout.url}): `make hub-stop` first")
    passwords = set_up(layout)
    env = {**os.environ, SETTINGS_VARIABLE: str(layout.path("layout.json")),
           "PATH": f"{venv_bin()}:{os.environ.get('PATH', '/usr/bin:/bin')}"}
    with open(layout.path("jupyterhub.log"), "ab") as log:
        hub = subprocess.Popen([str(venv_bin() / "jupyterhub"), "-f",
                                str(CODE / "autograder" / "hub" / "jupyterhub_config.py")],
                               cwd=layout.state, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        wait_until_up(layout, hub)
    except BaseException:
        stop(layout)
        raise
    print(banner(layout, passwords), flush=True)
    if detach:
        return 0
    # Ctrl-C, or a plain `kill`, stops the hub and its servers, even when this process was
    # started with SIGINT ignored (a background job, a test runner's worker).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        hub.wait()
    except KeyboardInterrupt:
        print("Stopping the hub...")
    finally:
        stop(layout)
    return 0


def signal_all(users, sig):
    for user in users:
        subprocess.run(["pkill", f"-{sig}", "-u", user], capture_output=True)


def left_running(layout):
    """Processes of the course's accounts and of the hub's proxy still alive."""
    found = subprocess.run(["ps", "-o", "pid=,user=,args=", "-u", ",".join(layout.users)],
                           capture_output=True, text=True).stdout.strip().splitlines()
    with contextlib.suppress(OSError, ValueError):
        proxy = int(layout.path("proxy.pid").read_text())
        if alive(proxy):
            found.append(f"{proxy} configurable-http-proxy")
    return found


def stop(layout):
    """Stop the hub (it stops its servers and proxy), then anything of its users left over."""
    pid = running_pid(layout)
    if pid:
        # The hub stops its servers and its proxy before it exits.
        os.kill(pid, signal.SIGTERM)
        for _ in range(60):
            if not alive(pid):
                break
            time.sleep(0.5)
        else:
            os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError, ValueError):
        os.kill(int(layout.path("proxy.pid").read_text()), signal.SIGTERM)
    signal_all(layout.users, "TERM")
    for _ in range(20):
        if not left_running(layout):
            break
        time.sleep(0.5)
    signal_all(layout.users, "KILL")
    remaining = left_running(layout)
    for name in ("jupyterhub.pid", "proxy.pid"):
        layout.path(name).unlink(missing_ok=True)
    if remaining:
        raise SetupError("still running after the hub stopped:\n" + "\n".join(remaining))
    print("The hub and every server it started are stopped.")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["install", "start", "stop"])
    defaults = HubLayout()
    parser.add_argument("--state", default=defaults.state, help="the hub's own folder (root only)")
    parser.add_argument("--exchange", default=defaults.exchange, help="nbgrader's exchange")
    parser.add_argument("--accounts-prefix", default=ACCOUNTS_PREFIX, help="the accounts are PREFIX"
                        "instructor, PREFIXstudent1 and PREFIXstudent2")
    parser.add_argument("--ip", default=defaults.ip)
    parser.add_argument("--port", type=int, default=defaults.port)
    parser.add_argument("--profile", default="", help="the notebooks' profile in every server "
                        "(default: students get the student profile)")
    parser.add_argument("--max-submission-mib", type=float,
                        default=defaults.max_submission_mib,
                        help="a submission larger than this is refused")
    parser.add_argument("--student-memory-mib", type=int, default=defaults.student_memory_mib,
                        help="memory of a student's server, every process it starts included")
    parser.add_argument("--student-processes", type=int, default=defaults.student_processes,
                        help="processes and threads of a student's server")
    parser.add_argument("--student-tmp-mib", type=int, default=defaults.student_tmp_mib,
                        help="size of a student's private /tmp, and of their /dev/shm")
    parser.add_argument("--detach", action="store_true", help="return once the hub answers")
    args = parser.parse_args(argv)
    try:
        if args.command == "install":
            require_root()
            install()
            print(f"The hub's Python, course code and proxy are installed in {HOME}.")
            return 0
        if args.command == "stop":
            require_root()
            path = Path(args.state) / "layout.json"
            if not path.exists():
                print(f"No hub was started with the state folder {args.state}.")
                return 0
            return stop(HubLayout.load(path))
        data_dir = os.environ.get(DATA_VARIABLE, "")
        layout = HubLayout.for_accounts(
            args.accounts_prefix, state=args.state, exchange=args.exchange, ip=args.ip,
            port=args.port, profile=args.profile, max_submission_mib=args.max_submission_mib,
            student_memory_mib=args.student_memory_mib, student_processes=args.student_processes,
            student_tmp_mib=args.student_tmp_mib,
            data_dir=str(Path(data_dir).resolve()) if data_dir else "")
        return start(layout, args.detach)
    except SetupError as error:
        print(f"make hub: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
