"""Run nbgrader steps through its API in a child process of their own, with a log and a deadline.

A step is ``(command, assignment, student or None)``, a method of nbgrader's ``NbGraderAPI``
(``generate_assignment``, ``autograde``, ``generate_feedback``...). The child is forked from a
forkserver that has already imported nbgrader, so a submission does not pay Python's and
nbgrader's start-up again; in a daemonic process (a Dask worker), which multiprocessing forbids
to have children, it is a fresh ``python -m autograder.nbgrader_runner``.

``config`` is a ``traitlets.config.Config`` merged over the course's ``nbgrader_config.py``;
its values are plain data (classes named by their import path), so it travels as JSON.
"""

import contextlib
import json
import logging
import multiprocessing
import os
import secrets
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

# What every child imports: the forkserver loads it once (about 2 s here).
PRELOAD = ["autograder.nbgrader_runner", "autograder.sandbox", "autograder.feedback",
           "nbgrader.apps.api", "nbgrader.preprocessors", "nbconvert.exporters"]

RUNNING = set()  # children of this process, stopped at once on Ctrl-C

# Printed to the log after each step that succeeded, with a token the kernel cannot know (its
# stderr goes to the same log).
FINISHED = "[aecourse] finished {}: nbgrader {} {}"


class NbgraderFailed(RuntimeError):
    """An nbgrader step failed; ``log`` is the end of what it wrote."""

    def __init__(self, message, log):
        super().__init__(f"{message}:\n{log}")
        self.log = log


def run_in_this_process(course_dir, steps, config=None, token=""):
    """Run ``steps`` in course ``course_dir`` through nbgrader's API, in this process."""
    import logging

    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    # Every logger (the preprocessors' warnings included) goes to stderr, as with the CLI.
    logging.basicConfig(level=logging.INFO, format="[%(levelname)s] %(message)s")
    course = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config()
    course.merge(Config(config or {}))
    api = NbGraderAPI(CourseDirectory(config=course, root=str(course_dir)), config=course)
    for command, assignment, student in steps:
        arguments = (assignment, student) if student else (assignment,)
        result = getattr(api, command)(*arguments)
        print(result.get("log", ""), flush=True)
        if not result["success"]:
            raise NbgraderFailed(f"nbgrader {command} {assignment} failed",
                                 f"{result.get('log', '')}\n{result.get('error', '')}")
        print(FINISHED.format(token, command, assignment), flush=True)


class StepsProcess:
    """``run_in_this_process`` in a child process and process group of its own."""

    def __init__(self, course_dir, steps, config, env, log_path, token):
        config = json.loads(json.dumps(config or {}))  # plain data, whichever way it travels
        if multiprocessing.current_process().daemon:
            with open(log_path, "wb") as log:
                self._process = subprocess.Popen(
                    [sys.executable, "-m", "autograder.nbgrader_runner", str(course_dir),
                     json.dumps(steps), json.dumps(config), token], cwd=course_dir, env=env,
                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        else:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            self._process = context.Process(target=_child, daemon=False, args=(
                str(course_dir), steps, config, env, str(log_path), token))
            self._process.start()
        self.pid = self._process.pid

    def wait(self, timeout=None):
        """Return the exit status; raise ``subprocess.TimeoutExpired`` after ``timeout`` s."""
        if isinstance(self._process, subprocess.Popen):
            return self._process.wait(timeout)
        self._process.join(timeout)
        if self._process.exitcode is None:
            raise subprocess.TimeoutExpired("nbgrader steps", timeout)
        return self._process.exitcode

    def kill(self):
        """Kill the child and its group (a sandbox dies with its parent)."""
        for kill in (os.killpg, os.kill):  # the group may not exist yet, just after the fork
            with contextlib.suppress(ProcessLookupError):
                kill(self.pid, signal.SIGKILL)


def _child(course_dir, steps, config, env, log_path, token):
    """Body of a forked ``StepsProcess``: what ``python -m autograder.nbgrader_runner`` does."""
    os.setsid()
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.chdir(course_dir)
    # This forked process's own environment, as a fresh `python -m` would get it.
    os.environ.clear()
    os.environ.update(env)
    status = main([course_dir, json.dumps(steps), json.dumps(config), token])
    # Straight out: no interpreter or multiprocessing teardown that could crash after the work.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def describe_exit(status):
    """Return how a child ended, in words ("was killed by SIGKILL", "exited with status 1")."""
    if status < 0:
        with contextlib.suppress(ValueError):
            return f"was killed by {signal.Signals(-status).name}"
    return f"exited with status {status}"


def run_steps(course_dir, steps, config=None, env=None, timeout=None, log_path=None):
    """Run ``steps`` in a child process; raise ``NbgraderFailed`` with its log if one fails.

    After ``timeout`` seconds the child and its group are killed and
    ``subprocess.TimeoutExpired`` is raised.
    """
    env = dict(os.environ if env is None else env)
    # nbgrader runs `alembic` from PATH: make this interpreter's scripts visible.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    with contextlib.ExitStack() as stack:
        if log_path is None:
            log_path = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "nbgrader.log"
        token = secrets.token_hex(8)
        process = StepsProcess(course_dir, steps, config, env, log_path, token)
        RUNNING.add(process)
        try:
            status = process.wait(timeout=timeout)
        except BaseException:
            process.kill()
            process.wait()
            raise
        finally:
            RUNNING.discard(process)
        if status != 0:
            log = (Path(log_path).read_text("utf-8", "replace") if Path(log_path).exists() else
                   "")
            if all(FINISHED.format(token, command, assignment) in log
                   for command, assignment, _ in steps):
                # It ended badly after every step had done its work and written it.
                logger.warning("nbgrader %s after finishing %s in %s; its work is kept",
                            describe_exit(status), ", ".join(
                                command for command, _, _ in steps), course_dir)
                return
            raise NbgraderFailed("nbgrader failed", f"{log[-4000:]}\nthe nbgrader process "
                                 f"{describe_exit(status)}")


def stop_all():
    """Kill every child still running (Ctrl-C: the submissions being graded stop now)."""
    for process in list(RUNNING):
        process.kill()


def main(argv=None):
    course, steps, config, token = argv or sys.argv[1:]
    try:
        run_in_this_process(Path(course), json.loads(steps), json.loads(config), token)
    except NbgraderFailed as error:
        print(error, file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
