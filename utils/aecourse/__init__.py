"""Helper package for the autoencoder course.

Import what a notebook needs from the submodules, one concern each:
``data``, ``profiles``, ``repro``, ``models``, ``training``, ``metrics``, ``plots``, ``checks``.
Importing this package itself loads nothing heavy and changes no state.
"""

__version__ = "0.1.0"
