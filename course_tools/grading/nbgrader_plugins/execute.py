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
- the tamper guard (in_kernel/kernel_guard.py) restoring what tests rely on before each grade cell.

What it contained is logged and recorded as incidents (incidents.py) for the grade report.
This module holds the settings (a third of it: one trait per limit, each with its reason), the
sandbox and kernel life cycle and the per-cell loop. The three jobs above are small objects with
state of their own, made per notebook run (`NotebookRun`): `recovery.CrashRecovery`,
`output_cap.OutputCap` and `guard_client.GuardClient` (over `kernel_channel.KernelChannel`);
nbclient_adapter.py holds the nbclient internals used.
"""

from __future__ import annotations

import os
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.client import KernelClient
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager, KernelManager
from jupyter_client.provisioning import LocalProvisioner
from jupyter_core.utils import ensure_async, run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import Execute
from traitlets import Bool, Dict, Enum, Float, Instance, Integer, List, Unicode

from ..sandbox.isolation import check_isolation, environment_paths, package_dirs
from ..sandbox.kernel_sandbox import KernelSandbox, SandboxLimits
from ..sandbox.probe import kernel_import_failure, unusable_message
from . import nbclient_adapter
from .guard_client import GuardClient
from .incidents import Incident, KernelRecord, record_incident, record_kernel
from .kernel_channel import KernelChannel
from .output_cap import OutputCap
from .recovery import CrashRecovery
from .sanitize import describe_cell

nbclient_adapter.check_supported()
_MB = 1024 * 1024


class SandboxKernelManager(AsyncKernelManager):
    """Starts ``python -m ipykernel_launcher`` behind the sandbox's launcher, whatever the
    notebook's kernelspec says (the course is Python; a foreign spec can never pick the kernel).

    Interrupts are ``interrupt_request`` messages: a SIGINT to the process group would end
    bwrap itself (it does not forward signals) and with it the kernel."""

    sandbox = Instance(KernelSandbox)

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

    def write_connection_file(self, **kwargs: Any) -> None:
        super().write_connection_file(**kwargs)
        if self.sandbox.uid is not None:
            os.chown(self.connection_file, self.sandbox.uid, self.sandbox.uid)


class SandboxUnusable(SystemExit):
    """Kernels cannot start or import the course's packages in this sandbox: end the whole run.

    A `SystemExit` on purpose: nbgrader's converter catches every ``Exception`` of one submission,
    logs it and goes on with the next, which would fail the same way (or, with a package missing,
    score every step that uses it 0). Like nbgrader's own fatal errors, this one stops
    ``nbgrader autograde`` (and Formgrader's autograde, which reports the message) at once."""


class _KernelCannotImport(RuntimeError):
    """The first kernel of a notebook started but could not import ``kernel_packages``."""


@dataclass
class NotebookRun:
    """The state of executing one notebook: its sandbox, the three jobs, the kernel now running.

    ``guard`` is None while no kernel runs; ``last_executed`` the last cell that finished;
    ``last_reply`` that cell's execute reply (its payload says whether it asked to exit);
    ``capture_pending`` whether the guard has yet to capture what the locked cell just run bound
    (sent with the request before the next cell: no cell runs in between)."""

    sandbox: KernelSandbox
    cap: OutputCap
    recovery: CrashRecovery
    guard_target: str
    kernel_checked: bool = False
    guard: GuardClient | None = None
    last_executed: int | None = None
    last_reply: dict[str, Any] | None = None
    capture_pending: bool = False


class SandboxedExecute(Execute):
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

    # nbclient's kernel manager and client (its own attributes, typed here: nbgrader has no types).
    km: KernelManager | None
    kc: KernelClient | None
    _run: NotebookRun | None = None

    def preprocess(
        self, nb: NotebookNode, resources: dict[str, Any], km: Any = None
    ) -> tuple[NotebookNode, dict[str, Any]]:
        source_dir = Path(resources.get("metadata", {}).get("path") or os.getcwd())
        sandbox = KernelSandbox.create(
            source_dir,
            Path(os.getcwd()),
            self.limits(),
            bwrap=self.isolation(),
            read_only=self.visible_paths(),
            uid_base=self.sandbox_uid_base,
            slots=self.sandbox_slots,
            sandbox_root=self.sandbox_root or None,
        )
        run_resources = dict(resources)
        run_resources["metadata"] = {**resources.get("metadata", {}), "path": str(sandbox.work)}
        try:
            nbclient_adapter.prepare_run(self, nb, run_resources)
            self._run = NotebookRun(
                sandbox=sandbox,
                cap=OutputCap(self.max_output_bytes_per_cell),
                recovery=CrashRecovery(self, self.max_kernel_restarts),
                guard_target=f"course_tools_guard_{uuid.uuid4().hex}",
            )
            try:
                run_sync(self._async_run_notebook)()
            except _KernelCannotImport as error:
                raise self._unusable(str(error), source_dir, resources) from None
            except (RuntimeError, DeadKernelError) as error:
                if self._run.kernel_checked:
                    raise
                failure = self.kernel_import_failure(sandbox.bwrap, Path(os.getcwd()))
                if failure is None:
                    raise
                raise self._unusable(failure, source_dir, resources) from error
            self.set_widgets_metadata()
        finally:
            sandbox.close()
            self._run = None
        self.resources = resources
        return self.nb, resources

    # ----- sandbox set-up ------------------------------------------------------------------

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

        Raises `isolation.IsolationUnavailable` (what to install, which flag) when bwrap is missing
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

    def kernel_import_failure(self, bwrap: str | None, course_root: Path) -> str | None:
        """Why a kernel cannot start in this sandbox and import ``kernel_packages``, or None if it can."""
        return kernel_import_failure(
            course_root,
            self.limits(),
            bwrap=bwrap,
            read_only=self.visible_paths(course_root),
            uid_base=self.sandbox_uid_base,
            slots=self.sandbox_slots,
            sandbox_root=self.sandbox_root or None,
            kernel_env=dict(self.kernel_env),
            packages=list(self.kernel_packages),
        )

    def _unusable(self, cause: str, folder: Path, resources: dict[str, Any]) -> SandboxUnusable:
        """The error that ends the run; the sanitized, never executed notebook nbgrader already
        wrote into ``folder`` is removed, as nbgrader removes the notebook of a failed conversion."""
        message = f"autograding stopped before any student code ran: {cause}"
        self.log.error(message)
        name = resources.get("metadata", {}).get("name")
        if name:
            (folder / f"{name}.ipynb").unlink(missing_ok=True)
        return SandboxUnusable(message)

    def create_kernel_manager(self) -> SandboxKernelManager:
        sandbox = self.sandbox()
        manager = SandboxKernelManager(
            sandbox=sandbox, kernel_name="python3", connection_file=str(sandbox.kernel_dir / "connection.json")
        )
        if sandbox.bwrap is not None:
            # No network inside the kernel's namespace: talk over Unix sockets in its folder.
            manager.transport = "ipc"
            manager.ip = str(sandbox.kernel_dir / "ipc")
        self.km = manager
        return manager

    # ----- what the jobs ask of the run ----------------------------------------------------

    def notebook_run(self) -> NotebookRun:
        if self._run is None:
            raise RuntimeError("SandboxedExecute: no notebook is being executed")
        return self._run

    def sandbox(self) -> KernelSandbox:
        return self.notebook_run().sandbox

    def guard(self) -> GuardClient:
        """The guard of the running kernel (RuntimeError between kernels)."""
        guard = self.notebook_run().guard
        if guard is None:
            raise RuntimeError("SandboxedExecute: no kernel is running")
        return guard

    def provisioner(self) -> LocalProvisioner | None:
        """The running kernel's provisioner (sandboxed kernels are local processes), or None."""
        provisioner = self.km.provisioner if self.km is not None else None
        return provisioner if isinstance(provisioner, LocalProvisioner) else None

    def runs(self, cell: NotebookNode) -> bool:
        """Whether ``cell`` is executed: a non-empty code cell without nbclient's skip tag (the
        grading profile, profile.py, puts it on demonstration cells)."""
        return (
            cell.cell_type == "code"
            and bool(cell.source.strip())
            and self.skip_cells_with_tag not in cell.metadata.get("tags", [])
        )

    def cell_timeout(self, cell: NotebookNode) -> int | None:
        return self._get_timeout(cell)

    # ----- kernel life cycle ---------------------------------------------------------------

    async def start_kernel(self) -> None:
        """Start a kernel and its guard; a kernel that dies before any cell ran is retried once."""
        for attempt in (1, 2):
            try:
                return await self._start_kernel_once()
            except _KernelCannotImport:
                await self.stop_kernel()
                raise  # a second kernel would import from the same view
            except (RuntimeError, DeadKernelError) as error:
                provisioner = self.provisioner()
                process = provisioner.process if provisioner is not None else None
                status = process.poll() if process is not None else None
                self.log.error("Kernel failed to start (attempt %d, exit status %s): %s", attempt, status, error)
                await self.stop_kernel()
                if attempt == 2:
                    raise

    async def _start_kernel_once(self) -> None:
        run = self.notebook_run()
        self.create_kernel_manager()
        env = run.sandbox.environment(dict(self.kernel_env))
        await self.async_start_new_kernel(cwd=str(run.sandbox.work), env=env)
        client = await self.async_start_new_kernel_client()
        if self.km is None or not isinstance(client, AsyncKernelClient):
            raise RuntimeError(f"nbclient started no asynchronous kernel client ({type(client).__name__})")
        info = await self.async_wait_for_reply(await ensure_async(client.kernel_info()))
        if info is not None and "language_info" in info["content"]:
            self.nb.metadata["language_info"] = info["content"]["language_info"]
        provisioner = self.provisioner()
        if provisioner is not None and provisioner.pid is not None:
            record_kernel(
                KernelRecord(
                    pid=provisioner.pid,
                    pgid=provisioner.pgid or provisioner.pid,
                    uid=run.sandbox.uid,
                    workdir=str(run.sandbox.root),
                )
            )
        channel = KernelChannel(self.km, client)
        if not run.kernel_checked:
            await self._check_kernel_imports(channel)
            run.kernel_checked = True
        guard = GuardClient(channel, run.guard_target, self.guard_timeout_s)
        await guard.install(list(self.guarded_modules), list(self.trusted_callback_packages), self.startup_timeout)
        run.guard, run.capture_pending = guard, False

    async def _check_kernel_imports(self, channel: KernelChannel) -> None:
        """The notebook's first kernel imports ``kernel_packages`` before any student code (cheap:
        the guard imports them anyway); `_KernelCannotImport` with the kernel's error if not."""
        if not self.kernel_packages:
            return
        packages = list(self.kernel_packages)
        reply = await channel.execute_quietly(f"import {', '.join(packages)}", self.startup_timeout, silent=True)
        if reply.status != "ok":
            raise _KernelCannotImport(unusable_message(["ipykernel", *packages], reply.error or reply.status))

    async def stop_kernel(self) -> None:
        """Kill the kernel and everything it started, then release the kernel manager and client.

        Processes are ended first: once the kernel is gone, its children are re-parented and
        (without a uid of their own) could no longer be found as its descendants.
        """
        run = self.notebook_run()
        provisioner = self.provisioner()
        if provisioner is not None:
            run.sandbox.end_processes(provisioner.pid, provisioner.pgid)
        try:
            if self.km is not None:
                await nbclient_adapter.cleanup_kernel(self)
        except Exception as error:  # a half-dead kernel must not stop the cleanup
            self.log.warning("Kernel shutdown failed: %s", error)
        self.km = None
        self.kc = None
        run.guard = None

    async def _async_run_notebook(self) -> None:
        await self.start_kernel()
        try:
            for index, cell in enumerate(self.nb.cells):
                if self.runs(cell):
                    await self._run_code_cell(index, cell)
        finally:
            await self.stop_kernel()

    # ----- running one cell ------------------------------------------------------------------

    async def _run_code_cell(self, index: int, cell: NotebookNode) -> None:
        run = self.notebook_run()
        recovery = run.recovery
        if not recovery.gave_up and (recovery.exit_requested is not None or not await self.guard().channel.is_alive()):
            await recovery.recover_from_exit(index, run.last_executed)
        if recovery.gave_up:
            self.fail_cell(
                cell, "KernelRestartLimit", f"not run: the kernel crashed {recovery.restarts} times, the grader's limit"
            )
            return
        is_grade, is_locked = utils.is_grade(cell), utils.is_locked(cell)
        capture = ("capture",) if run.capture_pending else ()
        run.capture_pending = False
        if is_grade:
            if not await self._guard_before_grade_cell(index, cell, mark=is_locked, first=capture):
                return
        elif is_locked or capture:
            await self.guard().request("+".join(capture + (("mark",) if is_locked else ())))
        run.last_reply = None
        try:
            await self.async_execute_cell(cell, index, execution_count=self.code_cells_executed + 1)
        except DeadKernelError:
            kind, cause = await recovery.death_cause()
            self.fail_cell(
                cell,
                "KernelDied",
                f"the kernel died while running this cell: {cause}. "
                "It was restarted and the cells above were run again.",
            )
            self.incident(kind, index, cell, f"the kernel died ({cause}); restarted, grading went on")
            await recovery.restart_and_replay(index, culprit=index)
            return
        except CellTimeoutError:
            self.fail_cell(
                cell,
                "CellTimeoutError",
                f"the cell ran longer than {self._get_timeout(cell)} s and ignored the "
                "interrupt; the kernel was restarted and the cells above were run again.",
            )
            self.incident("cell-timeout", index, cell, "timed out and ignored the interrupt; kernel restarted")
            await recovery.restart_and_replay(index, culprit=index)
            return
        run.last_executed = index
        self._after_cell(index, cell)
        run.capture_pending = is_locked

    async def _guard_before_grade_cell(
        self, index: int, cell: NotebookNode, mark: bool, first: tuple[str, ...] = ()
    ) -> bool:
        """Restore what the test relies on (after the guard actions ``first``); False (cell failed,
        not run) if the guard is gone."""
        answer = await self.guard().request("+".join((*first, "restore", *(("mark",) if mark else ()))))
        if not answer or not answer.get("ok"):
            problem = (answer or {}).get("error", "no answer")
            self.fail_cell(
                cell,
                "GraderIntegrityError",
                f"the grader could not restore what this test relies on ({problem}); "
                "the test is not trusted and was not run",
            )
            self.incident("tamper-reverted", index, cell, f"the tamper guard failed ({problem}); scored 0")
            return False
        if answer["changed"]:
            self.incident("tamper-reverted", index, cell, "restored before the test: " + ", ".join(answer["changed"]))
        return True

    def output(
        self, outs: list[NotebookNode], msg: dict[str, Any], display_id: str | None, cell_index: int
    ) -> NotebookNode | None:
        kept = self.notebook_run().cap.admit(msg, cell_index, nbclient_adapter.output_was_cleared(self))
        return None if kept is None else super().output(outs, kept, display_id, cell_index)

    def clear_output(self, outs: list[NotebookNode], msg: dict[str, Any], cell_index: int) -> None:
        if not msg["content"].get("wait"):
            self.notebook_run().cap.cleared(cell_index)
        super().clear_output(outs, msg, cell_index)

    def on_cell_executed(self, **kwargs: Any) -> None:
        """nbgrader's hook (it records a timeout's error), then keep the reply: its payload may ask to exit."""
        super().on_cell_executed(**kwargs)
        self.notebook_run().last_reply = kwargs.get("execute_reply")

    def _after_cell(self, index: int, cell: NotebookNode) -> None:
        """Record what the cell's outputs and reply say happened (timeout, memory, exit)."""
        run = self.notebook_run()
        notes = run.cap.notes(index, cell.outputs)
        if notes:
            cell.outputs.extend(notes)
            self.incident(
                "output-truncated", index, cell, f"output beyond {self.max_output_bytes_per_cell} bytes was dropped"
            )
        errors = {o.get("ename") for o in cell.outputs if o.output_type == "error"}
        if "CellTimeoutError" in errors:
            run.recovery.skip_on_replay.add(index)
            self.incident(
                "cell-timeout", index, cell, f"interrupted after the {self._get_timeout(cell)} s cell timeout"
            )
        if "MemoryError" in errors:
            self.incident(
                "memory-limit", index, cell, f"MemoryError at the kernel's {self.memory_limit_mb} MB memory limit"
            )
        payload = (run.last_reply or {}).get("content", {}).get("payload", [])
        if any(item.get("source") == "ask_exit" for item in payload):
            run.recovery.exit_requested = index

    def fail_cell(self, cell: NotebookNode, ename: str, message: str) -> None:
        cell.outputs.append(
            NotebookNode(output_type="error", ename=ename, evalue=message, traceback=[f"{ename}: {message}"])
        )

    def incident(self, kind: str, index: int | None, cell: NotebookNode | None, detail: str) -> None:
        where = describe_cell(index, cell) if cell is not None and index is not None else "notebook"
        self.log.warning("%s: %s", where, detail)
        record_incident(Incident(kind, where, detail))
