"""IPython kernel settings for every kernel the course tooling starts (IPYTHONDIR points here).

TensorFlow's C++ runtime writes timestamped log lines straight to file descriptor 2; by
default ipykernel copies them into whichever cell is running, which makes reference outputs
vary and makes nbgrader score a test cell 0. Python-level stderr (warnings, tracebacks) is
still shown as usual.
"""

c = get_config()  # noqa: F821 (IPython provides get_config)
c.IPKernelApp.capture_fd_output = False
