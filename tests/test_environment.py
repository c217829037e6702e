"""The environment files agree with each other and with the README's commands."""

import re
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


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in ci and "../shared/datasets" in ci
    assert "make test" in readme and "make demo" in readme


def test_ci_installs_the_browser_and_requires_it():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "apt-get install -y -qq chromium" in ci
    assert "export AECOURSE_REQUIRE_BROWSER=1" in ci and ci.strip().endswith("exec make test")


def test_the_venv_kernel_keeps_tensorflow_quiet():
    """make venv installs the kernelspec with TensorFlow's C++ log off (see the Makefile)."""
    import json
    import sys

    assert "--env TF_CPP_MIN_LOG_LEVEL 3" in (ROOT / "Makefile").read_text()
    spec = Path(sys.prefix) / "share" / "jupyter" / "kernels" / "python3" / "kernel.json"
    if (ROOT / ".venv").resolve() != Path(sys.prefix).resolve():
        pytest.skip("not run from the course's .venv, whose kernelspec make venv installs")
    assert json.loads(spec.read_text())["env"]["TF_CPP_MIN_LOG_LEVEL"] == "3"
