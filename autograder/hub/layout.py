"""Where the hub keeps its state, who its users are, and how it is reached: one home each."""

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from autograder.hub import install
from autograder.hub.exchange import DEFAULT_LIMIT_MIB, LIMIT_VARIABLE
from autograder.settings import COURSE_ID

# Each role's Jupyter configuration folder (JUPYTER_CONFIG_PATH), in the hub's copy of the
# course, which every server runs from (whoever asks: the hub, or a test acting as a user).
ROLES = install.CODE / "autograder" / "hub" / "roles"
SETTINGS_VARIABLE = "AECOURSE_HUB_SETTINGS"
ACCOUNTS_PREFIX = "aec-"


@dataclass(frozen=True)
class HubLayout:
    """One hub: its accounts, folders, address and the profile its students' notebooks run."""

    instructor: str = f"{ACCOUNTS_PREFIX}instructor"
    students: tuple = (f"{ACCOUNTS_PREFIX}student1", f"{ACCOUNTS_PREFIX}student2")
    # Hub database, cookie secret, passwords, pid and log: root only.
    state: str = "/srv/aecourse-hub"
    # nbgrader's documented default exchange, shared by every account.
    exchange: str = "/srv/nbgrader/exchange"
    ip: str = "127.0.0.1"
    port: int = 8000  # the hub's own port is port + 81, the proxy's API port + 1
    profile: str = ""  # empty: students get the course's default (student) profile
    data_dir: str = ""
    # A submission (every file of the assignment together) larger than this is refused.
    max_submission_mib: float = DEFAULT_LIMIT_MIB
    # Each student's server, with every process it starts (autograder/hub/spawner.py).
    student_memory_mib: int = 4096
    student_processes: int = 1024  # threads included
    student_tmp_mib: int = 1024  # its private /tmp, and its /dev/shm

    @classmethod
    def for_accounts(cls, prefix, **settings):
        """The layout whose accounts are ``prefix`` + instructor, student1 and student2."""
        return cls(instructor=f"{prefix}instructor",
                   students=(f"{prefix}student1", f"{prefix}student2"), **settings)

    @property
    def users(self):
        return (self.instructor, *self.students)

    @property
    def course_dir(self):
        """The course folder, in the instructor's home and owned by the instructor."""
        return Path("/home") / self.instructor / COURSE_ID

    @property
    def url(self):
        return f"http://{self.ip}:{self.port}"

    @property
    def hub_port(self):
        return self.port + 81

    @property
    def proxy_api_port(self):
        return self.port + 1

    def path(self, name):
        return Path(self.state) / name

    def save(self):
        self.path("layout.json").write_text(json.dumps(asdict(self), indent=1))

    @classmethod
    def load(cls, path=None):
        """Read the layout the launcher saved (``$AECOURSE_HUB_SETTINGS`` or the default)."""
        path = Path(path or os.environ.get(SETTINGS_VARIABLE) or
                    Path(cls.state) / "layout.json")
        values = json.loads(path.read_text())
        values["students"] = tuple(values["students"])
        return cls(**values)


def role_config(layout, username):
    """The Jupyter configuration folder of ``username``'s role."""
    return ROLES / ("instructor" if username == layout.instructor else "student")


def server_environment(layout, username):
    """The environment of ``username``'s server on the hub (and of tests acting as them)."""
    from autograder.settings import DATA_VARIABLE, EXCHANGE_VARIABLE, PROFILE_VARIABLE

    return {
        "PATH": f"{venv_bin()}:/usr/local/bin:/usr/bin:/bin",
        # The role's configuration: formgrader and the course folder for the instructor, the
        # Assignments tab and the size limit for students.
        "JUPYTER_CONFIG_PATH": str(role_config(layout, username)),
        "AECOURSE_COURSE_DIR": str(layout.course_dir),
        EXCHANGE_VARIABLE: layout.exchange,
        LIMIT_VARIABLE: str(layout.max_submission_mib),
        **({DATA_VARIABLE: layout.data_dir} if layout.data_dir else {}),
        **({PROFILE_VARIABLE: layout.profile} if layout.profile else {}),
    }


def venv_bin():
    """The folder of the hub's Python: jupyterhub, jupyterhub-singleuser, nbgrader, the kernel."""
    return install.VENV / "bin"
