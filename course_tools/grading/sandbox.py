"""The private place a student's kernel runs in: working copy, home, uid, mounts, limits, cleanup.

A `KernelSandbox` is created per notebook execution, outside the course tree::

    <sandbox_root>/course-tools-kernel-XXXX/     root-owned, 0711
        work/      copy of the notebook's folder (no notebooks): the kernel's working directory
        home/      HOME, IPYTHONDIR, MPLCONFIGDIR, XDG dirs, TMPDIR
        kernel/    connection file and IPC sockets
        stage/     root-only; mount points used while the launcher builds the kernel's view

When the grader runs as root the kernel gets a uid of its own (``uid_base + slot``, a slot held
by a lock file for as long as the sandbox lives, no passwd entry needed), work/home/kernel are
chowned to it, and the launcher masks the course root and private ancestors of the Python
installation (see `plan_masks`). Otherwise the kernel keeps the grader's user: it still gets the
working copy, the limits and the cleanup, but can read whatever that user can.
"""

from __future__ import annotations

import fcntl
import glob
import importlib.util
import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from .processes import kill_descendants, kill_process_group, kill_uid_processes

LAUNCHER = Path(__file__).with_name("kernel_launcher.py")
_SHARED_TEMP_DIRS = ("/tmp", "/var/tmp", "/dev/shm")
# One lock file per sandbox uid, shared by every grader on the machine whatever its TMPDIR.
SLOT_LOCK_DIR = Path("/tmp/course-tools-sandbox-slots")


@dataclass(frozen=True)
class Mask:
    """A folder the kernel sees as empty except for the ``keep`` folders inside it."""

    path: str
    keep: tuple[str, ...]


@dataclass(frozen=True)
class SandboxLimits:
    """Per-kernel resource limits; None leaves a limit as inherited."""

    address_space_bytes: int | None
    cpu_seconds: int | None
    processes: int | None
    file_size_bytes: int | None
    open_files: int | None


def _others_can_enter(path: str) -> bool:
    return bool(os.stat(path).st_mode & stat.S_IXOTH)


def _ancestors(path: str) -> list[str]:
    """``/a/b/c`` -> ``['/', '/a', '/a/b']``."""
    parts = Path(path).parts
    return [str(Path(*parts[:i])) for i in range(1, len(parts))]


def plan_masks(course_root: str, keep: list[str]) -> list[Mask]:
    """The folders to mask so an unprivileged kernel sees ``keep`` but nothing of the course.

    Masked: the course root, and every ancestor of a kept folder that other users cannot enter
    (e.g. ``/root`` holding a pyenv Python). A mask inside another mask is dropped (the outer
    one already hides it). Each mask keeps the ``keep`` folders below it. Paths are real paths.
    """
    keep = sorted({os.path.realpath(k) for k in keep if os.path.isdir(k)})
    keep = [k for k in keep if not any(k.startswith(other + "/") for other in keep)]
    course_root = os.path.realpath(course_root)
    candidates = {course_root}
    for kept in keep:
        for ancestor in _ancestors(kept):
            if not _others_can_enter(ancestor):
                candidates.add(ancestor)
    outermost = [c for c in candidates
                 if not any(c != other and c.startswith(other.rstrip("/") + "/") for other in candidates)]
    return [Mask(path, tuple(k for k in keep if k.startswith(path.rstrip("/") + "/")))
            for path in sorted(outermost)]


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


_namespace_probe: dict[str, bool] = {}


def namespaces_available() -> bool:
    """Whether this process may create mount namespaces (root with CAP_SYS_ADMIN); cached."""
    if "ok" not in _namespace_probe:
        result = subprocess.run([sys.executable, "-I", "-S", str(LAUNCHER), "--probe"],
                                capture_output=True, timeout=30)
        _namespace_probe["ok"] = result.returncode == 0
    return _namespace_probe["ok"]


def _uid_is_free(uid: int) -> bool:
    try:
        pwd.getpwuid(uid)
    except KeyError:
        return True
    return False


@dataclass
class KernelSandbox:
    """One kernel's private working copy, identity and limits; `close` removes all of it."""

    root: Path
    source_dir: Path
    course_root: Path
    limits: SandboxLimits
    uid: int | None = None
    masks: list[Mask] = field(default_factory=list)
    isolate_network: bool = False
    collected: tuple[str, ...] = ()
    _slot_fd: int | None = None

    @property
    def work(self) -> Path:
        return self.root / "work"

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def kernel_dir(self) -> Path:
        return self.root / "kernel"

    @classmethod
    def create(cls, source_dir: Path, course_root: Path, limits: SandboxLimits, *,
               drop_privileges: bool, uid_base: int, slots: int, keep: list[str],
               isolate_network: bool, sandbox_root: str | None = None,
               collected: tuple[str, ...] = ()) -> KernelSandbox:
        """Make the sandbox: folders, working copy, and (``drop_privileges``) a uid slot.

        ``keep``: folders the kernel must still see when the course root and private folders
        are masked (the interpreter, the venv, student-facing packages). ``collected``: names
        of files the notebook writes for the grader (see `collect_into`); copies submitted
        beside the notebook are left out of the working copy, so only the run can produce them.
        """
        root = Path(tempfile.mkdtemp(prefix="course-tools-kernel-", dir=sandbox_root))
        os.chmod(root, 0o711)
        sandbox = cls(root=root, source_dir=Path(source_dir), course_root=Path(course_root),
                      limits=limits, isolate_network=isolate_network and drop_privileges,
                      collected=tuple(collected))
        try:
            for folder in (sandbox.home, sandbox.kernel_dir, sandbox.root / "stage"):
                folder.mkdir(mode=0o700)
            for sub in ("tmp", ".cache", ".config/matplotlib", ".ipython"):
                (sandbox.home / sub).mkdir(parents=True, exist_ok=True)
            sandbox._copy_work()
            _seed_matplotlib_cache(sandbox.home / ".config/matplotlib")
            if drop_privileges:
                sandbox._claim_uid(uid_base, slots)
                sandbox.masks = plan_masks(str(course_root), keep + [str(root)])
                if any(m.path == str(root) or str(root).startswith(m.path + "/") for m in sandbox.masks):
                    raise RuntimeError(f"the sandbox folder {root} must be outside the course root and "
                                       "reachable by other users (set SandboxedExecute.sandbox_root)")
                sandbox._chown_private()
        except BaseException:
            sandbox.close()
            raise
        return sandbox

    def _copy_work(self) -> None:
        """Copy the notebook's folder minus notebooks: the sanitized notebook carries hidden tests."""
        shutil.copytree(self.source_dir, self.work, symlinks=True,
                        ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints", *self.collected))
        os.chmod(self.work, 0o700)

    def collect_into(self, destination: Path, max_bytes: int) -> list[str]:
        """Copy each `collected` file the run wrote from the working copy to ``destination``.

        A collected name the run did not write is removed from ``destination`` (a copy the
        student submitted is not the run's output; the original stays in submitted/). Only
        regular files up to ``max_bytes`` are copied, opened without following links, so the
        kernel cannot make the grader read or overwrite anything else. Returns a note per file
        that was refused.
        """
        notes = []
        for name in self.collected:
            target = destination / name
            target.unlink(missing_ok=True)
            try:
                descriptor = os.open(self.work / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            except FileNotFoundError:
                continue
            except OSError as error:
                notes.append(f"{name}: not collected ({error.strerror})")
                continue
            with os.fdopen(descriptor, "rb") as handle:
                info = os.fstat(handle.fileno())
                if not stat.S_ISREG(info.st_mode):
                    notes.append(f"{name}: not collected (not a regular file)")
                elif info.st_size > max_bytes:
                    notes.append(f"{name}: not collected ({info.st_size} bytes, limit {max_bytes})")
                else:
                    target.write_bytes(handle.read(max_bytes + 1)[:max_bytes])
        return notes

    def reset_work(self) -> None:
        """Replace the working copy with a fresh one (before a restarted kernel re-runs cells)."""
        _remove_tree(self.work)
        self._copy_work()
        if self.uid is not None:
            _chown_tree(self.work, self.uid)

    def _claim_uid(self, uid_base: int, slots: int) -> None:
        for slot in range(slots):
            uid = uid_base + slot
            if not _uid_is_free(uid):
                continue
            fd = _try_lock_uid(uid)
            if fd is None:
                continue
            self._slot_fd, self.uid = fd, uid
            kill_uid_processes(uid)  # leftovers of a run that was killed before its cleanup
            return
        raise RuntimeError(f"all {slots} sandbox uids from {uid_base} are in use")

    def _chown_private(self) -> None:
        for folder in (self.work, self.home, self.kernel_dir):
            _chown_tree(folder, self.uid)

    def environment(self, extra: dict[str, str]) -> dict[str, str]:
        """The kernel's whole environment: nothing of the grader's leaks in but PATH and LANG."""
        home = str(self.home)
        env = {
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
            "LANG": os.environ.get("LANG", "C.UTF-8"),
            "HOME": home,
            "TMPDIR": f"{home}/tmp",
            "IPYTHONDIR": f"{home}/.ipython",
            "MPLCONFIGDIR": f"{home}/.config/matplotlib",
            "XDG_CACHE_HOME": f"{home}/.cache",
            "XDG_CONFIG_HOME": f"{home}/.config",
            "XDG_DATA_HOME": f"{home}/.local/share",
            "JUPYTER_CONFIG_DIR": f"{home}/.jupyter",
            "JUPYTER_DATA_DIR": f"{home}/.local/share/jupyter",
            "JUPYTER_RUNTIME_DIR": str(self.kernel_dir),
            "PYTHONNOUSERSITE": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "NBGRADER_EXECUTION": "autograde",
        }
        env.update(extra)
        return env

    def launcher_prefix(self) -> list[str]:
        """The command put in front of the kernel command (see kernel_launcher.py)."""
        spec = {
            "uid": self.uid,
            "gid": self.uid,
            "workdir": str(self.work),
            "stage_dir": str(self.root / "stage"),
            "isolate_network": self.isolate_network,
            "masks": [{"path": m.path, "keep": list(m.keep)} for m in self.masks],
            "limits": {
                "address_space_bytes": self.limits.address_space_bytes,
                "cpu_seconds": self.limits.cpu_seconds,
                "processes": self._process_limit(),
                "file_size_bytes": self.limits.file_size_bytes,
                "open_files": self.limits.open_files,
            },
        }
        return [sys.executable, "-I", "-S", str(LAUNCHER), json.dumps(spec), "--"]

    def _process_limit(self) -> int | None:
        """RLIMIT_NPROC counts every process and thread of the kernel's real uid.

        With a uid of its own that is exactly the kernel's; with the grader's uid the limit must
        sit above what that user already runs, so it only bounds what the kernel adds.
        """
        if self.limits.processes is None or self.uid is not None:
            return self.limits.processes
        mine = os.getuid()
        running = 0
        for proc in psutil.process_iter(["uids", "num_threads"]):
            uids = proc.info.get("uids")
            if uids is not None and uids.real == mine:
                running += proc.info.get("num_threads") or 1
        return running + self.limits.processes

    def end_processes(self, kernel_pid: int | None, kernel_pgid: int | None) -> None:
        """SIGKILL the kernel and everything it started (all of its uid's processes when it has one).

        Without a uid of its own, processes are found as the kernel's descendants, so this must
        run while the kernel is still alive (or a zombie) to find them.
        """
        if kernel_pid is not None and self.uid is None:
            kill_descendants(kernel_pid)
        if kernel_pgid is not None:
            kill_process_group(kernel_pgid)
        if self.uid is not None:
            kill_uid_processes(self.uid)

    def close(self) -> None:
        """End the uid's processes, remove its files in shared temp folders and the sandbox."""
        if self.uid is not None:
            kill_uid_processes(self.uid)
            for shared in _SHARED_TEMP_DIRS:
                for entry in glob.glob(os.path.join(shared, "*")) + glob.glob(os.path.join(shared, ".*")):
                    try:
                        if os.lstat(entry).st_uid == self.uid:
                            _remove_tree(Path(entry))
                    except OSError:
                        pass
        _remove_tree(self.root)
        if self._slot_fd is not None:
            os.close(self._slot_fd)
            self._slot_fd = None


def _try_lock_uid(uid: int) -> int | None:
    """An fd holding the lock of sandbox uid ``uid``, or None when another run holds it."""
    SLOT_LOCK_DIR.mkdir(mode=0o700, exist_ok=True)
    if SLOT_LOCK_DIR.lstat().st_uid != os.geteuid() or SLOT_LOCK_DIR.is_symlink():
        raise RuntimeError(f"{SLOT_LOCK_DIR} is not owned by the grader's user: refusing to use its locks")
    fd = os.open(SLOT_LOCK_DIR / f"{uid}.lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def reclaim_uid(uid: int) -> None:
    """End the processes of a sandbox uid whose run was killed (no-op if the uid is in use again).

    A run killed from outside releases its uid lock when it dies; if another run has claimed the
    uid since, that run already ended the leftovers and its own kernel must be left alone.
    """
    fd = _try_lock_uid(uid)
    if fd is None:
        return
    try:
        kill_uid_processes(uid)
    finally:
        os.close(fd)


def _seed_matplotlib_cache(target: Path) -> None:
    """Copy the grader's matplotlib font list so each kernel need not rebuild it (~1 s)."""
    sources = [os.environ.get("MPLCONFIGDIR", ""), os.path.expanduser("~/.cache/matplotlib"),
               os.path.expanduser("~/.matplotlib")]
    for source in filter(None, sources):
        for font_list in glob.glob(os.path.join(source, "fontlist-v*.json")):
            shutil.copy(font_list, target)


def _chown_tree(path: Path, uid: int) -> None:
    os.chown(path, uid, uid, follow_symlinks=False)
    for folder, dirs, files in os.walk(path):
        for name in dirs + files:
            os.chown(os.path.join(folder, name), uid, uid, follow_symlinks=False)


def _remove_tree(path: Path) -> None:
    """Remove ``path`` even if the student made folders inside it unwritable or unreadable."""
    def make_writable_and_retry(function, failed_path, _exc_info):
        try:
            os.chmod(os.path.dirname(failed_path), 0o700)
            os.chmod(failed_path, 0o700)
            function(failed_path)
        except OSError:
            pass

    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path, onerror=make_writable_and_retry)
