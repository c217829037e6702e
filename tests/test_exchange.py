"""nbgrader's exchange end to end: release, fetch, submit, collect, then the course's grader.

The instructor releases an assignment (the one-exercise probe: the exchange is what is tested
here, the course's notebooks are graded in test_grading.py) into a temporary exchange folder,
two students fetch it into their own folders, one hands in the model answer and one the blank
notebook, the instructor collects both and grades what was collected with
``autograder.grading``.
"""

import os
import shutil

import nbformat
import pytest

from autograder import settings
from autograder.grading import grade_class
from autograder.hub.exchange import RefusedSubmission, copy_tree
from autograder.qa.exchange import nbgrader, release
from autograder.qa.probe import PROBE, submission, write_source
from autograder.qa.probe import release as probe_release

ASSIGNMENT = PROBE
COURSE = settings.COURSE_ID
STUDENT_CONFIG = settings.ROOT / "autograder" / "student_nbgrader_config.py"


@pytest.mark.slow
def test_release_fetch_submit_collect_then_grade(tmp_path):
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    source = write_source(tmp_path / "source")
    released_nb = probe_release(source)
    course, log = release(tmp_path, exchange, ASSIGNMENT, source.parent / "release")
    assert f"Released as: {COURSE} {ASSIGNMENT}" in log

    released = (source.parent / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text()
    for student, answered in {"alice": True, "bob": False}.items():
        home = tmp_path / student
        home.mkdir()
        # The student's configuration, which a student copies to ~/.jupyter (nbgrader also
        # reads it from the working folder): the course id, the exchange from $AECOURSE_EXCHANGE.
        shutil.copy(STUDENT_CONFIG, home / "nbgrader_config.py")
        assert f"{COURSE} {ASSIGNMENT}" in nbgrader(["list"], home, exchange)
        nbgrader(["fetch_assignment", ASSIGNMENT], home, exchange)
        fetched = home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        assert fetched.read_text() == released, "the student fetches the committed release"
        if answered:
            nbformat.write(submission(released_nb), str(fetched))
        # --student names the submitter, as each student's own unix account would.
        log = nbgrader(["submit", ASSIGNMENT, "--student", student], home, exchange)
        assert f"Submitted as: {COURSE} {ASSIGNMENT}" in log

    # One unix user plays every role here: on a shared hub keep nbgrader's owner check.
    log = nbgrader(["collect", ASSIGNMENT, "--CollectApp.check_owner=False"], course, exchange)
    assert "Collecting submission: alice" in log and "Collecting submission: bob" in log
    submitted = course / "submitted"
    assert sorted(path.name for path in submitted.iterdir()) == ["alice", "bob"]
    assert (submitted / "alice" / ASSIGNMENT / "timestamp.txt").is_file()

    outcomes = {outcome.student: outcome for outcome in
                grade_class(submitted, tmp_path / "grading", [ASSIGNMENT], workers=2,
                            source=source)}
    auto = {student: [(score, maximum) for score, maximum, kind in outcome.scores.values()
                      if kind == "auto"] for student, outcome in outcomes.items()}
    assert outcomes["alice"].status == "graded" and outcomes["bob"].status == "graded"
    # nbgrader's own records of the exchange are not the student's extra files.
    assert "extra files" not in (outcomes["alice"].problem or ""), outcomes["alice"].problem
    assert sum(maximum for _, maximum in auto["alice"]) == 2
    assert sum(score for score, _ in auto["alice"]) == 2
    assert sum(score for score, _ in auto["bob"]) == 0
    grades = (tmp_path / "grading" / "grades.csv").read_text()
    assert "alice" in grades and "bob" in grades


@pytest.mark.slow
def test_the_hubs_collect_skips_a_submission_over_the_limit_and_takes_the_one_before(
        tmp_path, monkeypatch):
    """The hub's collect (autograder/hub/exchange.py): a submission over the size limit is
    skipped with an error, and the student's previous one is collected instead."""
    import getpass

    exchange = tmp_path / "exchange"
    exchange.mkdir()
    source = write_source(tmp_path / "source")
    probe_release(source)
    course, _ = release(tmp_path, exchange, ASSIGNMENT, source.parent / "release")
    home = tmp_path / "student"
    home.mkdir()
    shutil.copy(STUDENT_CONFIG, home / "nbgrader_config.py")
    nbgrader(["fetch_assignment", ASSIGNMENT], home, exchange)
    nbgrader(["submit", ASSIGNMENT], home, exchange)
    (home / ASSIGNMENT / "weights.bin").write_bytes(b"\0" * 200_000)
    nbgrader(["submit", ASSIGNMENT], home, exchange)  # plain nbgrader lets it through

    monkeypatch.setenv("AECOURSE_MAX_SUBMISSION_MIB", "0.1")
    log = nbgrader(["collect", ASSIGNMENT,
                    "--ExchangeFactory.collect=autograder.hub.exchange.LimitedCollect"],
                   course, exchange)
    assert "over the size limit of 0.1 MiB" in log and "Skipped" in log
    collected = course / "submitted" / getpass.getuser() / ASSIGNMENT
    assert (collected / f"{ASSIGNMENT}.ipynb").is_file()
    assert not (collected / "weights.bin").exists(), "the earlier submission is collected"


def hostile_folder(root, secret):
    """A submission folder with a notebook and every entry collect must refuse, one each."""
    folders = {}
    for kind in ("link", "folder_link", "fifo", "hard_link", "device_link", "plain"):
        folder = root / kind
        folder.mkdir(parents=True)
        (folder / "answer.ipynb").write_text("{}")
        folders[kind] = folder
    (folders["link"] / "environ").symlink_to(secret)
    (folders["folder_link"] / "course").symlink_to(secret.parent, target_is_directory=True)
    os.mkfifo(folders["fifo"] / "pipe")
    os.link(secret, folders["hard_link"] / "gradebook.db")
    (folders["device_link"] / "zeros").symlink_to("/dev/zero")
    (folders["plain"] / "notes").mkdir()
    (folders["plain"] / "notes" / "data.csv").write_text("1,2\n")
    return folders


def test_copy_tree_follows_no_link_and_copies_only_plain_files(tmp_path):
    secret = tmp_path / "instructor" / "gradebook.db"
    secret.parent.mkdir()
    secret.write_text("THE INSTRUCTOR'S SECRET")
    folders = hostile_folder(tmp_path / "inbound", secret)
    refusals = {"link": "'environ' is a link", "folder_link": "'course' is a link",
                "fifo": "'pipe' is a link or a special file",
                "hard_link": "'gradebook.db' is a hard link",
                "device_link": "'zeros' is a link"}
    for kind, message in refusals.items():
        copy = tmp_path / "copies" / kind
        copy.parent.mkdir(exist_ok=True)
        with pytest.raises(RefusedSubmission, match=message):
            copy_tree(folders[kind], copy)
        copied = [path.read_text() for path in copy.rglob("*") if path.is_file()]
        assert "THE INSTRUCTOR'S SECRET" not in copied, kind
    plain = tmp_path / "copies" / "plain"
    assert copy_tree(folders["plain"], plain) == len("{}") + len("1,2\n")
    assert (plain / "notes" / "data.csv").read_text() == "1,2\n"
    assert not os.stat(plain / "answer.ipynb").st_mode & 0o022
    # Bytes actually read, not sizes reported: a sparse file counts in full, and stops it.
    (folders["plain"] / "big.bin").write_bytes(b"")
    os.truncate(folders["plain"] / "big.bin", 3 * 2**20)
    with pytest.raises(RefusedSubmission, match=r"over the size limit of 2 MiB \(at 'big.bin'\)"):
        copy_tree(folders["plain"], limit=2 * 2**20)
    with pytest.raises(RefusedSubmission, match="belongs to another account"):
        copy_tree(folders["plain"], owner=os.getuid() + 1)
    with pytest.raises(RefusedSubmission, match="is not a plain folder"):
        copy_tree(folders["link"] / "environ")


@pytest.mark.slow
def test_the_courses_collect_skips_a_submission_with_links_and_takes_the_one_before(tmp_path):
    """nbgrader's own collect (formgrader's button, `nbgrader collect`) with the course's
    configuration: a later submission holding links is skipped, nothing of theirs is copied."""
    import getpass

    exchange = tmp_path / "exchange"
    exchange.mkdir()
    source = write_source(tmp_path / "source")
    probe_release(source)
    course, _ = release(tmp_path, exchange, ASSIGNMENT, source.parent / "release")
    (course / "gradebook.db").touch()
    home = tmp_path / "student"
    home.mkdir()
    shutil.copy(STUDENT_CONFIG, home / "nbgrader_config.py")
    nbgrader(["fetch_assignment", ASSIGNMENT], home, exchange)
    nbgrader(["submit", ASSIGNMENT], home, exchange)
    inbound = exchange / COURSE / "inbound"
    (first,) = inbound.iterdir()
    assert oct(first.stat().st_mode & 0o777) == "0o755", "no one else writes in a submission"
    # A later one, made by hand beside the course's submit, which refuses links.
    student, assignment = first.name.split("+")[:2]
    later = inbound / f"{student}+{assignment}+2999-01-01 00:00:00.000000 UTC+evil"
    shutil.copytree(first, later)
    (later / "environ").symlink_to("/proc/self/environ")
    (later / "gradebook.db").symlink_to(course / "gradebook.db")
    (home / ASSIGNMENT / "environ").symlink_to("/proc/self/environ")
    with pytest.raises(RuntimeError, match="NOT SUBMITTED: 'environ' is a link"):
        nbgrader(["submit", ASSIGNMENT], home, exchange)

    log = nbgrader(["collect", ASSIGNMENT], course, exchange)
    assert "Skipped '" in log and "'environ' is a link or a special file" in log
    collected = course / "submitted" / getpass.getuser() / ASSIGNMENT
    assert sorted(path.name for path in collected.iterdir()) == [
        f"{ASSIGNMENT}.ipynb", "submission_secret.txt", "timestamp.txt"]
