"""JupyterHub configuration of the course hub (``make hub``; `course_tools.hub.run` starts it).

Paths and ports come from the environment `course_tools.hub.run` sets. docs/hub.md explains each
choice and what a department changes (authenticator, spawner, storage).
"""

import json
import os
import socket

c = get_config()  # type: ignore[name-defined]  # noqa: F821 (injected by traitlets when it loads this file)

base = os.environ["TINYTORCH_HUB_BASE"]
with open(os.path.join(base, "layout.json"), encoding="utf-8") as handle:
    layout = json.load(handle)


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Loopback only: this hub is for one machine (a department puts HTTPS in front of it, docs/hub.md).
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(os.environ["TINYTORCH_HUB_PORT"])
# The hub's own API and the proxy's API on free ports, so several hubs (tests) can run at once.
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = free_loopback_port()
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{free_loopback_port()}"
# JupyterHub's reference proxy from npm (docs/hub.md says why), installed by `make hub-proxy`.
c.ConfigurableHTTPProxy.command = [os.environ["TINYTORCH_HUB_PROXY"]]

# The hub's database, cookie secret and PID files stay in its root-only state folder.
state = os.path.join(base, "state")
c.JupyterHub.db_url = "sqlite:///" + os.path.join(state, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(state, "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = os.path.join(state, "jupyterhub-proxy.pid")

# Demo and tests: one shared password for the course's accounts only (no one else can log in).
# A department replaces these two lines with PAM (system passwords) or its OAuth (docs/hub.md):
#   c.JupyterHub.authenticator_class = "pam"
c.JupyterHub.authenticator_class = "shared-password"
with open(os.path.join(state, "user-password"), encoding="utf-8") as handle:
    c.SharedPasswordAuthenticator.user_password = handle.read().strip()
c.Authenticator.allowed_users = set(os.environ["TINYTORCH_HUB_USERS"].split(","))

# Each server runs as its user's Unix account (the hub is root and switches uid), as nbgrader's
# exchange needs: its permissions are Unix permissions.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = [layout["user_python"], "-m", "course_tools.hub.launch"]
c.Spawner.environment = {"TINYTORCH_HUB_BASE": base}
c.Spawner.default_url = "/lab"
# A cold JupyterLab start on a busy two-core machine takes tens of seconds.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180

# Ctrl-C (SIGINT/SIGTERM to the hub) stops every user's server and the proxy with it.
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
