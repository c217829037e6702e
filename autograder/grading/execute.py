"""nbgrader's ``Execute`` in the sandbox: the grading kernel under limits, output caps, and the
settings that make a traitlets ``Config`` autograde that way (``configure``).

The sandbox (``autograder.sandbox``) isolates a kernel; this module adds what grading needs on
top: the notebook shown to the kernel without its hidden tests, caps on the output kept (the
judge's payloads capped on their own), and the helper package with the exercises' own versions
withheld (``autograder.grading.withhold``), shown in the package's place.
"""

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer

from autograder.grading.judge import MAX_PAYLOAD_CHARS, PROBE_MIME
from autograder.grading.withhold import withheld_copy
from autograder.sandbox import SandboxKernelManager
from autograder.settings import MIB


def configure(config, limits, kernel_env, readable, sandbox=True, events_file="",
              withheld=(), package="", copy_folder=None):
    """Make ``config`` (a traitlets ``Config``) autograde in the sandbox: nbgrader's own
    preprocessors with ``SandboxedExecute`` and the judge, these limits and this kernel, with
    the names ``withheld`` stubbed out of the helper package at ``package`` (a copy written in
    ``copy_folder``, or in a temporary folder removed at exit)."""
    from autograder.grading.verdicts import autograde_preprocessors

    config.Autograde.autograde_preprocessors = autograde_preprocessors(SandboxedExecute)
    config.Execute.timeout = limits.cell_seconds
    config.SandboxedExecute.max_output_bytes = int(limits.output_mib * MIB)
    config.SandboxedExecute.max_image_bytes = int(limits.image_mib * MIB)
    config.SandboxKernelManager.sandbox = sandbox
    config.SandboxKernelManager.limits = limits.as_dict()
    config.SandboxKernelManager.readable = list(readable)
    config.SandboxKernelManager.kernel_env = dict(kernel_env)
    config.SandboxKernelManager.events_file = str(events_file)
    overlays = []
    if withheld and package:
        if copy_folder is None:
            copy_folder = tempfile.mkdtemp(prefix="aecourse-withheld-")
            atexit.register(shutil.rmtree, copy_folder, ignore_errors=True)
        copy = withheld_copy(package, sorted(withheld), Path(copy_folder) / "package")
        overlays = [(str(copy), str(package))]
    config.SandboxKernelManager.overlays = overlays
    return config


class SandboxedExecute(Execute):
    """nbgrader's Execute with the sandboxed kernel and two caps on the output it keeps: text
    (streams, errors, tables) and images, each counted over the whole notebook."""

    max_output_bytes = Integer(2 * MIB, help="Text output kept per notebook.").tag(config=True)
    max_image_bytes = Integer(16 * MIB, help="Image output kept per notebook.").tag(config=True)
    # nbgrader raises here, which fails the whole submission when a flood is still arriving
    # after its cell ended (more often on a loaded machine): its tail is dropped instead.
    raise_on_iopub_timeout = Bool(False).tag(config=True)
    iopub_timeout = Integer(10).tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs["kernel_manager_class"] = SandboxKernelManager
        super().__init__(*args, **kwargs)
        self._used = {"text": 0, "images": 0, "probes": 0}
        self._capped = set()
        self._shown = {}

    def preprocess(self, nb, resources=None, km=None):
        """Execute ``nb`` with its working folder showing only ``nb`` itself, as it runs: the
        file nbgrader wrote there holds the hidden tests, which the kernel must not read."""
        import nbformat

        folder = (resources or {}).get("metadata", {}).get("path") or os.getcwd()
        name = f"{(resources or {}).get('unique_key') or 'notebook'}.ipynb"
        with tempfile.TemporaryDirectory(prefix="aecourse-shown-") as private:
            copy = Path(private) / name
            nbformat.write(nb, copy)
            self._shown = {str(Path(folder) / name): str(copy)}
            try:
                return super().preprocess(nb, resources, km)
            finally:
                self._shown = {}

    def create_kernel_manager(self):
        manager = super().create_kernel_manager()
        manager.shown_files = dict(self._shown)
        return manager

    def output(self, outs, msg, display_id, cell_index):
        if self._counted(outs, msg):
            return super().output(outs, msg, display_id, cell_index)
        return None

    def _update_display_id(self, display_id, msg):
        """nbclient replaces a display's data in place (``update_display``): counted against the
        caps like any output, and never a way to bring in or change a judge's payload."""
        data = msg.get("content", {}).get("data") or {}
        shown_in = self._display_id_map.get(display_id, {})  # cell -> output indices
        replaced = [self.nb.cells[cell].outputs[index]
                    for cell, indices in shown_in.items() for index in indices]
        if PROBE_MIME in data or any(PROBE_MIME in out.get("data", {}) for out in replaced):
            return None
        outs = self.nb.cells[next(iter(shown_in))].outputs if shown_in else []
        if self._counted(outs, msg, times=max(1, len(replaced))):
            return super()._update_display_id(display_id, msg)
        return None

    def _counted(self, outs, msg, times=1):
        """Count ``msg``'s output against its cap (text, images or judge payloads); return
        whether it is kept. Past a cap, a note says once that the rest was dropped."""
        size = len(json.dumps(msg.get("content", {}))) * times
        data = msg.get("content", {}).get("data") or {}
        if PROBE_MIME in data:
            # The judge's inputs have a cap of their own, so that printing before a test never
            # costs it its payload; more than one payload in a cell fails that test anyway.
            kind, cap = "probes", self.max_output_bytes + MAX_PAYLOAD_CHARS
        elif any(key.startswith("image/") for key in data):
            kind, cap = "images", self.max_image_bytes
        else:
            kind, cap = "text", self.max_output_bytes
        self._used[kind] += size
        if self._used[kind] <= cap:
            return True
        if kind not in self._capped:
            what = f"more than {cap / MIB:g} MiB of " + {"images": "images", "text": "text",
                                                          "probes": "values for the grader"}[kind]
            verb = "displayed" if kind == "images" else "printed"
            self._dropped(kind, outs, f"Output limit reached: {what}", f"{verb} {what}")
        return False

    async def _async_poll_for_reply(self, msg_id, cell, timeout, task_poll_output_msg,
                                    task_poll_kernel_alive):
        reply = await super()._async_poll_for_reply(msg_id, cell, timeout, task_poll_output_msg,
                                                    task_poll_kernel_alive)
        if task_poll_output_msg.cancelled() and "late" not in self._capped:
            # nbclient gave up waiting for this cell's output (raise_on_iopub_timeout is off).
            late = f"output still arriving {self.iopub_timeout} s after its cell ended"
            self._dropped("late", cell.outputs, f"Output limit reached: {late}", f"sent {late}")
        return reply

    def _dropped(self, kind, outs, message, problem):
        """Note once per kind in the cell and in the events file that output was dropped."""
        self._capped.add(kind)
        self.log.warning(message)
        events_file = self.config.SandboxKernelManager.get("events_file")
        if events_file:
            with open(events_file, "a") as handle:
                handle.write(json.dumps({"problem": f"{problem} (the rest was dropped)"}) + "\n")
        outs.append(_stream(f"{message}; the rest was dropped.\n"))


def _stream(text):
    from nbformat.v4 import new_output

    return new_output("stream", name="stdout", text=text)
