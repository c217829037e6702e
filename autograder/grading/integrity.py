"""Integrity flags: code in a submission that tampers with grading or reaches outside it.

    python -m autograder.grading.integrity path/to/notebook.ipynb

Each code cell is parsed (IPython magics and ``!`` shell lines included) and every statement
that could change how the checks judge, or that leaves the notebook's folder, is listed with
its cell number. A flag never changes a score: the instructor reads it in the class report.
"""

import ast
import sys

import nbformat

from autograder.grading import syntax

# Modules whose attributes the checks rely on: rebinding one of them is tampering.
GUARDED_MODULES = ("aecourse", "numpy", "builtins", "sys", "keras", "sklearn", "math", "IPython")
PROCESS_CALLS = {"os.system", "os.popen", "os.fork", "os.forkpty", "os.kill", "os.killpg",
                 "pty.spawn", "get_ipython.system", "get_ipython.getoutput"}
PROCESS_PREFIXES = ("subprocess.", "multiprocessing.", "os.spawn", "os.exec", "os.posix_spawn")
EXIT_CALLS = {"os._exit", "sys.exit", "exit", "quit", "os.abort"}
FILE_CALLS = {"open", "io.open", "os.open", "pathlib.Path", "Path", "os.remove", "os.unlink",
              "os.rename", "os.replace", "os.rmdir", "os.makedirs", "os.mkdir", "os.listdir",
              "os.scandir", "os.walk", "os.chdir", "shutil.copy", "shutil.copyfile",
              "shutil.copytree", "shutil.rmtree", "shutil.move", "glob.glob"}
NETWORK_MODULES = ("socket", "urllib", "http", "requests", "ftplib", "smtplib")
# Code built at run time hides from this scan; frames and sources reveal the hidden tests.
DYNAMIC_CALLS = {"exec", "eval", "compile", "__import__", "types.FunctionType", "types.CodeType",
                 "marshal.loads", "codecs.decode", "pickle.loads"}
DYNAMIC_PREFIXES = ("importlib.", "base64.", "zlib.decompress", "lzma.decompress", "bz2.decompress")
INTROSPECTION_MODULES = ("inspect", "linecache", "gc", "importlib", "ctypes", "dis")
INTROSPECTION_ATTRIBUTES = {"_getframe", "f_back", "f_locals", "f_globals", "f_code",
                            "tb_frame", "gi_frame", "__globals__", "__closure__"}
# Every IPython hook that runs code around a cell or changes what a cell shows or raises.
KERNEL_HOOKS = {"events", "set_hook", "register_magic_function", "input_transformers_post",
                "input_transformers_cleanup", "input_transformer_manager", "ast_transformers",
                "set_custom_exc", "display_formatter", "displayhook", "display_pub",
                "showtraceback", "run_cell", "run_ast_nodes", "ex", "ev"}
SHELL_MAGICS = {"system", "bash", "sh", "script", "sx", "perl", "ruby"}


def _python_source(cell_source):
    """Return the cell as plain Python, with magics turned into get_ipython() calls."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(cell_source)


class _Scanner(ast.NodeVisitor):
    """Collect the reasons to flag one cell; ``aliases`` maps local names to dotted origins."""

    def __init__(self, aliases):
        self.aliases, self.reasons = aliases, []

    def dotted(self, node):
        """Return the dotted origin of ``node`` (``np.testing`` -> ``numpy.testing``), or None."""
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self.dotted(node.value)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, ast.Call):
            base = self.dotted(node.func)
            return base if base == "get_ipython" else None
        if isinstance(node, ast.Subscript):
            base = self.dotted(node.value)
            return f"{base}[]" if base else None
        return None

    def guarded(self, dotted):
        return dotted and (dotted.split(".")[0].split("[")[0] in GUARDED_MODULES
                           or dotted.startswith("get_ipython"))

    def visit_Import(self, node):
        for name in node.names:
            self.aliases[name.asname or name.name.split(".")[0]] = (
                name.name if name.asname else name.name.split(".")[0])
            self.check_module(name.name)
        self.generic_visit(node)

    def visit_ImportFrom(self, node):
        for name in node.names:
            self.aliases[name.asname or name.name] = f"{node.module}.{name.name}"
            self.check_module(node.module or "")
            if node.module == "sys" and name.name in INTROSPECTION_ATTRIBUTES | {"modules"}:
                self.reasons.append(f"imports sys.{name.name}")
        self.generic_visit(node)

    def check_module(self, module):
        top = module.split(".")[0]
        if top in NETWORK_MODULES:
            self.reasons.append(f"imports {module} (network access)")
        elif top in INTROSPECTION_MODULES:
            self.reasons.append(f"imports {module} (reads frames, sources or objects at run time)")

    def visit_Name(self, node):
        # Named, not only called: `run = exec` hides the call from the check below.
        if self.aliases.get(node.id, node.id) in ("exec", "eval", "compile", "__import__"):
            self.reasons.append(f"runs or decodes code at run time ({node.id})")

    def visit_Attribute(self, node):
        if node.attr in INTROSPECTION_ATTRIBUTES:
            self.reasons.append(f"reads .{node.attr} (frames and sources)")
        dotted = self.dotted(node) or ""
        if dotted.startswith("get_ipython.") and dotted.split(".")[1] in KERNEL_HOOKS:
            self.reasons.append(f"changes the kernel (get_ipython().{dotted.split('.')[1]})")
        elif dotted in ("sys.displayhook", "sys.excepthook", "sys.settrace", "sys.setprofile",
                        "sys.meta_path", "sys.path_hooks", "builtins.__import__"):
            self.reasons.append(f"changes the interpreter ({dotted})")
        self.generic_visit(node)

    def visit_Assign(self, node):
        for target in node.targets:
            self.check_target(target)
        if isinstance(node.value, ast.Call) and self.dotted(node.value.func) == "get_ipython":
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.aliases[target.id] = "get_ipython"
        elif isinstance(node.value, ast.Name | ast.Attribute):
            origin = self.dotted(node.value)
            for target in node.targets:
                if isinstance(target, ast.Name) and self.guarded(origin):
                    self.aliases[target.id] = origin
        self.generic_visit(node)

    def visit_AugAssign(self, node):
        self.check_target(node.target)
        self.generic_visit(node)

    def visit_Delete(self, node):
        for target in node.targets:
            self.check_target(target, verb="deletes")
        self.generic_visit(node)

    def check_target(self, target, verb="rebinds"):
        if isinstance(target, ast.Tuple | ast.List):
            for element in target.elts:
                self.check_target(element, verb)
        elif isinstance(target, ast.Attribute | ast.Subscript):
            dotted = self.dotted(target)
            if self.guarded(dotted):
                self.reasons.append(f"{verb} {dotted}")
        elif isinstance(target, ast.Name) and target.id == "__builtins__":
            self.reasons.append(f"{verb} __builtins__")

    def visit_Call(self, node):
        name = self.dotted(node.func) or ""
        if name in ("setattr", "delattr") and node.args and self.guarded(self.dotted(node.args[0])):
            self.reasons.append(f"{name} on {self.dotted(node.args[0])}")
        elif name in ("getattr", "setattr", "delattr", "vars", "globals", "locals") and (
                name in ("vars", "globals", "locals") and not node.args
                or len(node.args) > 1 and not isinstance(node.args[1], ast.Constant)):
            self.reasons.append(f"{name}() with a name computed at run time")
        elif name in DYNAMIC_CALLS or name.startswith(DYNAMIC_PREFIXES):
            self.reasons.append(f"runs or decodes code at run time ({name})")
        elif name.startswith("sys.modules.") and name.rsplit(".", 1)[-1] in (
                "update", "pop", "setdefault", "__setitem__", "clear", "popitem"):
            self.reasons.append(f"writes to sys.modules ({name})")
        elif name in EXIT_CALLS:
            self.reasons.append(f"calls {name}() (ends the kernel)")
        elif name in PROCESS_CALLS or name.startswith(PROCESS_PREFIXES):
            self.reasons.append(f"starts a process ({name})")
        elif name.startswith("get_ipython.run_cell_magic") or name.startswith(
                "get_ipython.run_line_magic"):
            magic = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) \
                else ""
            if magic in SHELL_MAGICS:
                self.reasons.append(f"starts a process (%{magic})")
        elif name in FILE_CALLS and node.args and _escapes(node.args[0]):
            self.reasons.append(f"{name}() outside the notebook's folder")
        self.generic_visit(node)


def _escapes(argument):
    """Return True if a path argument is absolute, in the home folder or goes up a level."""
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str | bytes):
        path = argument.value if isinstance(argument.value, str) else argument.value.decode()
        return path.startswith(("/", "~")) or ".." in path.replace("\\", "/").split("/")
    if isinstance(argument, ast.JoinedStr):
        return any(_escapes(part) for part in argument.values if isinstance(part, ast.Constant))
    return False


def scan_notebook(path):
    """Return ``[(cell_number, reason)]`` for the code cells of the notebook at ``path``."""
    return scan(nbformat.read(str(path), as_version=4))


def scan(nb):
    """Return ``[(cell_number, reason)]`` for the code cells of the notebook ``nb``."""
    flags, aliases = [], {}
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        try:
            tree = syntax.parse(_python_source(cell.source))
        except SyntaxError:
            continue  # the cell fails when it runs; nothing in it can tamper
        scanner = _Scanner(aliases)
        scanner.visit(tree)
        flags += [(number, reason) for reason in dict.fromkeys(scanner.reasons)]
    return flags


def describe(flags):
    """Return the flags as one line: ``cell 3: rebinds numpy.allclose; ...``."""
    return "; ".join(f"cell {number}: {reason}" for number, reason in flags)


def main(argv=None):
    for path in argv or sys.argv[1:]:
        print(f"{path}: {describe(scan_notebook(path)) or 'no integrity flags'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
