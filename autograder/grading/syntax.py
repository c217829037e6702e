"""Parsing Python source from the grader's worker threads.

CPython 3.11's AST constructor keeps one recursion counter for the whole interpreter, so two
threads parsing at once (a garbage collection that runs a finalizer can switch threads in the
middle of a parse) make it raise ``SystemError: AST constructor recursion depth mismatch``
(python/cpython#106905). The grader parses notebooks and the helper package in several threads.
"""

import ast
import threading

# Reentrant: a finalizer run during a parse may itself parse, in the same thread.
_PARSING = threading.RLock()


def parse(source):
    """Return ``ast.parse(source)``, one thread at a time."""
    with _PARSING:
        return ast.parse(source)
