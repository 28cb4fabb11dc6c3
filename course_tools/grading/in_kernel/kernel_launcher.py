"""Start a kernel inside its limits: ``python -I -S -c SOURCE SPEC_JSON -- KERNEL_COMMAND...``.

`KernelSandbox.launcher_prefix` puts this in front of the kernel command, inside bubblewrap when
the kernel is isolated (so it is passed as source with ``-c``: this file is not in the kernel's
view). It uses only the standard library and starts in milliseconds, then:

1. sets the resource limits (address space, CPU seconds, processes, file size, open files, no
   core dumps); bwrap has no option for them;
2. when the spec names a ``uid`` (root grader): drops to it with no supplementary groups (bwrap
   leaves it only the two capabilities this needs, and setuid clears them);
3. without bwrap: becomes a child subreaper, so orphaned descendants stay its own and the
   cleanup finds them (inside bwrap its pid namespace holds them);
4. sets ``no_new_privs``, closes every inherited descriptor but stdio, and ``exec``s the kernel
   command in the working copy (inside bwrap ``JPY_PARENT_PID=1``: see `main`).

Any failure exits with status 70 and a message on stderr; the kernel then never starts and the
grader reports that it could not start.
"""

import ctypes
import json
import os
import resource
import sys

PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS = 36, 38

_libc = ctypes.CDLL(None, use_errno=True)


def _prctl(option, value, what):
    if _libc.prctl(option, value, 0, 0, 0) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def apply_limits(limits):
    """Set each limit given (None: leave as inherited); soft and hard alike, except CPU."""
    table = {
        "address_space_bytes": resource.RLIMIT_AS,
        "file_size_bytes": resource.RLIMIT_FSIZE,
        "processes": resource.RLIMIT_NPROC,
        "open_files": resource.RLIMIT_NOFILE,
    }
    for key, which in table.items():
        value = limits.get(key)
        if value is not None:
            resource.setrlimit(which, (value, value))
    cpu = limits.get("cpu_seconds")
    if cpu is not None:
        # SIGXCPU at the soft limit ends the kernel; SIGKILL a little later if it ignores it.
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def drop_privileges(uid):
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)


def main(argv):
    if len(argv) < 4 or argv[2] != "--":
        print("usage: kernel_launcher.py SPEC_JSON -- KERNEL_COMMAND...", file=sys.stderr)
        return 70
    try:
        spec, command = json.loads(argv[1]), argv[3:]
        apply_limits(spec.get("limits", {}))
        if spec.get("uid") is not None:
            drop_privileges(spec["uid"])
        elif not spec.get("isolated"):
            _prctl(PR_SET_CHILD_SUBREAPER, 1, "prctl(CHILD_SUBREAPER)")
        _prctl(PR_SET_NO_NEW_PRIVS, 1, "prctl(NO_NEW_PRIVS)")
        os.closerange(3, 1 << 30)
        if spec.get("isolated"):
            # ipykernel compares it with its parent (bwrap's pid 1 here) and would quit at once;
            # 1 means "no parent to watch": bwrap's --die-with-parent does that job.
            os.environ["JPY_PARENT_PID"] = "1"
        os.chdir(spec["workdir"])
        os.execv(command[0], command)
    except (OSError, ValueError) as error:  # ValueError: bad spec, or a limit above the hard one
        print(f"kernel sandbox: could not start the kernel: {error}", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main(sys.argv))
