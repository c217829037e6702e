"""Every setting of the course's tooling, once: paths, profiles, the kernel environment, limits.

The Makefile, the grader, the tests, the benchmarks and ``nbgrader_config.py`` read them from
here (``python -m autograder.settings NAME`` prints one for the Makefile).
"""

import os
import re
import sys
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from aecourse import profiles

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"
RELEASE = ROOT / "release"
REFERENCE = ROOT / "notebooks"
CONFIG = ROOT / "nbgrader_config.py"
SANITIZE = REFERENCE / "nbval_sanitize.cfg"
RESULTS = ROOT / "benchmarks" / "results"

COURSE_ID = "autoencoders"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}

# The profile of every run made by the tooling (CI, grading, nbval); students get aecourse's.
TOOLING_PROFILE = "fast"
# The helper package reads these two; their names have one home there.
PROFILE_VARIABLE = profiles.PROFILE_VARIABLE
DATA_VARIABLE = profiles.DATA_VARIABLE
EXCHANGE_VARIABLE = "AECOURSE_EXCHANGE"
# Notebooks that read MNIST or Fashion-MNIST: without a data folder, the grader downloads them.
IMAGE_DATA_ASSIGNMENTS = ("02_depth_study", "03_latent_size", "04_vae", "06_vae_search")

# Every kernel the tooling starts: the tooling profile, deterministic numerics, and no
# TensorFlow C++ log (level 3 silences even its start-up lines, which land in a cell's stderr).
QUIET_TENSORFLOW = {"TF_CPP_MIN_LOG_LEVEL": "3"}
EXECUTION_ENV = {PROFILE_VARIABLE: TOOLING_PROFILE, **QUIET_TENSORFLOW,
                 "TF_ENABLE_ONEDNN_OPTS": "0", "PYTHONHASHSEED": "0"}

# nbgrader's cell delimiters, as its ClearSolutions and ClearHiddenTests read them.
SOLUTION_DELIMITER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*(\n|\Z)", re.MULTILINE)
HIDDEN_REGION = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[ \t]*\n?",
                           re.DOTALL | re.MULTILINE)
# Inside a hidden region, the lines after this one are judged by the grader, outside the kernel
# (autograder/grading/judge.py).
JUDGE_MARKER = re.compile(r"^[ \t]*### JUDGED OUTSIDE THE KERNEL[ \t]*\n", re.MULTILINE)
SECRET_REGION = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", re.DOTALL)

# TensorFlow's C++ log lines ("E0000 00:00:... cuda_platform.cc] failed call to cuInit"), which
# differ on every run: nbgrader's IgnorePattern drops them before scoring, and the reference
# notebooks are written without them.
TF_LOG_PATTERN = (r"^(WARNING: All log messages before absl::InitializeLog"
                  r"|[IWE]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ )")

MIB = 1024**2
GIB = 1024**3


def _limit(default, flag, help_text):
    return field(default=default, metadata={"flag": flag, "help": help_text})


@dataclass(frozen=True)
class Limits:
    """What one submission may use; ``python -m autograder.grading`` has a flag for each."""

    memory_gib: float = _limit(4.0, "--memory", "GiB of resident memory per kernel, all its "
                               "processes together")
    processes: int = _limit(32, "--processes", "processes at once per kernel (threads do not "
                            "count)")
    output_mib: float = _limit(2.0, "--max-output", "MiB of text output (streams, errors, "
                               "tables) kept per notebook; the rest is dropped")
    image_mib: float = _limit(16.0, "--max-images", "MiB of image output kept per notebook; the "
                              "rest is dropped")
    file_mib: float = _limit(64.0, "--max-file", "MiB per file the kernel writes")
    disk_mib: float = _limit(256.0, "--max-disk", "MiB the kernel may write in its working "
                             "folder and in /tmp, each (a tmpfs of that size)")
    files: int = _limit(10000, "--max-files", "files and folders the kernel may create in its "
                        "working folder and /tmp together")
    cell_seconds: int = _limit(300, "--timeout", "seconds allowed per cell")
    submission_seconds: int = _limit(1200, "--submission-timeout",
                                     "seconds allowed per submission (autograde and feedback)")
    threads: int = _limit(0, "--threads", "TensorFlow and BLAS threads per kernel (default: "
                          "the cores shared among the workers)")

    def as_dict(self):
        return asdict(self)

    def for_workers(self, workers):
        """Return these limits with the thread count resolved for ``workers`` parallel kernels."""
        if self.threads:
            return self
        return Limits(**{**asdict(self), "threads": kernel_threads(workers)})


def kernel_threads(workers):
    """Return the threads each of ``workers`` kernels gets: the cores, shared."""
    return max(1, (os.cpu_count() or 1) // max(1, workers))


def add_limit_flags(parser):
    """Add one command-line flag per field of ``Limits``, with its default and help."""
    group = parser.add_argument_group("limits per submission")
    for limit in fields(Limits):
        given = "" if "default:" in limit.metadata["help"] else f" (default: {limit.default:g})"
        group.add_argument(limit.metadata["flag"], dest=limit.name, type=limit.type,
                           default=limit.default, metavar="N",
                           help=f"{limit.metadata['help']}{given}")


def limits_from(args):
    """Return the ``Limits`` given on a command line built by ``add_limit_flags``."""
    return Limits(**{limit.name: getattr(args, limit.name) for limit in fields(Limits)})


def data_dir():
    """Return the data folder given by ``$AECOURSE_DATA_DIR``, resolved, or None."""
    given = os.environ.get(DATA_VARIABLE, "")
    return str(Path(given).resolve()) if given else None


def kernel_environment(limits, data_folder=None, profile=TOOLING_PROFILE):
    """Return the whole environment of a grading kernel: no tokens, nothing of the grader's."""
    threads = str(limits.threads or 1)
    env = {
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin",
                                 "/bin"]),
        "HOME": "/tmp", "LANG": "C.UTF-8",
        **EXECUTION_ENV, PROFILE_VARIABLE: profile,
        "TF_NUM_INTRAOP_THREADS": threads, "TF_NUM_INTEROP_THREADS": threads,
        "OMP_NUM_THREADS": threads, "OPENBLAS_NUM_THREADS": threads, "MKL_NUM_THREADS": threads,
    }
    if data_folder:
        env[DATA_VARIABLE] = str(data_folder)
    return env


def course_readable_paths(data_folder=None):
    """Return the folders of the course a grading kernel reads: the helper package and data."""
    paths = [helper_package()]
    keras_datasets = Path.home() / ".keras" / "datasets"
    if data_folder:
        paths.append(str(Path(data_folder).resolve()))
    elif keras_datasets.is_dir():  # the Keras download cache, for users without the variable
        paths.append(str(keras_datasets))
    return paths


def helper_package():
    """Return the folder of the helper package the kernels import (``aecourse``)."""
    import aecourse

    return str(Path(aecourse.__file__).resolve().parent)


# Each autograded exercise's own versions in the helper package (its twins): withheld from every
# grading kernel and from the students' copy of the package; the mistakes catalogue holds a
# shortcut through each one.
TWINS = {
    ("01_wine_basics", "build_shallow_autoencoder"): ["aecourse.models.dense_autoencoder"],
    ("02_depth_study", "build_autoencoder"): ["aecourse.models.dense_autoencoder"],
    ("02_depth_study", "count_parameters"): ["aecourse.models.dense_autoencoder"],
    ("03_latent_size", "linear_probe_accuracy"): ["aecourse.metrics.probe_accuracy"],
    ("04_vae", "sampling_layer"): ["aecourse.vae.Sampling.call"],
    ("04_vae", "kl_term"): ["aecourse.vae.kl_divergence"],
    ("04_vae", "vae_total_loss"): ["aecourse.vae.kl_divergence"],
    ("04_vae", "beta_vae_loss"): ["aecourse.vae.kl_divergence"],
    ("04_vae", "kl_per_dimension"): ["aecourse.vae.kl_divergence"],
    ("04_vae", "build_encoder_decoder"): ["aecourse.vae.build_vae", "aecourse.vae.vae_encoder",
                                          "aecourse.vae.vae_decoder"],
    ("05_bottleneck", "prepare_data"): ["aecourse.data.split_and_scale"],
    ("05_bottleneck", "build_bottleneck_autoencoder"): ["aecourse.models.bottleneck_autoencoder"],
    ("05_bottleneck", "encoder_feature_accuracy"): ["aecourse.metrics.probe_accuracy"],
    ("06_vae_search", "kl_layer"): ["aecourse.vae.KLDivergenceLayer.call"],
    ("06_vae_search", "build_mirror"): ["aecourse.vae.build_mirror_vae", "aecourse.vae.vae_encoder",
                                        "aecourse.vae.vae_decoder", "aecourse.vae.build_vae",
                                        "aecourse.vae.KLDivergenceLayer.call"],
    ("06_vae_search", "mutate_architecture"): ["aecourse.search.mutate"],
    ("06_vae_search", "silhouette_fitness"): ["aecourse.metrics.kmeans_silhouette"],
    ("06_vae_search", "selection_step"): ["aecourse.search.is_better",
                                          "aecourse.search.select_better"],
    ("06_vae_search", "random_search_baseline"): ["aecourse.search.random_search"],
}


def withheld_names():
    """Return the helper package's own versions of the exercises (its twins, as
    ``module.function``): no grading kernel and no student's copy of the package holds them."""
    return sorted({twin.removeprefix("aecourse.") for twins in TWINS.values() for twin in twins})


def withheld_answers():
    """Return ``{assignment: names}`` for the sandbox (``autograder.grading.withhold``): each
    assignment's kernels have every twin withheld, as the students' own copy of the package
    has them, so that a notebook that ran when graded runs for a student too."""
    names = withheld_names()
    return {assignment: names for assignment, _ in TWINS}


def fetch_image_data(names):
    """Download MNIST and Fashion-MNIST into Keras' cache, which grading kernels can read,
    when assignments ``names`` need them and no data folder is given."""
    if data_dir() or not set(names) & set(IMAGE_DATA_ASSIGNMENTS):
        return
    from aecourse.data import load_fashion_mnist, load_mnist

    try:
        load_mnist()
        load_fashion_mnist()
    except (OSError, ValueError) as error:  # no network: say what the grades will lack, go on
        print(f"WARNING: MNIST/Fashion-MNIST could not be downloaded ({error}); notebooks that "
              f"need them will fail. Set {DATA_VARIABLE} to a folder holding the IDX files "
              "(see README).", file=sys.stderr, flush=True)
