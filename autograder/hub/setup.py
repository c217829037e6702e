"""Create what the hub needs on this machine, as root: accounts, exchange and course folder.

Everything is created only when missing, so that a restart keeps the class's work: homes,
submissions in the exchange, the course folder and its gradebook.
"""

import json
import os
import pwd
import secrets
import shutil
import subprocess
from pathlib import Path

from autograder.hub.install import HOME, SetupError, install
from autograder.hub.layout import venv_bin
from autograder.settings import CONFIG, SOURCE

PRIVATE = 0o700
# nbgrader's documented exchange: every account may create its own entries in it; the sticky bit
# keeps anyone from removing another's.
EXCHANGE_MODE = 0o1777


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


def ensure_exchange(layout):
    exchange = Path(layout.exchange)
    exchange.mkdir(parents=True, exist_ok=True)
    exchange.chmod(EXCHANGE_MODE)


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
    install()
    Path(layout.state).mkdir(mode=PRIVATE, parents=True, exist_ok=True)
    Path(layout.state).chmod(PRIVATE)
    for user in layout.users:
        ensure_account(user)
        check_course_python_is_usable_by(user)
    ensure_exchange(layout)
    ensure_course(layout)
    layout.save()
    return passwords(layout)
