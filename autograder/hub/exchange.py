"""nbgrader's exchange with the hub's guards: a submission is hostile data until it is copied.

- Submit refuses a folder over the size limit, or holding a link or a special file, with a
  message the student reads, and leaves the submission folder writable by its owner only
  (nbgrader makes it writable by everyone).
- Collect takes a student's latest submission only if it is theirs through and through: the
  folder and every entry in it owned by the student, only plain folders and single-linked
  regular files, no more bytes than the limit. It copies without ever following a link
  (``openat`` with ``O_NOFOLLOW``) and counts the bytes it actually reads, so a file swapped
  for a link, a FIFO or ``/dev/zero`` after the check is still refused. A refused submission
  is skipped with the reason in the log, and the student's previous one is collected instead.

The hub sets ``$AECOURSE_MAX_SUBMISSION_MIB`` in every server; the course's and the roles'
nbgrader configurations select these classes.
"""

import fnmatch
import glob
import os
import pwd
import shutil
import stat

from nbgrader.exchange.default import ExchangeCollect, ExchangeSubmit

MIB = 1024**2
# The largest submission a student may hand in (the hub sets the variable in every server).
LIMIT_VARIABLE = "AECOURSE_MAX_SUBMISSION_MIB"
DEFAULT_LIMIT_MIB = 20.0
CHUNK = 1024**2
# A submission folder: its owner writes, the instructor (another account) reads.
SUBMISSION_MODE = 0o755


class RefusedSubmission(ValueError):
    """Why a submission is not copied, naming the entry that stopped it."""


def limit_bytes():
    return float(os.environ.get(LIMIT_VARIABLE) or DEFAULT_LIMIT_MIB) * MIB


def copy_tree(source, destination=None, owner=None, limit=None, ignore=()):
    """Check (and with ``destination``, copy) the folder ``source`` without following a link;
    return the bytes read. Raise ``RefusedSubmission`` at a link, a special file, a hard-linked
    file, an entry not owned by ``owner`` (a uid, when given), or past ``limit`` bytes. Names
    matching a pattern of ``ignore`` are left out unread."""
    try:
        top = os.open(source, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as error:
        raise RefusedSubmission(f"{os.path.basename(source)!r} is not a plain folder "
                                f"({error.strerror})") from None
    try:
        _check_owner(os.fstat(top), owner, ".")
        if destination is not None:
            os.mkdir(destination, 0o700)
        return _copy_folder(top, destination, owner, limit, [0], "", tuple(ignore))
    finally:
        os.close(top)


def _check_owner(status, owner, where):
    if owner is not None and status.st_uid != owner:
        raise RefusedSubmission(f"{where!r} belongs to another account")


def _copy_folder(folder, destination, owner, limit, total, prefix, ignore):
    for name in sorted(os.listdir(folder)):
        if any(fnmatch.fnmatch(name, pattern) for pattern in ignore):
            continue
        where = f"{prefix}{name}"
        status = os.stat(name, dir_fd=folder, follow_symlinks=False)
        _check_owner(status, owner, where)
        if stat.S_ISDIR(status.st_mode):
            inner = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=folder)
            try:
                target = None if destination is None else os.path.join(destination, name)
                if target is not None:
                    os.mkdir(target, 0o700)
                _copy_folder(inner, target, owner, limit, total, f"{where}/", ignore)
            finally:
                os.close(inner)
        elif stat.S_ISREG(status.st_mode):
            _copy_file(folder, name, destination, owner, limit, total, where)
        else:
            raise RefusedSubmission(f"{where!r} is a link or a special file, not a plain file")
        if destination is not None:
            os.chmod(os.path.join(destination, name), 0o755 if stat.S_ISDIR(status.st_mode)
                     else 0o644)
    return total[0]


def _copy_file(folder, name, destination, owner, limit, total, where):
    try:
        handle = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder)
    except OSError as error:
        raise RefusedSubmission(f"{where!r} cannot be opened as a plain file "
                                f"({error.strerror})") from None
    try:
        status = os.fstat(handle)  # what was opened, not what was listed
        if not stat.S_ISREG(status.st_mode):
            raise RefusedSubmission(f"{where!r} is a link or a special file, not a plain file")
        if status.st_nlink != 1:
            raise RefusedSubmission(f"{where!r} is a hard link to another file")
        _check_owner(status, owner, where)
        out = None if destination is None else os.open(
            os.path.join(destination, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            while chunk := os.read(handle, CHUNK):
                total[0] += len(chunk)
                if limit is not None and total[0] > limit:
                    raise RefusedSubmission(f"over the size limit of {limit / MIB:g} MiB "
                                            f"(at {where!r})")
                if out is not None:
                    os.write(out, chunk)
        finally:
            if out is not None:
                os.close(out)
    finally:
        os.close(handle)


class LimitedSubmit(ExchangeSubmit):
    """Refuse, with a message the student reads, a folder that cannot be collected; leave the
    submission folder writable by its owner only."""

    def copy_files(self):
        super().copy_files()
        # nbgrader leaves it writable by everyone; the inbound's sticky bit keeps the folder
        # itself, this keeps its files, from another student.
        os.chmod(os.path.join(self.inbound_path, self.assignment_filename), SUBMISSION_MODE)

    def do_copy(self, src, dest, log=None):
        """Copy as ``copy_tree`` does (nbgrader's copy follows links), leaving out what
        nbgrader's ``CourseDirectory.ignore`` names; a refused folder leaves nothing behind."""
        limit = limit_bytes()
        try:
            copy_tree(src, dest, limit=limit, ignore=self.coursedir.ignore)
        except RefusedSubmission as refusal:
            shutil.rmtree(dest, ignore_errors=True)
            # The Assignments tab shows the end of the error: the message on lines of its own.
            self.fail(f"\n\nNOT SUBMITTED: {refusal}.\nThe course's limit is {limit / MIB:g} "
                      "MiB of plain files: remove large files (data, saved models, outputs),\n"
                      "links and special files from your assignment folder, then submit again.")


class LimitedCollect(ExchangeCollect):
    """Collect the latest acceptable submission of each student, copied without following a
    link; a refused one is skipped with the reason in the log."""

    def student_uid(self, username):
        """The uid every entry must belong to (-1, which none has, for an unknown account);
        None when nbgrader's ``check_owner`` is off (one account plays every role)."""
        if not self.check_owner:
            return None
        try:
            return pwd.getpwnam(username).pw_uid
        except KeyError:
            return -1

    def acceptable(self, record):
        path = os.path.join(self.inbound_path, record["filename"])
        name = repr(record["filename"])  # a name the student chose
        try:
            owner = pwd.getpwuid(os.lstat(path).st_uid).pw_name
        except KeyError:
            owner = "an unknown account"
        if self.check_owner and owner != record["username"]:
            self.log.error(f"Skipped {name}: it claims to be the submission of "
                           f"{record['username']!r} but is owned by {owner}")
            return False
        try:
            copy_tree(path, owner=self.student_uid(record["username"]), limit=limit_bytes())
        except (RefusedSubmission, OSError) as refusal:
            self.log.error(f"Skipped {name}: {refusal}")
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

    def do_copy(self, src, dest, log=None):
        """Copy as ``copy_tree`` does; a submission changed since it was checked is refused
        and leaves nothing behind."""
        owner = self.student_uid(os.path.basename(src).split("+", 1)[0])
        try:
            copy_tree(src, dest, owner=owner, limit=limit_bytes())
        except (RefusedSubmission, OSError) as refusal:
            shutil.rmtree(dest, ignore_errors=True)
            self.log.error(f"Skipped {os.path.basename(src)!r}: {refusal}")
