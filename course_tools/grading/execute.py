"""`SandboxedExecute`: nbgrader's Execute preprocessor, run in a sandbox that survives bad code.

It replaces ``Execute`` in ``Autograde.autograde_preprocessors`` (see nbgrader_config.py) and
keeps its behaviour and settings (``timeout``, ``interrupt_on_timeout``, ``error_on_timeout``,
``iopub_timeout``, ...), adding:

- a private kernel (`sandbox.KernelSandbox`): working copy outside the course tree, own home,
  resource limits, and in bubblewrap its own namespaces and a view of the filesystem without the
  course (as root also a uid of its own); without bwrap it refuses to run unless
  ``unsafe_no_isolation`` accepts the risk;
- recovery: when the kernel dies (``os._exit``, a segfault, the memory or CPU limit, ``exit()``)
  or ignores the interrupt after a timeout, the cell that caused it gets an error output naming
  the cause, a new kernel re-runs the cells before it (their outputs are kept from the first
  run) and execution goes on, so only the step that crashed loses points;
- output capped while it streams (``max_output_bytes_per_cell``), with a note in the cell;
- the tamper guard (kernel_guard.py) restoring what tests rely on before each grade cell.

What it contained is logged and recorded as incidents (incidents.py) for the grade report.
This module holds the settings (a third of it: one trait per limit, each with its reason), the
sandbox and kernel life cycle and the per-cell loop; recovery.py, output_cap.py and
guard_client.py hold the three jobs above, and nbclient_adapter.py the nbclient internals used.
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import ensure_async, run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import Execute
from traitlets import Bool, Dict, Enum, Float, Instance, Integer, List, Unicode

from . import nbclient_adapter
from .guard_client import GuardClient
from .incidents import Incident, KernelRecord, record_incident, record_kernel
from .isolation import check_isolation, environment_paths, package_dirs
from .output_cap import OutputCap
from .recovery import CrashRecovery
from .sandbox import KernelSandbox, SandboxLimits
from .sanitize import describe_cell

nbclient_adapter.check_supported()
_MB = 1024 * 1024


class SandboxKernelManager(AsyncKernelManager):
    """Starts ``python -m ipykernel_launcher`` behind the sandbox's launcher, whatever the
    notebook's kernelspec says (the course is Python; a foreign spec can never pick the kernel).

    Interrupts are ``interrupt_request`` messages: a SIGINT to the process group would end
    bwrap itself (it does not forward signals) and with it the kernel."""

    sandbox = Instance(KernelSandbox, allow_none=True)

    @property
    def kernel_spec(self) -> KernelSpec:
        return KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name="Python 3 (sandboxed)",
            language="python",
            interrupt_mode="message",
            metadata={},
        )

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        return self.sandbox.launcher_prefix() + super().format_kernel_cmd(extra_arguments)

    def write_connection_file(self, **kwargs) -> None:
        super().write_connection_file(**kwargs)
        if self.sandbox.uid is not None:
            os.chown(self.connection_file, self.sandbox.uid, self.sandbox.uid)


class SandboxedExecute(OutputCap, CrashRecovery, GuardClient, Execute):
    """Execute each notebook in a sandboxed kernel; contain crashes (recovery.py), runaway output
    (output_cap.py) and tampering (guard_client.py)."""

    memory_limit_mb = Integer(
        2048,
        allow_none=True,
        help="Address space of the kernel (RLIMIT_AS) in MB (1024**2 bytes): a memory bomb gets a "
        "MemoryError or dies alone instead of exhausting the machine for every other submission.",
    ).tag(config=True)
    cpu_time_limit_s = Integer(
        900,
        allow_none=True,
        help="CPU seconds the kernel may use over the whole notebook (RLIMIT_CPU): a backstop for "
        "busy loops that dodge the per-cell timeout (threads, ignored interrupts).",
    ).tag(config=True)
    max_processes = Integer(
        64,
        allow_none=True,
        help="Processes plus threads the kernel may run (RLIMIT_NPROC): stops fork bombs; "
        "a kernel itself needs about ten.",
    ).tag(config=True)
    max_file_size_mb = Integer(
        256,
        allow_none=True,
        help="Largest file the kernel may write, in MB (RLIMIT_FSIZE): a student cannot fill "
        "the disk the gradebook lives on with one file.",
    ).tag(config=True)
    max_open_files = Integer(
        1024,
        allow_none=True,
        help="File descriptors the kernel may hold (RLIMIT_NOFILE).",
    ).tag(config=True)
    max_output_bytes_per_cell = Integer(
        1_000_000,
        help="Output kept per cell, in bytes of text; more is dropped while it streams (a note "
        "says so), so a print loop cannot exhaust the grader's memory or bloat the feedback.",
    ).tag(config=True)
    unsafe_no_isolation = Bool(
        False,
        help="Run kernels without bubblewrap when it is missing: student code can then read and "
        "delete whatever the grader's user can (gradebook, solutions, other submissions). Off: "
        "grading refuses to start and says what to install.",
    ).tag(config=True)
    bwrap_path = Unicode(
        "bwrap",
        help="The bubblewrap executable (a path, or a name looked up on PATH) that isolates each kernel.",
    ).tag(config=True)
    sandbox_uid_base = Integer(
        61000,
        help="Root grader: first uid (and gid) given to kernels; uid_base + slot, one slot per running kernel.",
    ).tag(config=True)
    sandbox_slots = Integer(1000, help="How many sandbox uids may be in use at once.").tag(config=True)
    sandbox_root = Unicode(
        "",
        help="Folder for sandboxes (default: the system temp folder); must be outside the "
        "course root and enterable by other users.",
    ).tag(config=True)
    collect_files = List(
        Unicode(),
        ["submission.json", "model.npz"],
        help="Files the notebook writes in its working folder that the grader keeps: copied back "
        "beside the autograded notebook (plain names, no folders), e.g. for `validate` and the leaderboard.",
    ).tag(config=True)
    max_collected_file_bytes = Integer(
        1_048_576,
        help="Largest collected file, in bytes: the submission validator's own size cap.",
    ).tag(config=True)
    max_collected_bytes_by_name = Dict(
        value_trait=Integer(),
        per_key_traits=None,
        default_value={"model.npz": 16 * 1_048_576},
        help="Size caps of particular collected files, in bytes, overriding max_collected_file_bytes: the "
        "model artifact (the unpruned fp32 baseline is 4.3 MB).",
    ).tag(config=True)
    visible_course_paths = List(
        Unicode(),
        [".venv"],
        help="Folders of the course root (relative) the isolated kernel sees, read-only, besides the "
        "Python environment; everything else of the course (source, submissions, gradebook, tests) is absent.",
    ).tag(config=True)
    kernel_packages = List(
        Unicode(),
        [],
        help="Importable packages whose folders must stay visible to the kernel (e.g. the "
        "student-facing package when it is installed in editable mode from the course root).",
    ).tag(config=True)
    kernel_env = Dict(
        {
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "NUMEXPR_NUM_THREADS": "1",
            "MALLOC_ARENA_MAX": "2",
        },
        help="Extra environment of the kernel. One BLAS thread per kernel, so parallel grading "
        "jobs do not oversubscribe the cores; few malloc arenas, so threads do not eat the "
        "address-space limit.",
    ).tag(config=True)
    max_kernel_restarts = Integer(
        5,
        help="Kernel restarts allowed per notebook; after that the remaining cells are marked "
        "not run (a notebook that crashes on every cell cannot hold the grader forever).",
    ).tag(config=True)
    guard_timeout_s = Float(
        10.0,
        help="Seconds to wait for the tamper guard's answer before a grade cell; without "
        "an answer the grade cell is not trusted and scores 0.",
    ).tag(config=True)
    guarded_modules = List(
        Unicode(),
        [
            "math",
            "cmath",
            "time",
            "json",
            "random",
            "statistics",
            "tracemalloc",
            "platform",
            "os",
            "os.path",
            "copy",
            "functools",
            "itertools",
            "operator",
            "numpy",
            "numpy.linalg",
            "numpy.random",
            "numpy.testing",
        ],
        help="Modules whose public functions, classes and constants the guard restores before "
        "each grade cell (imported at kernel start, so only list what the notebook uses).",
    ).tag(config=True)
    trusted_callback_packages = List(
        Unicode(),
        ["IPython", "ipykernel", "matplotlib_inline", "matplotlib", "comm"],
        help="IPython event callbacks whose code lives in these packages are kept by the guard "
        "(e.g. the inline backend's figure flushing); any other callback added by the notebook "
        "is removed before grade cells.",
    ).tag(config=True)

    # Kill at the end instead of waiting for the student's atexit handlers.
    shutdown_kernel = Enum(["graceful", "immediate"], "immediate").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict, km=None) -> tuple[NotebookNode, dict]:
        source_dir = Path(resources.get("metadata", {}).get("path") or os.getcwd())
        self._sandbox = KernelSandbox.create(
            source_dir,
            Path(os.getcwd()),
            self.limits(),
            bwrap=self.isolation(),
            read_only=self.visible_paths(),
            uid_base=self.sandbox_uid_base,
            slots=self.sandbox_slots,
            sandbox_root=self.sandbox_root or None,
            collected=self._collected_names(),
        )
        run_resources = dict(resources)
        run_resources["metadata"] = {**resources.get("metadata", {}), "path": str(self._sandbox.work)}
        try:
            nbclient_adapter.prepare_run(self, nb, run_resources)
            self._reset_run_state()
            run_sync(self._async_run_notebook)()
            self.set_widgets_metadata()
            for note in self._sandbox.collect_into(
                source_dir, self.max_collected_file_bytes, self.max_collected_bytes_by_name
            ):
                self.log.warning(note)
        finally:
            self._sandbox.close()
        self.resources = resources
        return self.nb, resources

    # ----- sandbox set-up ------------------------------------------------------------------

    def _collected_names(self) -> tuple[str, ...]:
        for name in self.collect_files:
            if not name or name != Path(name).name or name in (".", ".."):
                raise ValueError(f"SandboxedExecute.collect_files takes plain file names, got {name!r}")
        return tuple(self.collect_files)

    def limits(self) -> SandboxLimits:
        def mb(value: int | None) -> int | None:
            return None if value is None else value * _MB

        return SandboxLimits(
            address_space_bytes=mb(self.memory_limit_mb),
            cpu_seconds=self.cpu_time_limit_s,
            processes=self.max_processes,
            file_size_bytes=mb(self.max_file_size_mb),
            open_files=self.max_open_files,
        )

    def isolation(self) -> str | None:
        """The bwrap executable, or None when ``unsafe_no_isolation`` accepts running without it.

        Raises `sandbox.IsolationUnavailable` (what to install, which flag) when bwrap is missing
        or cannot create namespaces and the risk was not accepted.
        """
        try:
            return check_isolation(self.bwrap_path)
        except RuntimeError as error:
            if not self.unsafe_no_isolation:
                raise
            self.log.warning(
                "UNSAFE: %s. Grading anyway (unsafe_no_isolation): student code runs with this user's rights.", error
            )
            return None

    def visible_paths(self, course_root: Path | None = None) -> list[str]:
        """Folders the isolated kernel sees read-only: the environment, listed course folders, packages.

        ``course_root``: default the current directory, where nbgrader runs this preprocessor."""
        root = Path(course_root or os.getcwd())
        paths = environment_paths(str(root))
        paths += [str(root / p) for p in self.visible_course_paths if (root / p).exists()]
        return paths + package_dirs(list(self.kernel_packages))

    def _reset_run_state(self) -> None:
        self._output_bytes: dict[int, int] = {}
        self._truncated: set[int] = set()
        self._dropped_stderr: set[int] = set()
        self._skip_on_replay: set[int] = set()
        self._restarts = 0
        self._gave_up = False
        self._last_executed: int | None = None
        self._last_reply: dict | None = None
        self._exit_requested: int | None = None
        self._guard_target = f"course_tools_guard_{uuid.uuid4().hex}"

    def create_kernel_manager(self) -> SandboxKernelManager:
        kernel_dir = self._sandbox.kernel_dir
        self.km = SandboxKernelManager(
            sandbox=self._sandbox, kernel_name="python3", connection_file=str(kernel_dir / "connection.json")
        )
        if self._sandbox.bwrap is not None:
            # No network inside the kernel's namespace: talk over Unix sockets in its folder.
            self.km.transport = "ipc"
            self.km.ip = str(kernel_dir / "ipc")
        return self.km

    # ----- kernel life cycle ---------------------------------------------------------------

    async def _async_start_kernel(self) -> None:
        """Start a kernel and its guard; a kernel that dies before any cell ran is retried once."""
        for attempt in (1, 2):
            try:
                return await self._async_start_kernel_once()
            except (RuntimeError, DeadKernelError) as error:
                status = (
                    self.km.provisioner.process.poll()
                    if self.km and self.km.provisioner and self.km.provisioner.process
                    else None
                )
                self.log.error("Kernel failed to start (attempt %d, exit status %s): %s", attempt, status, error)
                await self._async_stop_kernel()
                if attempt == 2:
                    raise

    async def _async_start_kernel_once(self) -> None:
        self.create_kernel_manager()
        env = self._sandbox.environment(dict(self.kernel_env))
        await self.async_start_new_kernel(cwd=str(self._sandbox.work), env=env)
        await self.async_start_new_kernel_client()
        info = await self.async_wait_for_reply(await ensure_async(self.kc.kernel_info()))
        if info is not None and "language_info" in info["content"]:
            self.nb.metadata["language_info"] = info["content"]["language_info"]
        provisioner = self.km.provisioner
        record_kernel(
            KernelRecord(
                pid=provisioner.pid,
                pgid=provisioner.pgid or provisioner.pid,
                uid=self._sandbox.uid,
                workdir=str(self._sandbox.root),
            )
        )
        await self._install_guard()

    async def _async_stop_kernel(self) -> None:
        """Kill the kernel and everything it started, then release the kernel manager and client.

        Processes are ended first: once the kernel is gone, its children are re-parented and
        (without a uid of their own) could no longer be found as its descendants.
        """
        if self.km is not None and self.km.provisioner is not None:
            self._sandbox.end_processes(self.km.provisioner.pid, self.km.provisioner.pgid)
        try:
            if self.km is not None:
                await nbclient_adapter.cleanup_kernel(self)
        except Exception as error:  # a half-dead kernel must not stop the cleanup
            self.log.warning("Kernel shutdown failed: %s", error)
        self.km = None
        self.kc = None

    async def _async_run_notebook(self) -> None:
        await self._async_start_kernel()
        try:
            for index, cell in enumerate(self.nb.cells):
                if cell.cell_type == "code" and cell.source.strip():
                    await self._async_run_code_cell(index, cell)
        finally:
            await self._async_stop_kernel()

    # ----- running one cell ------------------------------------------------------------------

    async def _async_run_code_cell(self, index: int, cell: NotebookNode) -> None:
        if not self._gave_up and (self._exit_requested is not None or not await ensure_async(self.km.is_alive())):
            await self._recover_from_exit(index)
        if self._gave_up:
            self._fail_cell(
                cell, "KernelRestartLimit", f"not run: the kernel crashed {self._restarts} times, the grader's limit"
            )
            return
        is_grade, is_locked = utils.is_grade(cell), utils.is_locked(cell)
        if is_grade:
            if not await self._guard_before_grade_cell(index, cell, mark=is_locked):
                return
        elif is_locked:
            await self._guard("mark")
        self._last_reply = None
        try:
            await self.async_execute_cell(cell, index, execution_count=self.code_cells_executed + 1)
        except DeadKernelError:
            kind, cause = await self._death_cause()
            self._fail_cell(
                cell,
                "KernelDied",
                f"the kernel died while running this cell: {cause}. "
                "It was restarted and the cells above were run again.",
            )
            self._incident(kind, index, cell, f"the kernel died ({cause}); restarted, grading went on")
            await self._restart_and_replay(index, culprit=index)
            return
        except CellTimeoutError:
            self._fail_cell(
                cell,
                "CellTimeoutError",
                f"the cell ran longer than {self._get_timeout(cell)} s and ignored the "
                "interrupt; the kernel was restarted and the cells above were run again.",
            )
            self._incident("cell-timeout", index, cell, "timed out and ignored the interrupt; kernel restarted")
            await self._restart_and_replay(index, culprit=index)
            return
        self._last_executed = index
        self._after_cell(index, cell)
        if is_locked:
            await self._guard("capture")

    def on_cell_executed(self, **kwargs) -> None:
        super().on_cell_executed(**kwargs)
        self._last_reply = kwargs.get("execute_reply")

    def _after_cell(self, index: int, cell: NotebookNode) -> None:
        """Record what the cell's outputs and reply say happened (timeout, memory, exit)."""
        if index in self._truncated:
            cell.outputs.append(
                NotebookNode(
                    output_type="stream",
                    name="stdout",
                    text=(
                        f"\n[output truncated by the grader: this cell printed more than "
                        f"{self.max_output_bytes_per_cell} bytes; the rest was dropped]\n"
                    ),
                )
            )
            if index in self._dropped_stderr and not any(
                o.output_type == "stream" and o.name == "stderr" for o in cell.outputs
            ):
                cell.outputs.append(
                    NotebookNode(output_type="stream", name="stderr", text="[stderr output truncated by the grader]\n")
                )
            self._incident(
                "output-truncated", index, cell, f"output beyond {self.max_output_bytes_per_cell} bytes was dropped"
            )
        errors = {o.get("ename") for o in cell.outputs if o.output_type == "error"}
        if "CellTimeoutError" in errors:
            self._skip_on_replay.add(index)
            self._incident(
                "cell-timeout", index, cell, f"interrupted after the {self._get_timeout(cell)} s cell timeout"
            )
        if "MemoryError" in errors:
            self._incident(
                "memory-limit", index, cell, f"MemoryError at the kernel's {self.memory_limit_mb} MB memory limit"
            )
        payload = (self._last_reply or {}).get("content", {}).get("payload", [])
        if any(item.get("source") == "ask_exit" for item in payload):
            self._exit_requested = index

    def _fail_cell(self, cell: NotebookNode, ename: str, message: str) -> None:
        cell.outputs.append(
            NotebookNode(output_type="error", ename=ename, evalue=message, traceback=[f"{ename}: {message}"])
        )

    def _incident(self, kind: str, index: int | None, cell: NotebookNode | None, detail: str) -> None:
        where = describe_cell(index, cell) if cell is not None and index is not None else "notebook"
        self.log.warning("%s: %s", where, detail)
        record_incident(Incident(kind, where, detail))
