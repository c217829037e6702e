"""The environment files agree with each other and with the README's commands."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = {"jupyter", "nbgrader", "tensorflow", "scikit-learn", "matplotlib", "seaborn",
            "pytest", "nbval", "psutil", "dask", "distributed", "playwright", "pytest-playwright"}


def requirements():
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def conda_pip_entries():
    spec = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_sections = [d["pip"] for d in spec["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip_sections) == 1, "environment.yml needs exactly one pip section"
    return set(pip_sections[0]) - {"-e ."}


def names(entries):
    return {re.split(r"[=<>~!]", entry)[0].lower() for entry in entries}


def test_environment_yml_lists_the_course_packages():
    assert REQUIRED <= names(conda_pip_entries())


def test_environment_yml_agrees_with_requirements():
    assert conda_pip_entries() == requirements()


def test_every_requirement_is_pinned():
    assert all("==" in entry for entry in requirements())


def fake_tools(folder, names, failing=""):
    """Write stand-ins for ``names`` that record their arguments and environment; a call whose
    arguments are ``failing`` exits with status 1."""
    folder.mkdir()
    for name in names:
        tool = folder / name
        tool.write_text(f"#!/bin/sh\necho {name} \"$@\" AECOURSE_DATA_DIR=$AECOURSE_DATA_DIR "
                        f"AECOURSE_REQUIRE_BROWSER=$AECOURSE_REQUIRE_BROWSER "
                        f"AECOURSE_REQUIRE_HUB=$AECOURSE_REQUIRE_HUB >> {folder}/calls\n"
                        f"[ \"$*\" != \"{failing}\" ]\n")
        tool.chmod(0o755)
    return folder


def run_ci(tmp_path, with_shared, failing=""):
    """Run a copy of .ci/run in a clone-like folder, with make, bwrap and chromium faked."""
    clone = tmp_path / "linked" / "clone"
    (clone / ".ci").mkdir(parents=True)
    shutil.copy(ROOT / ".ci" / "run", clone / ".ci" / "run")
    if with_shared:
        (tmp_path / "real-datasets").mkdir()
        (tmp_path / "linked" / "shared").mkdir()
        (tmp_path / "linked" / "shared" / "datasets").symlink_to(tmp_path / "real-datasets")
    tools = fake_tools(tmp_path / "tools", ["make", "bwrap", "chromium", "apt-get", "sudo"],
                       failing)
    env = {"PATH": f"{tools}:/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(["bash", str(clone / ".ci" / "run")], env=env, capture_output=True,
                            text=True, timeout=60)
    calls = (tools / "calls").read_text() if (tools / "calls").exists() else ""
    return result, calls


def test_ci_runs_the_readme_test_command_with_the_shared_data(tmp_path):
    result, calls = run_ci(tmp_path, with_shared=True)
    assert result.returncode == 0, result.stderr
    data = (tmp_path / "real-datasets").resolve()
    # The hub's pieces are installed first; then the README's test command and the full checks.
    assert calls == "".join(
        f"make {target} AECOURSE_DATA_DIR={data} AECOURSE_REQUIRE_BROWSER=1 "
        f"AECOURSE_REQUIRE_HUB={hub}\n"
        for target, hub in [("hub-install", ""), ("test", "1"), ("test-slow", "1")])
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make demo" in readme


def test_ci_fails_when_the_test_command_fails_and_still_runs_the_full_checks(tmp_path):
    result, calls = run_ci(tmp_path, with_shared=True, failing="test")
    assert result.returncode == 1
    assert [line.split()[1] for line in calls.splitlines()] == ["hub-install", "test", "test-slow"]


def test_ci_without_the_shared_data_stops_with_a_reason(tmp_path):
    result, calls = run_ci(tmp_path, with_shared=False)
    assert result.returncode == 2 and "../shared/datasets is missing" in result.stderr
    assert calls == ""


def test_the_venv_kernel_keeps_tensorflow_quiet():
    """make venv installs the kernelspec with TensorFlow's C++ log off (see the Makefile)."""
    import json
    import sys

    assert "-m autograder.kernelspec" in (ROOT / "Makefile").read_text()
    spec = Path(sys.prefix) / "share" / "jupyter" / "kernels" / "python3" / "kernel.json"
    if (ROOT / ".venv").resolve() != Path(sys.prefix).resolve():
        pytest.skip("not run from the course's .venv, whose kernelspec make venv installs")
    assert json.loads(spec.read_text())["env"]["TF_CPP_MIN_LOG_LEVEL"] == "3"


def test_the_grader_s_layers_hold_and_no_module_imports_back_into_itself():
    """The contract in pyproject.toml (the course's QA above the grader above the sandbox above
    the settings), checked by import-linter, imports inside functions included; and no module of
    ``autograder`` reaches itself again through what it imports."""
    import grimp

    linted = subprocess.run([str(Path(sys.executable).parent / "lint-imports")], cwd=ROOT,
                            capture_output=True, text=True)
    assert linted.returncode == 0, linted.stdout[-2000:]
    assert "1 kept, 0 broken" in linted.stdout
    graph = grimp.build_graph("autograder")
    loops = [(module, imported) for module in sorted(graph.modules)
             for imported in graph.find_modules_directly_imported_by(module)
             if graph.find_shortest_chain(importer=imported, imported=module)]
    assert not loops, loops
