"""Order of the suite for pytest-xdist (``--dist loadscope --no-loadscope-reorder``).

Each test module, or each class of ``test_grading.py``, runs on one worker. The longest scopes go
first, so that the two workers end together instead of one waiting for the last long class.
"""

# Scopes that take a minute or more, longest first (seconds on 2 cores under load, pytest
# --durations: the class setups of test_grading.py, the hostile class of test_sandbox.py...).
SLOW_SCOPES = [
    "test_grading.py::TestBottleneck", "test_hub.py", "test_grading.py::TestVaeSearch",
    "test_grading.py::TestWineBasics", "test_sandbox.py", "test_grading.py::TestLatentSize",
    "test_grading.py::TestVae", "test_grading.py::TestDepthStudy", "test_mistakes.py",
    "test_release.py",
]


def _rank(item):
    scope = item.nodeid.split("/", 1)[-1]
    for rank, slow in enumerate(SLOW_SCOPES):
        if scope == slow or scope.startswith(f"{slow}::"):
            return rank
    return len(SLOW_SCOPES)


def pytest_collection_modifyitems(items):
    items.sort(key=_rank)  # stable: the order within a scope is kept
