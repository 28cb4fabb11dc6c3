"""The private place a student's kernel runs in: working copy, home, view of the host, limits.

A `KernelSandbox` is created per notebook execution, outside the course tree::

    <sandbox_root>/course-tools-kernel-XXXX/
        work/      copy of the notebook's folder (no notebooks): the kernel's working directory
        home/      HOME, IPYTHONDIR, MPLCONFIGDIR, XDG dirs, TMPDIR
        kernel/    connection file and IPC sockets

The kernel runs inside bubblewrap (``bwrap``, from the OS packages): its own mount, pid,
network, IPC and UTS namespaces, dying with its parent, on an empty root filesystem in which
`isolation.plan_view` shows only the system folders (``/usr`` and its links), a few files of ``/etc``, the
Python environment read-only (wherever it lives: see `isolation.environment_paths`), the student-facing
packages, and the three folders above. The course root is not there: only the kept folders inside
it are. A non-root grader gets a user namespace too (the kernel keeps the grader's uid outside,
but sees nothing the view does not show); a root grader instead gives each kernel a uid of its own
(``uid_base + slot``, a slot held by a lock file while the sandbox lives, no passwd entry), so the
process limit binds it (root is exempt from RLIMIT_NPROC) and an escape lands on a nobody.
``unsafe_no_isolation`` runs the kernel without bwrap: only the working copy and the limits.

(Over 300 lines because the folders, the uid slot and the kernel's environment and command are
one life cycle, created and removed together; the view itself is planned in isolation.py.)
"""

from __future__ import annotations

import fcntl
import glob
import json
import os
import pwd
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psutil

from .isolation import is_under, namespace_arguments, plan_view
from .processes import kill_descendants, kill_process_group, kill_uid_processes

LAUNCHER = Path(__file__).parents[1] / "in_kernel" / "kernel_launcher.py"
# Passed with -c: the launcher runs inside the view, where this package's folder is not visible.
LAUNCHER_SOURCE = LAUNCHER.read_text(encoding="utf-8")
# One lock file per sandbox uid, shared by every grader on the machine whatever its TMPDIR.
SLOT_LOCK_DIR = Path("/tmp/course-tools-sandbox-slots")


@dataclass(frozen=True)
class SandboxLimits:
    """Per-kernel resource limits; None leaves a limit as inherited."""

    address_space_bytes: int | None
    cpu_seconds: int | None
    processes: int | None
    file_size_bytes: int | None
    open_files: int | None


def _uid_is_free(uid: int) -> bool:
    try:
        pwd.getpwuid(uid)
    except KeyError:
        return True
    return False


@dataclass
class KernelSandbox:
    """One kernel's private working copy, view of the host and limits; `close` removes all of it.

    ``bwrap`` is the bubblewrap executable (None: no isolation, see the module docstring);
    ``read_only`` the folders the kernel sees besides the system's; ``uid`` its own uid (root
    grader with isolation only).
    """

    root: Path
    source_dir: Path
    limits: SandboxLimits
    bwrap: str | None = None
    read_only: tuple[str, ...] = ()
    uid: int | None = None
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
    def create(
        cls,
        source_dir: Path,
        course_root: Path,
        limits: SandboxLimits,
        *,
        bwrap: str | None,
        read_only: list[str],
        uid_base: int = 61000,
        slots: int = 1000,
        sandbox_root: str | None = None,
    ) -> KernelSandbox:
        """Make the sandbox: folders, working copy, and (root grader, isolated) a uid slot.

        ``read_only``: folders the kernel must see (the environment, student-facing packages).
        Raises ValueError when the sandbox would sit inside the course root.
        """
        root = Path(tempfile.mkdtemp(prefix="course-tools-kernel-", dir=sandbox_root))
        if is_under(os.path.realpath(root), os.path.realpath(course_root)):
            os.rmdir(root)
            raise ValueError(
                f"the sandbox folder {root} must be outside the course root (set SandboxedExecute.sandbox_root)"
            )
        os.chmod(root, 0o711)
        sandbox = cls(
            root=root,
            source_dir=Path(source_dir),
            limits=limits,
            bwrap=bwrap,
            read_only=tuple(read_only),
        )
        try:
            for folder in (sandbox.home, sandbox.kernel_dir):
                folder.mkdir(mode=0o700)
            for sub in ("tmp", ".cache", ".config/matplotlib", ".ipython"):
                (sandbox.home / sub).mkdir(parents=True, exist_ok=True)
            sandbox._copy_work()
            _seed_matplotlib_cache(sandbox.home / ".config/matplotlib")
            if bwrap is not None and os.geteuid() == 0:
                uid = sandbox._claim_uid(uid_base, slots)
                for folder in (sandbox.work, sandbox.home, sandbox.kernel_dir):
                    _chown_tree(folder, uid)
        except BaseException:
            sandbox.close()
            raise
        return sandbox

    def _copy_work(self) -> None:
        """Copy the notebook's folder minus notebooks: the sanitized notebook carries hidden tests."""
        shutil.copytree(
            self.source_dir,
            self.work,
            symlinks=True,
            ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"),
        )
        os.chmod(self.work, 0o700)

    def reset_work(self) -> None:
        """Replace the working copy with a fresh one (before a restarted kernel re-runs cells)."""
        _remove_tree(self.work)
        self._copy_work()
        if self.uid is not None:
            _chown_tree(self.work, self.uid)

    def _claim_uid(self, uid_base: int, slots: int) -> int:
        for slot in range(slots):
            uid = uid_base + slot
            if not _uid_is_free(uid):
                continue
            fd = _try_lock_uid(uid)
            if fd is None:
                continue
            self._slot_fd, self.uid = fd, uid
            kill_uid_processes(uid)  # leftovers of a run that was killed before its cleanup
            return uid
        raise RuntimeError(f"all {slots} sandbox uids from {uid_base} are in use")

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
        """The command put in front of the kernel command: bwrap (when isolated), then the launcher."""
        spec = {
            "uid": self.uid,
            "isolated": self.bwrap is not None,
            "workdir": str(self.work),
            "limits": {
                "address_space_bytes": self.limits.address_space_bytes,
                "cpu_seconds": self.limits.cpu_seconds,
                "processes": self._process_limit(),
                "file_size_bytes": self.limits.file_size_bytes,
                "open_files": self.limits.open_files,
            },
        }
        launcher = [sys.executable, "-I", "-S", "-c", LAUNCHER_SOURCE, json.dumps(spec), "--"]
        if self.bwrap is None:
            return launcher
        view = plan_view(list(self.read_only), [str(self.work), str(self.home), str(self.kernel_dir)])
        return [self.bwrap, *namespace_arguments(os.geteuid() == 0), *view, "--", *launcher]

    def _process_limit(self) -> int | None:
        """RLIMIT_NPROC counts every process and thread of the kernel's uid (in its user namespace).

        Isolated, that is exactly the kernel's (own uid as root; a fresh user namespace counts
        from zero otherwise). Without isolation the limit must sit above what the grader's user
        already runs, so it only bounds what the kernel adds.
        """
        if self.limits.processes is None or self.bwrap is not None:
            return self.limits.processes
        mine = os.getuid()
        running = 0
        for proc in psutil.process_iter(["uids", "num_threads"]):
            uids = proc.info.get("uids")
            if uids is not None and uids.real == mine:
                running += proc.info.get("num_threads") or 1
        return running + self.limits.processes

    def end_processes(self, kernel_pid: int | None, kernel_pgid: int | None) -> None:
        """SIGKILL the kernel and everything it started.

        Isolated, killing bwrap ends its pid namespace and every process in it; the process
        group and (root) the uid are swept too. Without isolation processes are found as the
        kernel's descendants, so this must run while the kernel is still alive (or a zombie).
        """
        if kernel_pid is not None:
            kill_descendants(kernel_pid)
        if kernel_pgid is not None:
            kill_process_group(kernel_pgid)
        if self.uid is not None:
            kill_uid_processes(self.uid)

    def close(self) -> None:
        """End the uid's processes (if it has one), remove the sandbox, release the uid."""
        if self.uid is not None:
            kill_uid_processes(self.uid)
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
    sources = [
        os.environ.get("MPLCONFIGDIR", ""),
        os.path.expanduser("~/.cache/matplotlib"),
        os.path.expanduser("~/.matplotlib"),
    ]
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
