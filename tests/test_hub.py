"""The course on its JupyterHub, in chromium: an instructor and two students with their own unix
accounts, from release to returned feedback, and the faults a class meets on the way.

The hub is started as ``make hub`` starts it (``python -m autograder.hub start``), with its own
accounts (``aect-*``), state folder and exchange, so that it never touches a hub of the
machine's. It needs root (accounts, PAM, one server per account), Debian's chromium, nodejs and
the system's Python; elsewhere the tests skip with the command that runs them. Under CI
(``AECOURSE_REQUIRE_HUB=1``, set by ``.ci/run``) a missing piece fails them. Screenshots go to
``build/browser/hub/``.
"""

import contextlib
import importlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest
from browser import (
    CHROMIUM_ARGS,
    VIEWPORT,
    Steps,
    cell,
    chromium,
    from_menu,
    source_index,
    type_into,
)
from nbgrader.api import Gradebook

from autograder import sandbox, settings
from autograder.hub import install, spawner
from autograder.hub.__main__ import left_running
from autograder.hub.layout import HubLayout, server_environment, venv_bin
from autograder.hub.setup import SetupError, check_checkout_is_private
from autograder.qa import samples

pytestmark = pytest.mark.slow  # minutes of a real hub: `make test-slow`

ASSIGNMENT = "01_wine_basics"
COURSE = settings.COURSE_ID
PREFIX = "aect-"
STATE, EXCHANGE = Path("/srv/aecourse-hub-test"), Path("/srv/aecourse-hub-test-exchange")
LIMIT_MIB = 2
STUDENT_MEMORY_MIB, STUDENT_TMP_MIB = 2048, 64
RUN_BY = "sudo make venv && sudo .venv/bin/python -m pytest tests/test_hub.py"
# Exercise 1 without the division by the standard deviation: a wrong answer worth 0 points,
# which also says where it runs (graded: the sandbox's uid, and no gradebook in sight).
GRADEBOOK = f"/home/{PREFIX}instructor/{settings.COURSE_ID}/gradebook.db"
WRONG_STANDARDISE = ("import os\n\n"
                     f"print('UID', os.getuid(), 'sees the gradebook:',\n"
                     f"      os.path.exists('{GRADEBOOK}'))\n\n\n"
                     "def standardise(features):\n"
                     "    features = np.asarray(features, dtype=float)\n"
                     "    return features - features.mean(axis=0)\n")
SANDBOXED = f"UID {sandbox.SANDBOX_UID} sees the gradebook: False"

def missing_pieces():
    """What this machine lacks to run the hub, as messages."""
    missing = []
    if os.geteuid() != 0:
        missing.append("root (the hub creates accounts and runs a server per account)")
    for command, package in (("npm", "npm"), ("useradd", "passwd"), ("runuser", "util-linux"),
                             ("bwrap", "bubblewrap")):
        if not shutil.which(command):
            missing.append(f"{command} (apt-get install {package})")
    if not Path("/usr/bin/python3").exists():
        missing.append("/usr/bin/python3 (apt-get install python3 python3-venv)")
    return missing


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def hub_command(*arguments):
    result = subprocess.run([sys.executable, "-m", "autograder.hub", *arguments],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def remove_accounts(users):
    for user in users:
        subprocess.run(["pkill", "-KILL", "-u", user], capture_output=True)
        subprocess.run(["userdel", "--remove", user], capture_output=True)


class RunningHub:
    """``python -m autograder.hub start`` in the foreground, as ``make hub`` runs it."""

    def __init__(self, arguments):
        self.arguments = arguments
        self.start()

    def start(self):
        self.process = subprocess.Popen([sys.executable, "-m", "autograder.hub", "start",
                                         *self.arguments], stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        shown = []
        for line in self.process.stdout:  # until the banner's last paragraph
            shown.append(line)
            if line.startswith("Next:"):
                break
        assert self.process.poll() is None, "".join(shown)
        self.banner = "".join(shown)

    def interrupt(self):
        """Ctrl-C: the launcher stops the hub, its servers and its proxy."""
        self.process.send_signal(signal.SIGINT)
        output = self.process.communicate(timeout=120)[0]
        assert self.process.returncode == 0 and "stopped" in output, output


@pytest.fixture(scope="module")
def hub():
    """A fresh hub: new accounts, state and exchange; stopped with `make hub-stop`'s command at
    the end, which must leave nothing running."""
    missing = missing_pieces() + ([] if shutil.which("chromium") else ["chromium"])
    if missing:
        message = f"the hub tests need {', '.join(missing)}; run them with: {RUN_BY}"
        if os.environ.get("AECOURSE_REQUIRE_HUB"):
            pytest.fail(message)
        pytest.skip(message)
    users = [f"{PREFIX}instructor", f"{PREFIX}student1", f"{PREFIX}student2"]
    if (STATE / "layout.json").exists():
        subprocess.run([sys.executable, "-m", "autograder.hub", "stop", "--state", str(STATE)],
                       capture_output=True)
    remove_accounts(users)
    for folder in (STATE, EXCHANGE):
        shutil.rmtree(folder, ignore_errors=True)
    # The hub refuses to start while a student could read the checkout's answers.
    settings.ROOT.chmod(settings.ROOT.stat().st_mode & ~0o007)
    running = RunningHub(["--state", str(STATE), "--exchange", str(EXCHANGE),
                          "--accounts-prefix", PREFIX, "--port", str(free_port()),
                          "--profile", "smoke", "--max-submission-mib", str(LIMIT_MIB),
                          "--student-memory-mib", str(STUDENT_MEMORY_MIB),
                          "--student-tmp-mib", str(STUDENT_TMP_MIB)])
    layout = HubLayout.load(STATE / "layout.json")
    passwords = dict(line.split()[:2] for line in running.banner.splitlines()
                     if line.strip().startswith(PREFIX))
    yield layout, passwords, running
    stopped = hub_command("stop", "--state", str(STATE))
    assert "stopped" in stopped and not left_running(layout)
    running.process.wait(timeout=60)
    remove_accounts(users)


def as_user(layout, user, *command, cwd=None):
    """Run ``command`` as ``user`` with their server's environment; return the completed run."""
    home = pwd.getpwnam(user).pw_dir
    env = {"HOME": home, "USER": user, "LOGNAME": user, "LANG": "C.UTF-8",
           **server_environment(layout, user)}
    return subprocess.run(["runuser", "-u", user, "--", "env", "-i",
                           *(f"{key}={value}" for key, value in env.items()), *command],
                          cwd=cwd or home, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {"executable_path": chromium(), "args": CHROMIUM_ARGS}


@contextlib.contextmanager
def session(browser, layout, user, password, steps_name):
    """A browser context logged in as ``user`` through the hub's login page, in JupyterLab."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(120_000)
    steps = Steps(page, f"hub/{steps_name}")
    try:
        log_in(page, layout, user, password)
        page.locator('#jp-menu-panel div.lm-MenuBar-itemLabel:text-is("Nbgrader")').wait_for()
        yield page, steps
    except BaseException:
        steps.shot("failed-here")
        raise
    finally:
        context.close()


def log_in(page, layout, user, password):
    page.goto(f"{layout.url}/hub/login")
    page.locator("#username_input").fill(user)
    page.locator("#password_input").fill(password)
    page.locator("#login_submit").click()


def open_assignments(page):
    from_menu(page, "Nbgrader", "nbgrader:open-assignment-list")
    page.locator("#released_assignments_list").wait_for()


def fetch_and_open(page):
    """Fetch the assignment in the Assignments tab and open its notebook."""
    open_assignments(page)
    released = page.locator("#released_assignments_list > .list_item", has_text=ASSIGNMENT)
    released.locator(".item_status button").click()
    page.locator("#fetched_assignments_list > .list_item", has_text=ASSIGNMENT).wait_for()
    page.locator("#fetched_assignments_list a.assignment-notebooks-link").click()
    page.locator(f"#nbgrader-{COURSE}-{ASSIGNMENT} a", has_text=ASSIGNMENT).click()
    page.locator(".jp-Notebook .jp-Cell").nth(5).wait_for()


# True once no cell's prompt shows "[*]" (running or queued).
RUNNING_CELLS_DONE = """() => ![...document.querySelectorAll('.jp-InputPrompt')]
    .some(prompt => prompt.textContent.includes('*'))"""


def answer(page, released, code):
    """Type ``code`` as the answer to Exercise 1, run it and its visible checks, and save."""
    index = source_index(released, "standardise")
    type_into(page, index, code)
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    # Save once both cells have run: outputs arriving after the save would leave it unsaved.
    page.wait_for_function(RUNNING_CELLS_DONE, timeout=180_000)
    page.keyboard.press("Control+s")
    page.locator(".jp-mod-dirty").first.wait_for(state="detached", timeout=30_000)


def submit(page):
    page.locator(".lm-TabBar-tab", has_text="Assignments").click()
    page.locator('#fetched_assignments_list .item_status button:text("Submit")').click()


def formgrader_action(page, row_text, action):
    """Click a formgrader row's action (``.release a``, ``.autograde a``...); close its dialog
    (success or error) and return its text."""
    page.locator("tr", has_text=row_text).locator(f"{action} a").click()
    dialog = page.locator("#success-modal, #error-modal")
    dialog.wait_for(timeout=300_000)
    text = dialog.inner_text()
    dialog.locator("button.close").last.click()
    dialog.wait_for(state="detached")
    return text


def wait_for_submissions(student, count, seconds=60):
    """The student's submissions in the exchange's inbound, oldest first, once there are
    ``count``."""
    inbound = EXCHANGE / COURSE / "inbound"
    for _ in range(seconds * 2):
        found = sorted(inbound.glob(f"{student}+{ASSIGNMENT}+*"))
        if len(found) >= count:
            return found
        time.sleep(0.5)
    pytest.fail(f"{student} has {len(found)} submissions in the exchange, expected {count}")


def wait_for_log(layout, text, seconds=60):
    log = layout.path("jupyterhub.log")
    for _ in range(seconds * 2):
        if text in log.read_text():
            return
        time.sleep(0.5)
    pytest.fail(f"the hub's log never said {text!r}")


def answer_output(path, released):
    """The text output of Exercise 1's answer cell in a notebook."""
    answered = nbformat.read(str(path), 4).cells[source_index(released, "standardise")]
    return "".join(output.get("text", "") for output in answered.outputs)


def course_gradebook(layout):
    return Gradebook(f"sqlite:///{layout.course_dir / 'gradebook.db'}", COURSE)


def test_a_class_goes_from_release_to_feedback_on_the_hub(hub, browser):
    layout, passwords, running = hub
    instructor, (first, second) = layout.instructor, layout.students
    released = nbformat.read(str(settings.RELEASE / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"), 4)
    model_answer = samples.model_answers(ASSIGNMENT)["standardise"]

    # A wrong password is refused.
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    log_in(page, layout, first, "not-the-password")
    page.get_by_text("Invalid username or password").wait_for(timeout=30_000)
    Steps(page, "hub/wrong-password").shot("refused")
    context.close()

    # The instructor generates and releases the assignment in formgrader.
    with session(browser, layout, instructor, passwords[instructor], "instructor-release") \
            as (page, steps):
        page.goto(f"{layout.url}/user/{instructor}/formgrader")
        page.locator("tr", has_text=ASSIGNMENT).wait_for()
        steps.shot("formgrader")
        assert "Successfully created the student version" in formgrader_action(page, ASSIGNMENT,
                                                                             ".assign")
        assert "Successfully released" in formgrader_action(page, ASSIGNMENT, ".release")
        steps.shot("released")
    generated = nbformat.read(str(layout.course_dir / "release" / ASSIGNMENT /
                                  f"{ASSIGNMENT}.ipynb"), 4)
    assert [c.source for c in generated.cells] == [c.source for c in released.cells], \
        "formgrader generates the committed release"

    # The first student answers, validates and submits; the server killed mid-session keeps
    # the saved notebook and comes back on the next login. Formgrader is not theirs.
    with session(browser, layout, first, passwords[first], "student1") as (page, steps):
        fetch_and_open(page)
        cell(page, source_index(released, "standardise")).click()
        page.keyboard.press("Escape")
        from_menu(page, "Run", "notebook:run-all-above")  # imports and data first
        answer(page, released, model_answer)
        test = source_index(released, "test_standardise")
        cell(page, test).get_by_text("Exercise 1: visible checks passed").wait_for()
        steps.shot("answered")
        page.locator("jp-button.validate-button").click()
        verdict = page.locator(".nbgrader-ErrorDialog, .nbgrader-SuccessDialog")
        verdict.wait_for(timeout=300_000)
        shown = verdict.inner_text()
        steps.shot("validated")
        assert "The following cell failed" in shown and "run_answer(standardise" not in shown
        verdict.locator("button.jp-Dialog-button").click()
        submit(page)
        page.locator("#submitted_assignments_list > .list_item").first.wait_for()
        steps.shot("submitted")
        response = page.goto(f"{layout.url}/user/{first}/formgrader")
        assert response.status == 404, "formgrader is the instructor's only"
        response = page.goto(f"{layout.url}/user/{second}/lab")
        assert second not in page.url or response.status in (403, 404), page.url

    notebook = Path(pwd.getpwnam(first).pw_dir) / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    subprocess.run(["pkill", "-KILL", "-u", first], check=True)
    wait_for_log(layout, f"User {first} server stopped")  # the hub's poll notices it
    with session(browser, layout, first, passwords[first], "student1-back") as (page, steps):
        page.locator(".jp-DirListing-item", has_text=ASSIGNMENT).wait_for()
        steps.shot("server-back")
    assert "features.std(axis=0)" in notebook.read_text()

    # The second student submits the right answer, then a wrong one (the latest counts), then
    # an assignment folder over the size limit, which is refused with a message.
    with session(browser, layout, second, passwords[second], "student2") as (page, steps):
        fetch_and_open(page)
        answer(page, released, model_answer)
        submit(page)
        wait_for_submissions(second, 1)
        page.locator(".lm-TabBar-tab", has_text=f"{ASSIGNMENT}.ipynb").click()
        answer(page, released, WRONG_STANDARDISE)
        submit(page)
        latest = wait_for_submissions(second, 2)[-1]
        handed_in = nbformat.read(str(latest / f"{ASSIGNMENT}.ipynb"), 4)
        assert handed_in.cells[source_index(released, "standardise")].source.strip() == \
            WRONG_STANDARDISE.strip()
        steps.shot("submitted-twice")
        big = Path(pwd.getpwnam(second).pw_dir) / ASSIGNMENT / "weights.bin"
        as_user(layout, second, "truncate", "-s", f"{LIMIT_MIB + 1}M", str(big))
        submit(page)
        refusal = page.locator(".jp-Dialog", has_text="limit")
        refusal.wait_for(timeout=60_000)
        assert f"over the size limit of {LIMIT_MIB} MiB" in refusal.inner_text()
        steps.shot("refused-oversize")
        refusal.locator("button.jp-Dialog-button").last.click()
        big.unlink()

    # The first student plants a submission in the second one's name (the inbound folder is
    # writable by all): collect must skip it.
    inbound = EXCHANGE / COURSE / "inbound"
    stamp = time.strftime("%Y-%m-%d %H:%M:%S.000000 UTC", time.gmtime())
    forged = inbound / f"{second}+{ASSIGNMENT}+{stamp}+forged"
    assert as_user(layout, first, "cp", "-r", str(notebook.parent), str(forged)).returncode == 0
    assert sorted(name.split("+")[0] for name in os.listdir(inbound)) == \
        [first, second, second, second]

    # Ctrl-C stops everything; a hub restart keeps what is in the exchange.
    running.interrupt()
    assert not left_running(layout)
    running.start()
    assert len(os.listdir(inbound)) == 4

    # The instructor collects, autogrades in the sandbox, grades a written answer by hand,
    # and releases feedback.
    with session(browser, layout, instructor, passwords[instructor], "instructor-grade") \
            as (page, steps):
        page.goto(f"{layout.url}/user/{instructor}/formgrader")
        collect_log = formgrader_action(page, ASSIGNMENT, ".collect")
        assert "Successfully collected" in collect_log
        page.goto(f"{layout.url}/user/{instructor}/formgrader/manage_submissions/{ASSIGNMENT}")
        for student in (first, second):
            assert "Successfully autograded" in formgrader_action(page, student, ".autograde")
        steps.shot("autograded")
        with course_gradebook(layout) as gradebook:
            submission_id = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, first).id
        page.goto(f"{layout.url}/user/{instructor}/formgrader/submissions/{submission_id}/")
        score = page.locator("input.score#question_sigmoid_output")
        score.scroll_into_view_if_needed()
        score.fill("1.5")
        score.press("Tab")  # formgrader saves a score when its field loses focus
        steps.shot("manual-grade")
        for _ in range(60):
            with course_gradebook(layout) as gradebook:
                if gradebook.find_grade("question_sigmoid_output", ASSIGNMENT, ASSIGNMENT,
                                        first).manual_score == 1.5:
                    break
            time.sleep(0.5)
        page.goto(f"{layout.url}/user/{instructor}/formgrader")
        assert "Successfully generated feedback" in formgrader_action(
            page, ASSIGNMENT, ".generate-feedback")
        assert "Successfully released feedback" in formgrader_action(
            page, ASSIGNMENT, ".release-feedback")
        steps.shot("feedback-released")

    with course_gradebook(layout) as gradebook:
        scores = {student: gradebook.find_grade("test_standardise", ASSIGNMENT, ASSIGNMENT,
                                                student).score for student in (first, second)}
        written = gradebook.find_grade("question_sigmoid_output", ASSIGNMENT, ASSIGNMENT,
                                       first).manual_score
    # Student code ran in the sandbox, from formgrader's button and from the terminal alike.
    autograded = layout.course_dir / "autograded" / second / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert SANDBOXED in answer_output(autograded, released), answer_output(autograded, released)
    autograded.unlink()
    terminal = as_user(layout, instructor, "nbgrader", "autograde", ASSIGNMENT, "--student",
                       second, "--force", cwd=layout.course_dir)
    assert terminal.returncode == 0, terminal.stderr[-3000:]
    assert SANDBOXED in answer_output(autograded, released)

    # The second student's own latest submission was graded, not the first one's forgery.
    assert scores == {first: 1, second: 0}, "the latest submission of each student is graded"
    assert f"Skipped '{forged.name}': it claims to be the submission of '{second}' but is " \
        f"owned by {first}" in collect_log
    assert written == 1.5

    # Each student fetches their own feedback: their scores, no hidden test.
    for student, expected in ((first, "1.0 / 1.0"), (second, "0.0 / 1.0")):
        with session(browser, layout, student, passwords[student], f"{student}-feedback") \
                as (page, steps):
            open_assignments(page)
            page.locator('#submitted_assignments_list button:text("Fetch Feedback")').first.click()
            page.get_by_text("view feedback").first.wait_for()
            steps.shot("feedback")
        feedback = list((Path(pwd.getpwnam(student).pw_dir) / ASSIGNMENT / "feedback")
                        .rglob(f"{ASSIGNMENT}.html"))
        assert len(feedback) == 1, feedback
        html = feedback[0].read_text()
        assert expected in html and "HIDDEN TESTS" not in html and "JUDGED" not in html

    # Nobody reads what is not theirs.
    home = {user: pwd.getpwnam(user).pw_dir for user in layout.users}
    for path in (home[second], home[instructor], layout.course_dir, inbound,
                 EXCHANGE / COURSE / "feedback"):
        listing = as_user(layout, first, "ls", str(path))
        assert listing.returncode != 0 and "Permission denied" in listing.stderr, path


# Reads, as the student, which files under the folders given it can open: it prints them.
READABLE = """
import os, sys
for root in sys.argv[1:]:
    for folder, names, files in os.walk(root):
        if folder.startswith("/opt/aecourse-hub/venv"):
            continue
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path) and os.access(path, os.R_OK) and os.path.isfile(path):
                print(path)
"""


def secret_lines():
    """Every solution line, hidden test line and written model answer of the course's source
    notebooks (long enough to be telling), that the release does not show, and the bodies of
    the package's withheld exercise versions."""
    import ast
    import inspect

    import aecourse  # noqa: F401 (the checkout's package, with the answers)

    lines = [line for path in settings.SOURCE.glob("*/*.ipynb")
             for line in samples.hidden_lines(path.parent.name)]
    for name in settings.withheld_names():
        module, *qualname = name.split(".")
        value = importlib.import_module(f"aecourse.{module}")
        for part in qualname:
            value = getattr(value, part)
        body = ast.parse(textwrap.dedent(inspect.getsource(value))).body[0].body
        lines += [line for node in body if not isinstance(node, ast.Expr)
                  for line in ast.unparse(node).splitlines()]
    shown = "\n".join(released.source for path in settings.RELEASE.glob("*/*.ipynb")
                      for released in nbformat.read(str(path), 4).cells)
    shown += "\n".join(path.read_text() for path in (install.CODE / "utils").rglob("*.py"))
    return {line.strip() for line in lines if len(line.strip()) > 16
            and not line.strip().startswith("###") and line.strip() not in shown}


def test_a_hostile_student_reads_no_answer_and_takes_nothing_from_the_instructor(hub):
    layout, passwords, running = hub
    instructor, (first, second) = layout.instructor, layout.students
    python = str(venv_bin() / "python")
    course_exchange = EXCHANGE / COURSE
    inbound = course_exchange / "inbound"

    # Every file a student can read on this machine's course paths holds no answer.
    readable = as_user(layout, first, python, "-c", READABLE, str(install.HOME), "/home", "/srv",
                       str(EXCHANGE), str(STATE), str(settings.ROOT))
    assert readable.returncode == 0, readable.stderr
    secrets = secret_lines()
    assert len(secrets) > 200, "the course's answers are found to look for"
    leaks = {}
    own_home = pwd.getpwnam(first).pw_dir + "/"  # their own answers, typed above
    for path in readable.stdout.splitlines():
        if path.startswith(own_home):
            continue
        with contextlib.suppress(OSError, UnicodeDecodeError):
            if os.path.getsize(path) < 5 * 2**20:
                text = Path(path).read_text()
                leaks.update({(path, line): True for line in secrets if line in text})
    assert leaks == {}, leaks
    assert any(path.startswith(str(install.CODE / "utils")) for path in
               readable.stdout.splitlines()), "the student reads the helper package"
    # The package a student imports holds none of the withheld exercises' own versions.
    for name in settings.withheld_names():
        module, *qualname = name.split(".")
        shown = as_user(layout, first, python, "-c",
                        f"import inspect, aecourse.{module} as m\n"
                        f"print(inspect.getsource(m.{'.'.join(qualname)}))")
        assert "withheld while this assignment is graded" in shown.stdout, (name, shown.stderr)
    # Nor any release before the instructor hands it out: notebook 6's holds notebook 4's
    # solution (released once notebook 4 has closed).
    unreleased = install.CODE / "release" / "06_vae_search" / "06_vae_search.ipynb"
    assert unreleased.exists() and as_user(layout, first, "cat", str(unreleased)).returncode
    private = as_user(layout, first, python, "-c", "import autograder.qa.mistakes")
    assert private.returncode != 0 and ("Permission" in private.stderr
                                        or "No module named" in private.stderr), private.stderr

    # The student's server has a cgroup, a private /tmp and /dev/shm of the set size; a
    # process in it past the memory limit is killed, and one left behind ends with the server.
    server = int(subprocess.run(["pgrep", "-o", "-u", first, "-f", "jupyterhub-singleuser"],
                                capture_output=True, text=True).stdout.split()[0])
    assert f"{spawner.GROUP}/{first}" in Path(f"/proc/{server}/cgroup").read_text()
    for folder in ("tmp", "dev/shm"):
        private = os.statvfs(f"/proc/{server}/root/{folder}")
        assert private.f_blocks * private.f_frsize == STUDENT_TMP_MIB * 2**20, folder
    entry = pwd.getpwnam(first)
    inside = ["nsenter", "-t", str(server), "-m", "setpriv", f"--reuid={entry.pw_uid}",
              f"--regid={entry.pw_gid}", "--init-groups", "--"]
    join = "; ".join(f"echo $$ > {folder}/cgroup.procs"
                     for folder in spawner.cgroup_folders(first).values())
    hog = subprocess.run(["sh", "-c", f'{join}; exec "$@"', "sh", *inside, python, "-c",
                          f"hog = b'x' * ({STUDENT_MEMORY_MIB + 512} * 2**20)"],
                         capture_output=True, text=True, timeout=120)
    assert hog.returncode in (-9, 137) or "MemoryError" in hog.stderr, (hog.returncode,
                                                                        hog.stderr[-500:])
    subprocess.Popen(["sh", "-c", f'{join}; exec "$@"', "sh", *inside, "setsid", "sleep", "617"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(40):
        if subprocess.run(["pgrep", "-u", first, "-f", "sleep 617"]).returncode == 0:
            break
        time.sleep(0.25)
    os.kill(server, signal.SIGKILL)  # the server dies; the hub's poll notices within 10 s
    for _ in range(120):
        if subprocess.run(["pgrep", "-u", first, "-f", "sleep 617"]).returncode != 0:
            break
        time.sleep(0.5)
    else:
        pytest.fail("a process the student left behind outlived their server")

    # A submission of links (the instructor's environment, the gradebook, /dev/zero) and a
    # FIFO, dropped into inbound by hand: collect, as formgrader's button runs it, skips it.
    stamp = "2999-01-01 00:00:00.000000 UTC"
    planted = inbound / f"{first}+{ASSIGNMENT}+{stamp}+links"
    mine = Path(pwd.getpwnam(first).pw_dir) / ASSIGNMENT
    script = (f"cp -r {mine} '{planted}' && cd '{planted}' && ln -s /proc/self/environ environ "
              f"&& ln -s {layout.course_dir}/gradebook.db gradebook.db && ln -s /dev/zero zeros "
              "&& mkfifo pipe")
    assert as_user(layout, first, "sh", "-c", script).returncode == 0
    collect = as_user(layout, instructor, "nbgrader", "collect", ASSIGNMENT, "--update",
                      cwd=layout.course_dir)
    assert collect.returncode == 0, collect.stderr[-3000:]
    assert f"Skipped '{planted.name}'" in collect.stderr and "is a link" in collect.stderr
    for folder in ("submitted", "autograded", "feedback"):
        for path in (layout.course_dir / folder).rglob("*"):
            assert path.is_dir() or b"JUPYTERHUB_API_TOKEN" not in path.read_bytes(), path

    # Another student's submission can be neither replaced, renamed nor written into.
    (theirs, *_) = sorted(inbound.glob(f"{second}+{ASSIGNMENT}+*"))
    for attack in (f"echo forged > '{theirs}/{ASSIGNMENT}.ipynb'",
                   f"touch '{theirs}/extra'", f"mv '{theirs}' '{inbound}/{second}+moved'",
                   f"rm -rf '{theirs}'", f"mkdir '{course_exchange}/outbound/planted'"):
        assert as_user(layout, first, "sh", "-c", attack).returncode != 0, attack
    assert (theirs / f"{ASSIGNMENT}.ipynb").stat().st_uid == pwd.getpwnam(second).pw_uid

    # A student who made the course's exchange folder first (here: while the hub was down)
    # gets it moved aside at the next start; the instructor's release then works.
    running.interrupt()
    hidden = EXCHANGE / ".kept-for-the-test"
    course_exchange.rename(hidden)
    squat = (f"mkdir -p {course_exchange}/outbound/{ASSIGNMENT} {course_exchange}/inbound && "
             f"echo planted > {course_exchange}/outbound/{ASSIGNMENT}/planted.ipynb && "
             f"chmod -R 777 {course_exchange}")
    assert as_user(layout, second, "sh", "-c", squat).returncode == 0
    running.start()
    assert course_exchange.stat().st_uid == pwd.getpwnam(instructor).pw_uid
    assert oct(inbound.stat().st_mode & 0o7777) == "0o3733"
    released = as_user(layout, instructor, "nbgrader", "release_assignment", ASSIGNMENT,
                       "--force", cwd=layout.course_dir)
    assert released.returncode == 0, released.stderr[-3000:]
    assert not (course_exchange / "outbound" / ASSIGNMENT / "planted.ipynb").exists()
    listed = as_user(layout, first, "nbgrader", "list", "--debug")
    assert f"{COURSE} {ASSIGNMENT}" in listed.stdout + listed.stderr, listed.stderr[-6000:]

    # The hub refuses to start from a checkout whose answers a student can read.
    readable_checkout = Path("/tmp/aecourse-readable-checkout")
    shutil.rmtree(readable_checkout, ignore_errors=True)
    (readable_checkout / "source").mkdir(parents=True)
    readable_checkout.chmod(0o755)
    (readable_checkout / "source").chmod(0o755)
    with pytest.raises(SetupError, match=f"{first} can read the course's answers"):
        check_checkout_is_private(layout, root=readable_checkout)
    shutil.rmtree(readable_checkout)


def test_a_missing_browser_skips_with_how_to_install_it_and_fails_under_ci(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("AECOURSE_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"sudo apt-get install chromium"):
        chromium()
    monkeypatch.setenv("AECOURSE_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="chromium is not installed"):
        chromium()


def test_without_root_the_hub_says_what_it_needs(monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert any(need.startswith("root") for need in missing_pieces())
    from autograder.hub.setup import SetupError, require_root

    with pytest.raises(SetupError, match=r"run it as root \(sudo make hub\)"):
        require_root()
