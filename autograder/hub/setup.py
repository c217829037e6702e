"""Create what the hub needs on this machine, as root: accounts, exchange and course folder.

Everything is created only when missing, so that a restart keeps the class's work: homes,
submissions in the exchange, the course folder and its gradebook.
"""

import json
import os
import pwd
import secrets
import shutil
import stat
import subprocess
import time
from pathlib import Path

from autograder.hub.install import HOME, SetupError, install
from autograder.hub.layout import venv_bin
from autograder.settings import CONFIG, COURSE_ID, ROOT, SOURCE

PRIVATE = 0o700
# nbgrader's documented exchange root: every account may create its own entries in it; the
# sticky bit keeps anyone from removing another's.
EXCHANGE_MODE = 0o1777
# The course's folders in it, created here and owned by the instructor before any student can
# pre-empt them: outbound read by all; inbound as nbgrader makes it (others write and cross,
# never list; setgid) plus the sticky bit, so that no student renames or removes another's
# submission; feedback crossed only, each student's folder named by a secret.
COURSE_EXCHANGE_MODES = {"": 0o755, "outbound": 0o755, "inbound": 0o3733, "feedback": 0o711}
# What holds answers in the checkout the hub is started from.
ANSWERS_IN_CHECKOUT = ("source", "notebooks", "autograder/qa", "utils")


def require_root():
    if os.geteuid() != 0:
        raise SetupError("the hub creates unix accounts and starts each user's server under "
                         "that account: run it as root (sudo make hub)")


def ensure_account(name):
    """Create ``name`` (own group, private home) unless it exists; return its passwd entry."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--user-group", "--shell", "/bin/bash", name],
                       check=True, capture_output=True)
        entry = pwd.getpwnam(name)
        os.chmod(entry.pw_dir, PRIVATE)  # no student reads another's work
        return entry


def passwords(layout):
    """Return ``{user: password}``: kept in the state folder (root only) across restarts, and
    set on the accounts at each start so that PAM accepts exactly these."""
    path = layout.path("passwords.json")
    known = json.loads(path.read_text()) if path.exists() else {}
    chosen = {user: known.get(user) or secrets.token_urlsafe(9) for user in layout.users}
    path.write_text(json.dumps(chosen, indent=1))
    path.chmod(0o600)
    subprocess.run(["chpasswd"], input="".join(f"{user}:{password}\n"
                                               for user, password in chosen.items()),
                   text=True, check=True, capture_output=True)
    return chosen


def check_course_python_is_usable_by(user):
    """Each user's server runs the hub's Python and code copy: they must be readable by them."""
    python = venv_bin() / "python"
    probe = subprocess.run(["runuser", "-u", user, "--", str(python), "-c",
                            "import aecourse, autograder, nbgrader, jupyterhub"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        raise SetupError(f"{user} cannot run the hub's Python ({python}): {HOME} and the "
                         "system Python under it must be readable by every account.\n"
                         f"{probe.stderr[-800:]}")


def readable_by(user, paths):
    """The ``paths`` that ``user`` can read (as that account, not by guessing from modes)."""
    probe = subprocess.run(["runuser", "-u", user, "--", "sh", "-c",
                            'for path; do test -r "$path" && echo "$path"; done', "sh",
                            *map(str, paths)], capture_output=True, text=True)
    return probe.stdout.split()


def check_checkout_is_private(layout, root=ROOT):
    """Refuse to start while a student could read the answers in the checkout itself."""
    answers = [Path(root) / name for name in ANSWERS_IN_CHECKOUT if (Path(root) / name).exists()]
    exposed = readable_by(layout.students[0], answers)
    if exposed:
        raise SetupError(f"{layout.students[0]} can read the course's answers in the checkout "
                         f"this hub runs from ({', '.join(exposed)}). Make it private first: "
                         f"chmod o-rwx {root} (or clone it inside a private folder).")


def ensure_exchange(layout):
    """The exchange root as nbgrader wants it, and the course's folders in it owned by the
    instructor; a folder someone else made there first is moved aside (root only)."""
    exchange = Path(layout.exchange)
    exchange.mkdir(parents=True, exist_ok=True)
    os.chown(exchange, 0, 0)
    exchange.chmod(EXCHANGE_MODE)
    owner = pwd.getpwnam(layout.instructor)
    course = exchange / COURSE_ID
    for name, mode in COURSE_EXCHANGE_MODES.items():
        folder = course / name if name else course
        status = os.lstat(folder) if os.path.lexists(folder) else None
        if status and (not stat.S_ISDIR(status.st_mode) or status.st_uid != owner.pw_uid):
            aside = exchange / f".squatted-{folder.name}-{int(time.time())}"
            os.rename(folder, aside)
            aside.chmod(PRIVATE)
            print(f"Moved {folder}, made by another account, aside to {aside}", flush=True)
        folder.mkdir(exist_ok=True)
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        folder.chmod(mode)


def ensure_course(layout):
    """The instructor's course folder: the course's nbgrader config and the source notebooks."""
    owner = pwd.getpwnam(layout.instructor)
    course = layout.course_dir
    if not course.exists():
        course.mkdir(mode=PRIVATE)
        shutil.copy(CONFIG, course / "nbgrader_config.py")
        shutil.copytree(SOURCE, course / "source")
        for path in [course, *course.rglob("*")]:
            os.chown(path, owner.pw_uid, owner.pw_gid)
    course.chmod(PRIVATE)


def set_up(layout):
    """Everything the hub needs; return the accounts' passwords."""
    require_root()
    for user in layout.users:
        ensure_account(user)
    check_checkout_is_private(layout)
    install(group=pwd.getpwnam(layout.instructor).pw_gid)
    Path(layout.state).mkdir(mode=PRIVATE, parents=True, exist_ok=True)
    Path(layout.state).chmod(PRIVATE)
    for user in layout.users:
        check_course_python_is_usable_by(user)
    ensure_exchange(layout)
    ensure_course(layout)
    layout.save()
    return passwords(layout)
