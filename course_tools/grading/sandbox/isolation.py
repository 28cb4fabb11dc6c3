"""bubblewrap: whether it can isolate kernels here, and the view of the host a kernel gets.

`check_isolation` finds bwrap and proves once per process that it can create the namespaces;
`namespace_arguments` and `plan_view` are the bwrap options a kernel runs with (see sandbox.py);
`environment_paths` and `package_dirs` name the folders the view must show for the kernel's
Python to work wherever its environment lives.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

# What any program needs of the host: the OS's programs and libraries (merged-/usr links included).
SYSTEM_PATHS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# Of /etc only what the dynamic linker, time zone, name lookups of the kernel's uid and fonts read.
ETC_FILES = (
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/nsswitch.conf",
    "/etc/passwd",
    "/etc/group",
    "/etc/fonts",
    "/etc/mime.types",
)
NO_ISOLATION_HELP = (
    "no kernel isolation is available: install bubblewrap (as root: `apt-get install -y bubblewrap`, "
    "or your distribution's `bubblewrap` package) and make sure user namespaces are allowed, or accept "
    "that student code can read and delete everything this user can (the gradebook, the solutions, "
    "other submissions) with `python -m course_tools grade --unsafe-no-isolation` "
    "(config: c.SandboxedExecute.unsafe_no_isolation = True)"
)


class IsolationUnavailable(RuntimeError):
    """bwrap is missing or cannot create the namespaces here; the message says what to do."""


def is_under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


_interpreter_path: list[str] = []


def interpreter_path() -> list[str]:
    """``sys.path`` of a fresh ``python -I`` of this interpreter (cached): what a kernel imports from.

    Site-packages and whatever ``.pth`` files add (also through ``site.addsitedir``), without this
    process's script folder, PYTHONPATH or pytest's insertions.
    """
    if not _interpreter_path:
        result = subprocess.run(
            [sys.executable, "-I", "-c", "import json, sys; print(json.dumps(sys.path))"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        _interpreter_path.extend(json.loads(result.stdout))
    return list(_interpreter_path)


def environment_paths(course_root: str) -> list[str]:
    """The folders of this Python environment a kernel needs, read-only, wherever they live.

    The interpreter's prefix and base prefix (a venv inside or outside the course, a symlinked
    ``.venv``, a conda prefix, the system's ``/usr``), each as named and resolved, and the folders
    on its `interpreter_path` unless they are inside the course root (an editable install of the
    course would show all of it; student-facing packages are shown one by one, see `package_dirs`).
    """
    course_root = os.path.realpath(course_root)
    prefixes = [sys.prefix, sys.base_prefix, os.path.dirname(sys.executable)]
    paths = []
    for path in prefixes + interpreter_path():
        for variant in (os.path.abspath(path), os.path.realpath(path)):
            if os.path.isdir(variant) and (path in prefixes or not is_under(os.path.realpath(variant), course_root)):
                paths.append(variant)
    return list(dict.fromkeys(paths))


def package_dirs(names: list[str]) -> list[str]:
    """Folders of the importable packages ``names`` (found without importing them)."""
    folders = []
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            folders.extend(spec.submodule_search_locations)
        elif spec is not None and spec.origin:
            folders.append(os.path.dirname(spec.origin))
    return folders


def namespace_arguments(as_root: bool) -> list[str]:
    """bwrap's namespace options: everything unshared, killed with its parent.

    As root no user namespace: the kernel is uid 0 in it (exempt from the process limit); the
    launcher drops to the sandbox uid instead, with the two capabilities it needs for that.
    """
    arguments = [
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
    ]
    if as_root:
        return arguments + ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    return ["--unshare-user"] + arguments


def plan_view(read_only: list[str], writable: list[str]) -> list[str]:
    """bwrap options building the kernel's filesystem: an empty root showing only these folders.

    System folders (`SYSTEM_PATHS`, links kept as links), `ETC_FILES`, fresh ``/proc``, ``/dev``
    and ``/tmp``, then ``read_only`` and ``writable`` folders each at its own path (a folder inside
    another shown one is skipped). Folders created on the way to them are made enterable (bwrap
    copies the host's modes, and ``/root`` is 0700) and hold nothing else.
    """
    arguments: list[str] = []
    shown: list[str] = []
    for path in SYSTEM_PATHS:
        if os.path.islink(path):
            arguments += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            arguments += ["--ro-bind", path, path]
            shown.append(path)
    for path in ETC_FILES:
        if os.path.exists(path):
            arguments += ["--ro-bind", path, path]
    arguments += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/dev/shm"]
    created = {"/", "/proc", "/dev", "/tmp", "/etc"}
    binds = [(p, "--ro-bind") for p in read_only] + [(p, "--bind") for p in writable]
    binds.sort(key=lambda item: len(item[0]))
    for path, option in binds:
        path = os.path.abspath(path)
        if any(is_under(path, other) for other in shown) or not os.path.exists(path):
            continue
        for ancestor in [str(p) for p in reversed(Path(path).parents)]:
            if ancestor not in created and not any(is_under(ancestor, other) for other in shown):
                arguments += ["--perms", "0755", "--dir", ancestor]
                created.add(ancestor)
        arguments += [option, os.path.realpath(path), path]
        shown.append(path)
    return arguments


def find_bwrap(configured: str) -> str | None:
    """The bwrap executable: ``configured`` (a path or a name on PATH), else /usr/bin/bwrap."""
    return shutil.which(configured) or (shutil.which("/usr/bin/bwrap") if configured == "bwrap" else None)


_probe_cache: dict[str, str] = {}


def check_isolation(bwrap_setting: str = "bwrap") -> str:
    """The bwrap to use; raises `IsolationUnavailable` saying why and what to do when there is none.

    Runs ``bwrap ... true`` once per process with the namespaces a kernel gets (cached).
    """
    if bwrap_setting not in _probe_cache:
        bwrap = find_bwrap(bwrap_setting)
        problem = None
        if bwrap is None:
            problem = f"`{bwrap_setting}` was not found"
        else:
            command = [bwrap, *namespace_arguments(os.geteuid() == 0), "--ro-bind", "/", "/", "true"]
            try:
                result = subprocess.run(command, capture_output=True, text=True, timeout=30)
                if result.returncode != 0:
                    problem = f"`{bwrap}` could not create the namespaces: {result.stderr.strip()}"
            except (OSError, subprocess.TimeoutExpired) as error:
                problem = f"`{bwrap}` did not run: {error}"
        _probe_cache[bwrap_setting] = str(bwrap) if problem is None else "!" + problem
    found = _probe_cache[bwrap_setting]
    if found.startswith("!"):
        raise IsolationUnavailable(f"{found[1:]}; {NO_ISOLATION_HELP}")
    return found
