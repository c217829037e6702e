"""nbgrader's exchange with the hub's two guards: a size limit on submissions, and collect
refusing a submission that its claimed student does not own (nbgrader itself only warns).

The hub sets ``$AECOURSE_MAX_SUBMISSION_MIB`` in every server; the role configurations in
``roles/`` select these classes.
"""

import glob
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
            # The Assignments tab shows the end of the error: the message on lines of its own.
            self.fail(f"\n\nNOT SUBMITTED: your assignment folder holds {size / MIB:.1f} MiB,\n"
                      f"over the course's limit of {limit / MIB:g} MiB. Remove large files (data,\n"
                      "saved models, outputs) from it, then submit again.")
        super().copy_files()


class LimitedCollect(ExchangeCollect):
    """Collect the latest acceptable submission of each student: one over the size limit, or
    not owned by the student it names (a forgery in the shared inbound), is skipped with an
    error in the log, and the student's previous submission is collected instead."""

    def acceptable(self, record):
        path = os.path.join(self.inbound_path, record["filename"])
        try:
            owner = pwd.getpwuid(os.lstat(path).st_uid).pw_name
        except KeyError:
            owner = "an unknown account"
        if owner != record["username"]:
            self.log.error(f"Skipped {record['filename']}: it claims to be {record['username']}"
                           f"'s submission but is owned by {owner}")
            return False
        if folder_bytes(path) > limit_bytes():
            self.log.error(f"Skipped {record['filename']}: over the size limit of "
                           f"{limit_bytes() / MIB:g} MiB")
            return False
        return True

    def init_src(self):
        super().init_src()  # checks the inbound folder, reads the due date
        student = self.coursedir.student_id or "*"
        pattern = os.path.join(self.inbound_path, f"{student}+{self.coursedir.assignment_id}+*")
        by_student = {}
        for record in map(self._path_to_record, glob.glob(pattern)):
            if self.acceptable(record):
                by_student.setdefault(record["username"], []).append(record)
        self.src_records = []
        for records in by_student.values():
            newest_first = self._sort_by_timestamp(records)
            # As nbgrader: the newest, or with before_duedate the newest one on time if any.
            on_time = [record for record in newest_first
                       if self.duedate is not None and record["timestamp"] <= self.duedate]
            chosen = on_time if self.before_duedate and on_time else newest_first
            self.src_records.append(chosen[0])
