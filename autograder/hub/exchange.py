"""nbgrader's exchange with the hub's two guards: a size limit on submissions, and collect
refusing a submission that its claimed student does not own (nbgrader itself only warns).

The hub sets ``$AECOURSE_MAX_SUBMISSION_MIB`` in every server; the role configurations in
``roles/`` select these classes.
"""

import os
import pwd

from nbgrader.exchange.default import ExchangeCollect, ExchangeSubmit

LIMIT_VARIABLE = "AECOURSE_MAX_SUBMISSION_MIB"
DEFAULT_LIMIT_MIB = 20.0
MIB = 1024**2


def limit_bytes():
    return float(os.environ.get(LIMIT_VARIABLE) or DEFAULT_LIMIT_MIB) * MIB


def folder_bytes(root):
    """Bytes of every file under ``root`` (links not followed)."""
    return sum(os.lstat(os.path.join(folder, name)).st_size
               for folder, _, names in os.walk(root) for name in names)


class LimitedSubmit(ExchangeSubmit):
    """Refuse, with a message the student reads, an assignment folder over the size limit."""

    def copy_files(self):
        size, limit = folder_bytes(self.src_path), limit_bytes()
        if size > limit:
            self.fail(f"Your assignment folder holds {size / MIB:.1f} MiB, over the course's "
                      f"limit of {limit / MIB:g} MiB: nothing was submitted. Remove large files "
                      "(data, saved models, outputs) from it and submit again.")
        super().copy_files()


class LimitedCollect(ExchangeCollect):
    """Collect every submission except those over the size limit or not owned by their student,
    each skipped with an error in the log; the others are collected as usual."""

    def copy_files(self):
        kept = []
        for record in self.src_records:
            path = os.path.join(self.inbound_path, record["filename"])
            try:
                owner = pwd.getpwuid(os.lstat(path).st_uid).pw_name
            except KeyError:
                owner = "an unknown account"
            if owner != record["username"]:
                self.log.error(f"Skipped {record['filename']}: it claims to be {record['username']}"
                               f"'s submission but is owned by {owner}")
            elif folder_bytes(path) > limit_bytes():
                self.log.error(f"Skipped {record['filename']}: over the size limit of "
                               f"{limit_bytes() / MIB:g} MiB")
            else:
                kept.append(record)
        self.src_records = kept
        super().copy_files()
