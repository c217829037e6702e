"""Run profiles: ``student`` (the default), ``fast`` (CI and grading), ``full``, ``smoke``.

``student`` is what a student gets by running a notebook top to bottom: big enough to show what
the text describes, at most about 5 minutes per notebook on a 2-core laptop. ``full`` uses the
seed documents' settings; ``fast`` trains on small subsets for few epochs.

``smoke`` trains one epoch on a few hundred rows: the test suite grades blank and hostile
submissions with it, whose every answer fails anyway, so that they need not train for minutes.

``AECOURSE_PROFILE`` selects the profile; every notebook's budget lives in ``BUDGETS``.
"""

import os
from types import MappingProxyType, SimpleNamespace

PROFILE_VARIABLE = "AECOURSE_PROFILE"
# The folder holding the MNIST and Fashion-MNIST IDX files (``aecourse.data``).
DATA_VARIABLE = "AECOURSE_DATA_DIR"
PROFILES = ("student", "fast", "full", "smoke")
DEFAULT_PROFILE = "student"

BUDGETS = MappingProxyType({
    "01_wine_basics": {
        # The seed trains 100 epochs first, then 200 with validation, batch 16.
        "full": {"first_epochs": 100, "epochs": 200, "batch_size": 16},
        "student": {"first_epochs": 100, "epochs": 150, "batch_size": 16},
        "fast": {"first_epochs": 40, "epochs": 60, "batch_size": 16},
        "smoke": {"first_epochs": 2, "epochs": 2, "batch_size": 16},
    },
    "02_depth_study": {
        # The seed trains on all 60,000 training images; n_train/n_test None = everything.
        "full": {"n_train": None, "n_test": None, "epochs": 50, "batch_size": 128},
        "student": {"n_train": 30000, "n_test": 5000, "epochs": 20, "batch_size": 128},
        "fast": {"n_train": 10000, "n_test": 2000, "epochs": 15, "batch_size": 64},
        "smoke": {"n_train": 512, "n_test": 256, "epochs": 1, "batch_size": 64},
    },
    "03_latent_size": {
        "full": {"n_train": None, "n_test": None, "epochs": 30, "batch_size": 128},
        "student": {"n_train": 20000, "n_test": 5000, "epochs": 15, "batch_size": 128},
        "fast": {"n_train": 8000, "n_test": 2000, "epochs": 10, "batch_size": 64},
        "smoke": {"n_train": 512, "n_test": 256, "epochs": 1, "batch_size": 64},
    },
    "04_vae": {
        # The seed: Adam, 100 epochs on all 60,000 images, evaluated on the 10,000 test images.
        # Batches of 64 and a cosine schedule from 3e-3 are ours: with Keras's defaults
        # (batches of 32, a constant 1e-3) our models end above the seed's losses.
        "full": {"n_train": None, "n_test": None, "epochs": 100, "batch_size": 64,
                 "learning_rate": 3e-3},
        "student": {"n_train": None, "n_test": None, "epochs": 15, "batch_size": 128,
                    "learning_rate": 3e-3},
        "fast": {"n_train": 10000, "n_test": 2000, "epochs": 10, "batch_size": 128,
                 "learning_rate": 1e-3},
        "smoke": {"n_train": 512, "n_test": 256, "epochs": 1, "batch_size": 128,
                  "learning_rate": 1e-3},
    },
    "05_bottleneck": {
        # The seed: 200 epochs, batch 16, on the 670 training rows.
        "full": {"epochs": 200, "batch_size": 16},
        "student": {"epochs": 80, "batch_size": 16},
        "fast": {"epochs": 25, "batch_size": 16},
        "smoke": {"epochs": 1, "batch_size": 16},
    },
    "06_vae_search": {
        # The seed states no budget; each search: population x rounds mutants, one training each.
        "full": {"n_train": 12000, "n_held_out": 2000, "epochs": 8, "batch_size": 128,
                 "population": 8, "rounds": 3},
        "student": {"n_train": 4000, "n_held_out": 1000, "epochs": 4, "batch_size": 128,
                    "population": 4, "rounds": 2},
        "fast": {"n_train": 2000, "n_held_out": 500, "epochs": 3, "batch_size": 128,
                 "population": 4, "rounds": 2},
        "smoke": {"n_train": 256, "n_held_out": 128, "epochs": 1, "batch_size": 128,
                  "population": 2, "rounds": 1},
    },
})


def active_profile():
    """Return the profile named by ``$AECOURSE_PROFILE`` (default ``student``)."""
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
    hint = ("" if settings.profile == "full"
            else f" (set {PROFILE_VARIABLE}=full for the full budget)")
    default = " (the default)" if settings.profile == DEFAULT_PROFILE else ""
    return f"Profile {settings.profile!r}{default}: {values}{hint}"
