import pytest

from aecourse import profiles


def test_default_profile_is_fast(monkeypatch):
    monkeypatch.delenv(profiles.PROFILE_VARIABLE, raising=False)
    assert profiles.active_profile() == "fast"


def test_full_profile_uses_the_seed_settings(monkeypatch):
    monkeypatch.setenv(profiles.PROFILE_VARIABLE, "FULL")
    settings = profiles.budget("01_wine_basics")
    assert (settings.profile, settings.first_epochs, settings.epochs) == ("full", 100, 200)
    assert "AECOURSE_PROFILE" not in profiles.describe(settings)


def test_fast_profile_is_smaller_everywhere():
    for notebook, budgets in profiles.BUDGETS.items():
        for key, full_value in budgets["full"].items():
            fast_value = budgets["fast"][key]
            if key != "batch_size" and full_value is not None:  # None = the whole data set
                assert fast_value is not None and fast_value <= full_value, f"{notebook}.{key}"


def test_unknown_profile_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(profiles.PROFILE_VARIABLE, "quick")
    with pytest.raises(ValueError, match="'quick' is not a profile; use one of fast, full"):
        profiles.active_profile()


def test_unknown_notebook_is_a_clear_error():
    with pytest.raises(KeyError, match="No budget for notebook 'nope'"):
        profiles.budget("nope")
