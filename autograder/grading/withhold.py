"""Withheld answers: a grading kernel never holds the helper package's own version of an exercise.

``withheld_copy`` writes a copy of a package folder in which each named function or method
(``"vae.kl_divergence"``, ``"vae.Sampling.call"``) keeps its signature and docstring but raises
``NotImplementedError``. The sandbox binds that copy over the package for the kernels of the
assignment that withholds those names, so the original source and its compiled files are not
there to import, read, copy or unmarshal: copying the answer is impossible, not switched off.
"""

import ast
import shutil
from pathlib import Path

from autograder.grading import syntax

MESSAGE = "{name} is withheld while this assignment is graded: use your own answer"


def _stubbed(source, qualnames, module):
    """Return ``source`` with the functions named by ``qualnames`` replaced by stubs."""
    tree = syntax.parse(source)
    found = set()

    def visit(body, prefix):
        for node in body:
            if isinstance(node, ast.ClassDef):
                visit(node.body, f"{prefix}{node.name}.")
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) \
                    and f"{prefix}{node.name}" in qualnames:
                name = f"{prefix}{node.name}"
                found.add(name)
                message = MESSAGE.format(name=f"{module}.{name}")
                docstring = node.body[:1] if ast.get_docstring(node) else []
                node.body = docstring + [ast.Raise(ast.Call(
                    ast.Name("NotImplementedError", ast.Load()), [ast.Constant(message)], []))]

    visit(tree.body, "")
    missing = set(qualnames) - found
    if missing:
        raise ValueError(f"{module} has no {', '.join(sorted(missing))} to withhold")
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def withheld_copy(package, names, destination):
    """Copy the package folder ``package`` to ``destination`` with ``names`` withheld (names
    relative to the package: ``module.function`` or ``module.Class.method``); return it."""
    package, destination = Path(package), Path(destination)
    by_module = {}
    for name in names:
        module, _, qualname = name.partition(".")
        by_module.setdefault(module, set()).add(qualname)
    shutil.copytree(package, destination,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for module, qualnames in by_module.items():
        path = destination / f"{module}.py"
        if not path.is_file():
            raise ValueError(f"the package has no module {module} to withhold from")
        path.write_text(_stubbed(path.read_text(), qualnames, module))
    return destination
