"""Students and instructors in a real browser: JupyterLab, nbgrader's Assignments tab and
formgrader, driven by Playwright through Debian's chromium.

Each test starts its own ``jupyter lab`` on a free loopback port with a token, in a temporary
folder, and saves a screenshot per step under ``build/browser/``. Without chromium the tests skip
with a message saying how to install it; under CI (``AECOURSE_REQUIRE_BROWSER=1``, set by
``.ci/run``) a missing browser fails them.
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder import settings
from autograder.grading import grade_class
from autograder.qa import samples
from autograder.qa.exchange import release

ASSIGNMENT = "04_vae"
COURSE = "autoencoders"
SCREENSHOTS = settings.ROOT / "build" / "browser"
STUDENT_CONFIG = settings.ROOT / "autograder" / "student_nbgrader_config.py"
# A wrong answer to Exercise 1: the standard deviation is exp(z_log_var), not exp(z_log_var / 2).
WRONG_SAMPLING = '''class Sampling(layers.Layer):
    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        epsilon = keras.random.normal(ops.shape(z_mean), seed=self.seed_generator)
        return z_mean + ops.exp(z_log_var) * epsilon'''


def chromium():
    """Return the system chromium, or skip (fail under CI) with how to install it."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    message = ("chromium is not installed: the browser tests drive Debian's chromium "
               "(sudo apt-get install chromium; .ci/run installs it)")
    if os.environ.get("AECOURSE_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def jupyter_lab(root, scratch, extra_env=None):
    """Run ``jupyter lab`` on ``root``; yield its base URL and token. Its log goes to scratch."""
    port, token = free_port(), os.urandom(12).hex()
    lab_settings = scratch / "lab-settings" / "@jupyterlab" / "apputils-extension"
    lab_settings.mkdir(parents=True, exist_ok=True)
    (lab_settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false"}))
    env = {**os.environ, **settings.EXECUTION_ENV, **(extra_env or {}),
           "JUPYTER_RUNTIME_DIR": str(scratch / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(scratch / "lab-settings")}
    # As a student starts Jupyter: only the venv's kernelspec quietens TensorFlow.
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
               f"--port={port}", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={root}"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    with open(scratch / "jupyter-lab.log", "w") as log:
        server = subprocess.Popen(command, cwd=root, env=env, stdout=log,
                                  stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            if server.poll() is not None:
                pytest.fail(f"jupyter lab exited: {(scratch / 'jupyter-lab.log').read_text()}")
            time.sleep(0.5)
        else:
            pytest.fail("jupyter lab did not answer within 2 minutes")
        yield base, token
    except BaseException:
        # The server's log says what the page was waiting for, and the busiest processes whether
        # a kernel was working or stuck (pytest shows both with the failure).
        print("".join((scratch / "jupyter-lab.log").read_text().splitlines(True)[-80:]))
        print(subprocess.run(["ps", "-eo", "pid,ppid,stat,etime,time,rss,args", "--sort=-time"],
                             capture_output=True, text=True).stdout[:6000])
        raise
    finally:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=20)
        if server.poll() is None:
            server.kill()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's browser is Debian's chromium: Playwright's downloads are not needed."""
    return {**browser_type_launch_args, "executable_path": chromium(),
            "args": ["--no-sandbox", "--disable-gpu"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 860}}


@pytest.fixture
def lab_page(page):
    page.set_default_timeout(120_000)
    return page


class Steps:
    """Numbered screenshots of one test under build/browser/<test>/."""

    def __init__(self, page, name):
        self.page, self.folder, self.count = page, SCREENSHOTS / name, 0
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)

    def shot(self, label):
        self.count += 1
        self.page.screenshot(path=str(self.folder / f"{self.count:02d}-{label}.png"))


def from_menu(page, menu, command):
    """Click a main-menu entry: ``menu`` is the menu's label, ``command`` the entry's command id."""
    page.locator(f'#jp-menu-panel div.lm-MenuBar-itemLabel:text-is("{menu}")').click()
    page.locator(f'.lm-Menu li[data-command="{command}"]').click()


def log_in(page, base, token):
    """Open JupyterLab with the token, which sets the login cookie that formgrader's calls need."""
    page.goto(f"{base}/lab?token={token}")
    page.locator('#jp-menu-panel div.lm-MenuBar-itemLabel:text-is("Nbgrader")').wait_for()


def cell(page, index):
    return page.locator(".jp-Notebook .jp-Cell").nth(index)


def type_into(page, index, code):
    """Replace the source of code cell ``index`` as a student would, by selecting and typing."""
    editor = cell(page, index).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(code)


def manual_scores(course, questions):
    """Return the solution's manual scores of ``questions``, read from the gradebook."""

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {question: gradebook.find_grade(question, ASSIGNMENT, ASSIGNMENT,
                                               "solution").manual_score
                for question in questions}


def source_index(nb, grade_id):
    return next(i for i, c in enumerate(nb.cells)
                if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


@pytest.mark.slow
def test_student_fetches_answers_validates_and_submits_in_jupyterlab(tmp_path, lab_page):
    page = lab_page
    exchange, home, jupyter_dir = tmp_path / "exchange", tmp_path / "student", tmp_path / "jupyter"
    for folder in (exchange, home, jupyter_dir):
        folder.mkdir()
    release(tmp_path, exchange, ASSIGNMENT)
    shutil.copy(STUDENT_CONFIG, jupyter_dir / "nbgrader_config.py")  # the student's ~/.jupyter
    released = nbformat.read(str(settings.RELEASE / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"), 4)
    answer = source_index(released, "sampling_layer")
    test = source_index(released, "test_sampling_layer")
    model_answer = samples.model_answers(ASSIGNMENT)["sampling_layer"]

    # The smoke profile keeps the kernel's runs and nbgrader's validation short; the data
    # cache (nbgrader keeps a student's submissions there) and the config are the test's own.
    env = {"AECOURSE_EXCHANGE": str(exchange), "JUPYTER_CONFIG_DIR": str(jupyter_dir),
           "JUPYTER_DATA_DIR": str(tmp_path / "jupyter-data"), "AECOURSE_PROFILE": "smoke"}
    with jupyter_lab(home, tmp_path, env) as (base, token):
        steps = Steps(page, "student")
        log_in(page, base, token)
        from_menu(page, "Nbgrader", "nbgrader:open-assignment-list")
        released_rows = page.locator("#released_assignments_list > .list_item")
        released_rows.filter(has_text=ASSIGNMENT).wait_for()
        assert COURSE in released_rows.first.inner_text()
        steps.shot("assignments-tab")

        released_rows.first.locator(".item_status button").click()
        fetched = page.locator("#fetched_assignments_list > .list_item")
        fetched.filter(has_text=ASSIGNMENT).wait_for()
        assert (home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()
        page.locator("#fetched_assignments_list a.assignment-notebooks-link").click()
        notebook_link = page.locator(f"#nbgrader-{COURSE}-{ASSIGNMENT} a", has_text=ASSIGNMENT)
        notebook_link.click()
        page.locator(".jp-Notebook .jp-Cell").nth(test).wait_for()
        steps.shot("notebook-opened")

        # Run everything above the first exercise, as a student does before answering it.
        cell(page, answer).click()
        page.keyboard.press("Escape")
        from_menu(page, "Run", "notebook:run-all-above")
        page.get_by_text("train (512, 784)").wait_for(timeout=240_000)
        first_code = next(i for i, c in enumerate(released.cells) if c.cell_type == "code")
        first_cell = cell(page, first_code).inner_text()
        assert "Profile 'smoke'" in first_cell
        assert not any(noise in first_cell for noise in ("cudart", "absl", "I0000", "oneDNN")), \
            "TensorFlow's C++ log must not reach a student's first cell"
        steps.shot("ran-to-first-exercise")

        type_into(page, answer, WRONG_SAMPLING)
        page.keyboard.press("Shift+Enter")
        page.keyboard.press("Shift+Enter")
        message = cell(page, test).locator(".jp-OutputArea")
        message.get_by_text("standard deviation").wait_for()
        shown = message.inner_text()
        assert "the standard deviation of 20,000 samples" in shown and "expected" in shown
        assert "checks.py" not in shown, "the student sees the message, not the checks' code"
        steps.shot("wrong-answer-message")

        type_into(page, answer, model_answer)
        page.keyboard.press("Shift+Enter")
        page.keyboard.press("Shift+Enter")
        cell(page, test).get_by_text("Exercise 1: visible checks passed").wait_for()
        steps.shot("model-answer-passes")

        page.keyboard.press("Control+s")
        page.locator("jp-button.validate-button").click()
        verdict = page.locator(".nbgrader-ErrorDialog, .nbgrader-SuccessDialog")
        # Validate runs the whole notebook in the server (smoke profile: about 40 s on an idle
        # machine, several minutes beside the other tests' kernels on 2 cores).
        verdict.wait_for(timeout=540_000)
        text = verdict.inner_text()
        steps.shot("validate-verdict")
        # The other exercises are still blank: nbgrader lists their failing test cells and the
        # unanswered questions, and not the test of the exercise answered.
        assert "The following cell failed" in text and "the KL of N(0, I) to itself" in text
        assert "You did not provide a response" in text and "many_means" not in text
        verdict.locator("button.jp-Dialog-button").click()

        page.locator(".lm-TabBar-tab", has_text="Assignments").click()
        page.locator('#fetched_assignments_list .item_status button:text("Submit")').click()
        submitted = page.locator("#submitted_assignments_list > .list_item")
        submitted.filter(has_text=ASSIGNMENT).wait_for()
        assert submitted.count() == 1
        steps.shot("submitted")

    inbound = list((exchange / COURSE / "inbound").iterdir())
    assert len(inbound) == 1 and f"+{ASSIGNMENT}+" in inbound[0].name
    handed_in = nbformat.read(str(inbound[0] / f"{ASSIGNMENT}.ipynb"), 4)
    assert "ops.exp(0.5 * z_log_var)" in handed_in.cells[answer].source


@pytest.mark.slow
def test_instructor_grades_a_written_answer_in_formgrader(tmp_path, lab_page):
    page = lab_page
    submitted, grading = tmp_path / "submitted", tmp_path / "grading"
    samples.write_samples(submitted, ASSIGNMENT, ("solution",))
    outcomes = grade_class(submitted, grading, [ASSIGNMENT], workers=1, profile="smoke")
    assert [outcome.status for outcome in outcomes] == ["graded"]

    with Gradebook(f"sqlite:///{grading / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "solution")
        submission_id = submission.id
        assert gradebook.find_grade("question_kl", ASSIGNMENT, ASSIGNMENT,
                                    "solution").manual_score is None

    with jupyter_lab(grading, tmp_path) as (base, token):
        steps = Steps(page, "instructor")
        log_in(page, base, token)
        page.goto(f"{base}/formgrader/gradebook/{ASSIGNMENT}/{ASSIGNMENT}")
        page.get_by_text("Submission #1").wait_for()
        steps.shot("submissions-of-the-notebook")
        page.get_by_text("Submission #1").click()
        page.wait_for_url(f"**/formgrader/submissions/{submission_id}/**")
        page.locator("input.score#question_kl").wait_for()
        steps.shot("submission-opened")
        given = {"question_kl": 1.5, "question_recommendation": 2.0}
        for question, points in given.items():
            score = page.locator(f"input.score#{question}")
            score.scroll_into_view_if_needed()
            score.fill(f"{points:g}")
            score.press("Tab")  # formgrader saves a score when its field loses focus
        steps.shot("points-given")
        for _ in range(60):
            if manual_scores(grading, given) == given:
                break
            time.sleep(0.5)
        page.goto(f"{base}/formgrader/gradebook/{ASSIGNMENT}/{ASSIGNMENT}")
        row = page.locator("tr", has_text="Submission #1")
        row.get_by_text("3.5 / 4").wait_for()  # the written score, beside the code score
        assert "13.5 / 14" in row.inner_text() and "10 / 10" in row.inner_text()
        steps.shot("gradebook-after")

    assert manual_scores(grading, given) == given
    with Gradebook(f"sqlite:///{grading / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, "solution")
        assert submission.score == submission.code_score + 3.5  # the written points count


def test_a_missing_browser_skips_with_how_to_install_it_and_fails_under_ci(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("AECOURSE_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"sudo apt-get install chromium"):
        chromium()
    monkeypatch.setenv("AECOURSE_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="chromium is not installed"):
        chromium()
