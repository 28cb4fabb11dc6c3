"""The users' Python environment: what every hub user's server, kernels and grading run in.

The checkout's ``.venv`` is not used by the hub's users: its editable install points kernels at
the checkout, which holds ``source/`` (the solutions) and may sit in a folder other users cannot
even traverse (e.g. under ``/root``). As The Littlest JupyterHub does (``/opt/tljh/user``), the
users get an environment of their own, root-owned and readable by all: the packages a server,
a kernel and the grader need, in the version ranges of ``requirements.txt`` (not the checkout's
exact versions: the users' Python may be another patch release, and some packages require a
newer one) with JupyterHub at the hub's own version, and this project installed as a regular
(non-editable) package: ``tinytorch`` and ``course_tools`` hold no solution. It is updated only
when the requirements or the project change.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from course_tools.course import CourseError

DEFAULT_USER_ENV = Path("/opt/tinytorch-hub/user")

# A single-user server (jupyterhub, jupyterlab), the Assignments tab and Formgrader (nbgrader),
# a kernel and the notebook's imports, and what course_tools imports when it grades.
USER_PACKAGES = (
    "jupyterhub",
    "jupyterlab",
    "nbgrader",
    "ipykernel",
    "nbformat",
    "nbclient",
    "jupytext",
    "numpy",
    "matplotlib",
    "jsonschema",
    "threadpoolctl",
    "psutil",
)
PROJECT_FILES = ("pyproject.toml", "tinytorch", "course_tools")


def _pip(python: Path, *args: str) -> None:
    result = subprocess.run([str(python), "-m", "pip", *args], capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        raise CourseError(f"pip {' '.join(args)} failed in the users' environment:\n{result.stdout}{result.stderr}")


def user_requirements(checkout: Path) -> list[str]:
    """`USER_PACKAGES` as ``requirements.txt`` constrains them; JupyterHub at the running hub's version."""
    wanted = {}
    for line in (checkout / "requirements.txt").read_text().splitlines():
        name = re.split(r"[<>=!~\[ ;]", line.strip(), maxsplit=1)[0].lower()
        if name in USER_PACKAGES:
            wanted[name] = line.strip()
    wanted["jupyterhub"] = f"jupyterhub=={metadata.version('jupyterhub')}"
    missing = set(USER_PACKAGES) - set(wanted)
    if missing:
        raise CourseError(f"requirements.txt does not list {', '.join(sorted(missing))}, which the hub's users need")
    return [wanted[name] for name in USER_PACKAGES]


def _project_digest(checkout: Path) -> str:
    digest = hashlib.sha256()
    for name in PROJECT_FILES:
        path = checkout / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            if "__pycache__" not in file.parts:
                digest.update(str(file.relative_to(checkout)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def base_python_for_everyone() -> str:
    """A Python of this version, with venv, that an ordinary user may run (`CourseError` if none).

    The one this environment was made from comes first; it may live where only root reaches
    (e.g. pyenv under /root), and then the system's is taken.
    """
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [sys._base_executable, f"/usr/local/bin/python{version}", f"/usr/bin/python{version}"]  # type: ignore[attr-defined]
    for candidate in candidates:
        probe = ["runuser", "-u", "nobody", "--", candidate, "-c", "import ensurepip, venv"]
        if Path(candidate).is_file() and subprocess.run(probe, capture_output=True).returncode == 0:
            return candidate
    raise CourseError(
        f"no Python {version} with venv that an ordinary user can run (tried {', '.join(candidates)}): "
        f"install one (Debian: apt-get install -y python{version}-venv)"
    )


def ensure_user_env(checkout: Path, env: Path = DEFAULT_USER_ENV, log=print) -> Path:
    """Build or update the users' environment at ``env`` from ``checkout``; return its Python."""
    requirements = user_requirements(checkout)
    base = base_python_for_everyone()
    stamp = hashlib.sha256(("\n".join([base, *requirements, _project_digest(checkout)])).encode()).hexdigest()
    python = env / "bin" / "python"
    stamp_file = env / ".tinytorch-hub-stamp"
    if python.exists() and stamp_file.is_file() and stamp_file.read_text() == stamp:
        write_lab_overrides(env)
        return python
    log(f"users' environment: installing into {env} (reused next time)")
    env.parent.mkdir(parents=True, exist_ok=True)
    env.parent.chmod(0o755)
    if not python.exists() or Path(python).resolve() != Path(base).resolve():
        subprocess.run([base, "-m", "venv", "--clear", str(env)], check=True)
    with tempfile.TemporaryDirectory() as scratch:
        _pip(python, "install", "--quiet", *requirements)
        # Built from a copy: pip would otherwise write build/ and *.egg-info into the checkout.
        project = Path(scratch) / "project"
        project.mkdir()
        for name in PROJECT_FILES:
            source = checkout / name
            if source.is_dir():
                shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
            else:
                shutil.copy2(source, project / name)
        _pip(python, "install", "--quiet", "--no-deps", "--force-reinstall", str(project))
    stamp_file.write_text(stamp)
    write_lab_overrides(env)
    return python


def write_lab_overrides(env: Path) -> None:
    """JupyterLab defaults for every hub user: no prompt to fetch Jupyter's news from the internet."""
    overrides = env / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    overrides.parent.mkdir(parents=True, exist_ok=True)
    overrides.write_text(json.dumps({"@jupyterlab/apputils-extension:notification": {"fetchNews": "false"}}))
