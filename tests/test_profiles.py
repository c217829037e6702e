import pytest

from aecourse import profiles


def test_default_profile_is_the_students(monkeypatch):
    monkeypatch.delenv(profiles.PROFILE_VARIABLE, raising=False)
    assert profiles.active_profile() == "student"


@pytest.mark.parametrize("environment", ["tooling", "grading kernel"])
def test_ci_and_grading_run_the_fast_profile(monkeypatch, environment):
    from autograder import settings

    env = settings.EXECUTION_ENV if environment == "tooling" else \
        settings.kernel_environment(settings.Limits())
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert profiles.active_profile() == "fast"


def test_full_profile_uses_the_seed_settings(monkeypatch):
    monkeypatch.setenv(profiles.PROFILE_VARIABLE, "FULL")
    settings = profiles.budget("01_wine_basics")
    assert (settings.profile, settings.first_epochs, settings.epochs) == ("full", 100, 200)
    assert "AECOURSE_PROFILE" not in profiles.describe(settings)


def test_profiles_grow_from_fast_to_student_to_full():
    def at_most(small, large):  # None = the whole data set
        return large is None or (small is not None and small <= large)

    for notebook, budgets in profiles.BUDGETS.items():
        assert set(budgets) == set(profiles.PROFILES), notebook
        for key, full_value in budgets["full"].items():
            if key in ("batch_size", "learning_rate"):
                continue
            fast, student = budgets["fast"][key], budgets["student"][key]
            assert at_most(fast, student) and at_most(student, full_value), f"{notebook}.{key}"


def test_unknown_profile_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(profiles.PROFILE_VARIABLE, "quick")
    with pytest.raises(ValueError, match="'quick' is not a profile; use one of student, fast"):
        profiles.active_profile()


def test_unknown_notebook_is_a_clear_error():
    with pytest.raises(KeyError, match="No budget for notebook 'nope'"):
        profiles.budget("nope")
