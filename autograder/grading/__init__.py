"""Grade a class with nbgrader, each submission in a sandbox: ``python -m autograder.grading``.

- ``submissions``: finding, reading, hashing and validating what students handed in;
- ``worker``: one submission in a throwaway nbgrader course (``Task`` in, ``Result`` out);
- ``gradebook``: the class folder, its assignment template, merging and maximum scores;
- ``outcomes``: what happened to each submission, saved between runs;
- ``executor``: threads or a Dask cluster, Ctrl-C, progress;
- ``classroom``: ``grade_class``, which ties them together;
- ``report``, ``integrity``: the class report and the integrity flags.
"""

from autograder.grading.classroom import grade_class

__all__ = ["grade_class"]
