"""The course on a JupyterHub on one machine (``make hub``; docs/hub.md).

`accounts` (local Unix accounts and the graders' group), `user_env` (the users' Python
environment), `layout` (course, exchange, config folders and their modes), `jupyterhub_config`
and `launch` (the hub's configuration; each user's server set up by role), `run` (start, clean
Ctrl-C).
"""
