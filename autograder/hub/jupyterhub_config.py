"""The course's JupyterHub: PAM logins for the course's accounts, each server under its user's
own account, the role's Jupyter configuration, and nbgrader's exchange.

``python -m autograder.hub start`` sets the hub up and runs ``jupyterhub -f`` on this file with
``$AECOURSE_HUB_SETTINGS`` naming the saved ``HubLayout``.
"""

from autograder.hub.install import proxy_command
from autograder.hub.layout import HubLayout, server_environment, venv_bin
from autograder.hub.spawner import LimitedSpawner

layout = HubLayout.load()
c = get_config()  # noqa: F821 (JupyterHub provides get_config)

c.JupyterHub.bind_url = layout.url
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = layout.hub_port
c.JupyterHub.db_url = f"sqlite:///{layout.path('jupyterhub.sqlite')}"
c.JupyterHub.cookie_secret_file = str(layout.path("jupyterhub_cookie_secret"))
c.JupyterHub.pid_file = str(layout.path("jupyterhub.pid"))
# The hub stops every server and its proxy when it stops: nothing is left running.
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# The reference proxy, from npm (JupyterHub's default and the one it is tested against).
c.ConfigurableHTTPProxy.command = [str(proxy_command())]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{layout.proxy_api_port}"
c.ConfigurableHTTPProxy.pid_file = str(layout.path("proxy.pid"))

# Unix passwords through PAM: only the course's accounts, no one else on the machine.
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = set(layout.users)
c.PAMAuthenticator.open_sessions = False

# Each server under its user's own account, with a cgroup, a private /tmp and /dev/shm, and
# nothing left running when it stops (autograder/hub/spawner.py); the limits are the students'.
c.JupyterHub.spawner_class = LimitedSpawner
c.Spawner.cmd = [str(venv_bin() / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
# A server that died (killed, out of memory) is noticed within 10 s; the next login starts a
# new one on the same home folder, where the notebooks were saved.
c.Spawner.poll_interval = 10
c.LimitedSpawner.mem_limit = layout.student_memory_mib * 1024**2
c.LimitedSpawner.processes_limit = layout.student_processes
c.LimitedSpawner.tmp_limit = layout.student_tmp_mib * 1024**2


def prepare(spawner):
    """The user's role environment; the instructor grades whole classes: no memory or process
    cap beyond the grading sandbox's own limits."""
    spawner.environment.update(server_environment(layout, spawner.user.name))
    if spawner.user.name == layout.instructor:
        spawner.mem_limit, spawner.processes_limit = None, 0


c.Spawner.pre_spawn_hook = prepare
