"""Run profiles: ``fast`` (CI and grading), ``full`` (the seed documents' settings), ``smoke``.

``smoke`` trains one epoch on a few hundred rows: the test suite grades blank and hostile
submissions with it, whose every answer fails anyway, so that they need not train for minutes.

``AECOURSE_PROFILE`` selects the profile; every notebook's budget lives in ``BUDGETS``.
"""

import os
from types import MappingProxyType, SimpleNamespace

PROFILE_VARIABLE = "AECOURSE_PROFILE"
PROFILES = ("fast", "full", "smoke")
DEFAULT_PROFILE = "fast"

BUDGETS = MappingProxyType({
    "01_wine_basics": {
        # The seed trains 100 epochs first, then 200 with validation, batch 16.
        "full": {"first_epochs": 100, "epochs": 200, "batch_size": 16},
        "fast": {"first_epochs": 40, "epochs": 60, "batch_size": 16},
        "smoke": {"first_epochs": 2, "epochs": 2, "batch_size": 16},
    },
    "02_depth_study": {
        # The seed trains on all 60,000 training images; n_train/n_test None = everything.
        "full": {"n_train": None, "n_test": None, "epochs": 50, "batch_size": 128},
        "fast": {"n_train": 10000, "n_test": 2000, "epochs": 15, "batch_size": 64},
        "smoke": {"n_train": 512, "n_test": 256, "epochs": 1, "batch_size": 64},
    },
    "03_latent_size": {
        "full": {"n_train": None, "n_test": None, "epochs": 30, "batch_size": 128},
        "fast": {"n_train": 8000, "n_test": 2000, "epochs": 10, "batch_size": 64},
        "smoke": {"n_train": 512, "n_test": 256, "epochs": 1, "batch_size": 64},
    },
    "04_vae": {
        # The seed: 100 epochs on all 60,000 images, evaluated on the 10,000 test images.
        "full": {"n_train": None, "n_test": None, "epochs": 100, "batch_size": 32},
        "fast": {"n_train": 10000, "n_test": 2000, "epochs": 10, "batch_size": 128},
        "smoke": {"n_train": 512, "n_test": 256, "epochs": 1, "batch_size": 128},
    },
    "05_bottleneck": {
        # The seed: 200 epochs, batch 16, on the 670 training rows.
        "full": {"epochs": 200, "batch_size": 16},
        "fast": {"epochs": 25, "batch_size": 16},
        "smoke": {"epochs": 1, "batch_size": 16},
    },
    "06_vae_search": {
        # The seed states no budget; each search: population x rounds mutants, one training each.
        "full": {"n_train": 12000, "n_held_out": 2000, "epochs": 8, "batch_size": 128,
                 "population": 8, "rounds": 3},
        "fast": {"n_train": 2000, "n_held_out": 500, "epochs": 3, "batch_size": 128,
                 "population": 4, "rounds": 2},
        "smoke": {"n_train": 256, "n_held_out": 128, "epochs": 1, "batch_size": 128,
                  "population": 2, "rounds": 1},
    },
})


def active_profile():
    """Return the profile named by ``$AECOURSE_PROFILE`` (default ``fast``)."""
    profile = os.environ.get(PROFILE_VARIABLE, DEFAULT_PROFILE).strip().lower() or DEFAULT_PROFILE
    if profile not in PROFILES:
        raise ValueError(
            f"{PROFILE_VARIABLE}={profile!r} is not a profile; use one of {', '.join(PROFILES)}."
        )
    return profile


def budget(notebook, profile=None):
    """Return the training budget of ``notebook`` in ``profile`` (default: the active one)."""
    if notebook not in BUDGETS:
        raise KeyError(f"No budget for notebook {notebook!r}; known: {', '.join(BUDGETS)}.")
    profile = profile or active_profile()
    if profile not in PROFILES:
        raise ValueError(f"Unknown profile {profile!r}; use one of {', '.join(PROFILES)}.")
    return SimpleNamespace(notebook=notebook, profile=profile, **BUDGETS[notebook][profile])


def describe(settings):
    """Return a one-line summary of a budget, for the top of a notebook."""
    values = ", ".join(f"{key}={value}" for key, value in vars(settings).items()
                       if key not in ("notebook", "profile"))
    hint = "" if settings.profile == "full" else f" (set {PROFILE_VARIABLE}=full for the seed's)"
    return f"Profile {settings.profile!r}: {values}{hint}"
