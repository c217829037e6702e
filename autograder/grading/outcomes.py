"""What happened to each submission, kept in the class folder between runs."""

import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum

STATE = ".grader"  # inside the class folder: outcomes of earlier runs and the grader's log


class Status(StrEnum):
    GRADED = "graded"
    FAILED = "failed"  # graded as far as it went: the problem says why it stopped
    NOT_GRADED = "not graded"  # nothing could run (no readable notebook)


@dataclass
class Outcome:
    """What happened to one student's submission of one assignment."""

    student: str
    assignment: str
    status: Status = Status.GRADED
    problem: str = ""
    flags: str = ""  # integrity flags: "notebook: cell N: reason; ..."
    scores: dict = field(default_factory=dict)  # question -> [score, max, kind]
    digest: str = ""
    seconds: float = 0.0
    sandboxed: bool = True

    def __post_init__(self):
        self.status = Status(self.status)

    @property
    def key(self):
        return f"{self.student}/{self.assignment}"

    def total(self, kind):
        return sum(score for score, _, k in self.scores.values() if k == kind)

    def add_problem(self, problem, status=None):
        """Append ``problem`` to the row's note; ``status`` replaces the status when given."""
        self.problem = "; ".join(part for part in (self.problem, problem) if part)
        if status is not None:
            self.status = Status(status)


def load_outcomes(out):
    """Return ``{student/assignment: Outcome}`` saved by earlier runs into class folder ``out``."""
    path = out / STATE / "outcomes.json"
    if not path.exists():
        return {}
    return {key: Outcome(**value) for key, value in json.loads(path.read_text()).items()}


def save_outcomes(out, outcomes):
    """Save the outcomes atomically: a Ctrl-C never leaves half a file."""
    path = out / STATE / "outcomes.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps({key: asdict(o) for key, o in outcomes.items()}, indent=1))
    partial.replace(path)
