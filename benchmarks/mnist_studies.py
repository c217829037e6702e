"""Run notebooks 2 and 3 (depth and latent-size studies) in a profile; save their tables.

    python -m benchmarks.mnist_studies [--profile full] [--out results/mnist_studies.json]

The real source notebooks are executed (solutions included), so the figures are exactly what
a student gets in that profile; afterwards the result tables are read from the kernel.
Prints each table and the wall time of each notebook.
"""

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from autograder.notebooks import write_notebook
from autograder.qa.claims import verdicts
from autograder.settings import EXECUTION_ENV, RESULTS, ROOT, SOURCE

STUDIES = {
    "02_depth_study": ["results"],
    "03_latent_size": ["reconstruction", "probe"],
}


def run_study(assignment, tables, timeout):
    """Execute one source notebook and return ({table: records}, wall seconds).

    ``tables`` names kernel variables, or maps labels to expressions evaluated in the kernel;
    DataFrames are read with ``to_dict()``, other values must be JSON-ready. The result also
    holds ``"claims"``, the verdict of each of the notebook's claims on this run, and the
    executed notebook is written to ``build/studies/`` (not committed) to read one that fails.
    """
    path = SOURCE / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    expressions = tables if isinstance(tables, dict) else {name: name for name in tables}
    reader = nbformat.v4.new_code_cell(
        "import json as _json\n"
        "_values = {label: eval(expression) for label, expression in "
        f"{expressions!r}.items()}}\n"
        "print(_json.dumps({label: value.to_dict() if hasattr(value, 'to_dict') else value "
        "for label, value in _values.items()}, default=float))")
    nb.cells.append(reader)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    text = "".join(out.get("text", "") for out in reader.outputs if out.get("name") == "stdout")
    results = json.loads(text.strip().splitlines()[-1])
    nb.cells.remove(reader)
    results["claims"] = verdicts(assignment, nb)
    write_notebook(nb, ROOT / "build" / "studies" / f"{assignment}.ipynb")
    return results, seconds


def parse_benchmark_arguments(argv, description, result_name, timeout, profile="full",
                              extra=None):
    """Parse --profile/--out/--timeout and set the kernels' environment for that profile.

    ``extra`` adds a benchmark's own arguments to the parser.
    """
    parser = argparse.ArgumentParser(description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    if extra:
        extra(parser)
    parser.add_argument("--profile", default=profile, choices=["student", "fast", "full"])
    parser.add_argument("--out", default=str(RESULTS / result_name))
    parser.add_argument("--timeout", type=int, default=timeout, help="seconds per cell")
    args = parser.parse_args(argv)
    os.environ.update({**EXECUTION_ENV, "AECOURSE_PROFILE": args.profile})
    return args


def machine_description():
    """Return the machine in a few words: architecture, CPU count, Python version."""
    return f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def save_report(report, out):
    """Write ``report`` as indented JSON to ``out``, creating its folder."""
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(report, indent=2) + "\n")


def main(argv=None):
    args = parse_benchmark_arguments(argv, __doc__, "mnist_studies.json", timeout=3600)
    report = {"profile": args.profile, "machine": machine_description(), "studies": {}}
    for assignment, tables in STUDIES.items():
        results, seconds = run_study(assignment, tables, args.timeout)
        report["studies"][assignment] = {"wall_time_s": round(seconds, 1), "tables": results}
        print(f"\n== {assignment} ({args.profile} profile): {seconds:.0f} s")
        for name, table in results.items():
            print(f"{name}:")
            print(json.dumps(table, indent=1))
    save_report(report, args.out)
    print(f"\nSaved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
