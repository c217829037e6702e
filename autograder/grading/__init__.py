"""Grade a class with nbgrader, each submission in a sandbox: ``python -m autograder.grading``.

- ``submissions``: finding, reading, hashing and validating what students handed in;
- ``worker``: one submission in a throwaway nbgrader course (``Task`` in, ``Result`` out);
- ``gradebook``: the class folder, its assignment template, merging and maximum scores;
- ``outcomes``: what happened to each submission, saved between runs;
- ``executor``: threads or a Dask cluster, Ctrl-C, progress;
- ``classroom``: ``grade_class``, which ties them together;
- ``report``, ``integrity``: the class report and the integrity flags;
- ``judge``, ``evidence``, ``verdicts``, ``execute``, ``withhold``: hidden tests judged outside
  the kernel, nbgrader's ``Execute`` in the sandbox, the package with the answers withheld;
- ``syntax``: parsing Python safely from the worker threads.
"""

__all__ = ["grade_class"]


def __getattr__(name):
    # Imported on first use, so that importing one module of the package (the judge, from the
    # course's nbgrader config) never loads the grader, and no module of it loops back here.
    if name == "grade_class":
        from autograder.grading.classroom import grade_class

        return grade_class
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
