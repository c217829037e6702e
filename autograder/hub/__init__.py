"""The course on a JupyterHub: real unix accounts, nbgrader's exchange, formgrader for the
instructor, every submission graded in the course's sandbox.

    python -m autograder.hub start    # make hub: set up, then run until Ctrl-C
    python -m autograder.hub stop     # make hub-stop: stop it and every server it started

``layout`` holds the settings, ``setup`` creates the accounts and folders (root only),
``jupyterhub_config.py`` is the hub's configuration, ``exchange`` the submission size limit.
"""
