"""Start a kernel inside its limits: ``python kernel_launcher.py SPEC_JSON -- KERNEL_COMMAND...``.

`SandboxedExecute` puts this in front of the kernel command. It runs as the grader's user (as a
file, with ``python -I -S``: only the standard library, so it starts in milliseconds), then:

1. when the spec names a ``uid`` (the grader runs as root): enters a private mount namespace
   (and, with ``isolate_network``, a network namespace with no interfaces up) and replaces each
   masked folder with an empty tmpfs that shows only the folders kept from it: the course root
   then shows only what the kernel needs (the venv, the student-facing package), and a private
   home such as ``/root`` only the Python installation under it;
2. sets the resource limits (address space, CPU seconds, processes, file size, open files, no
   core dumps);
3. drops to the spec's uid/gid with no supplementary groups and sets ``no_new_privs`` (setuid
   programs cannot give the privileges back);
   (without a uid: makes the kernel a child subreaper, so orphaned descendants stay its own);
4. ``exec``s the kernel command in the working copy, keeping its own pid, so the kernel manager's
   signals (interrupt, kill) reach the kernel itself.

``--probe`` only checks that a mount namespace can be created (exit status 0) or not (1).
Any failure exits with status 70 and a message on stderr; the kernel then never starts and the
grader reports that it could not start.
"""

import ctypes
import json
import os
import resource
import sys

CLONE_NEWNS = 0x00020000
CLONE_NEWNET = 0x40000000
MS_NOSUID, MS_NODEV = 2, 4
MS_BIND, MS_MOVE, MS_REC, MS_PRIVATE = 4096, 8192, 16384, 1 << 18
PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS = 36, 38

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result, what):
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def _mount(source, target, fstype, flags, data=None):
    _check(_libc.mount(source.encode() if source else None, target.encode(),
                       fstype.encode() if fstype else None, ctypes.c_ulong(flags),
                       data.encode() if data else None), f"mount {target}")


def enter_namespaces(isolate_network):
    """A private mount namespace (mounts made here are invisible outside), optionally no network."""
    flags = CLONE_NEWNS | (CLONE_NEWNET if isolate_network else 0)
    _check(_libc.unshare(flags), "unshare")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)


def apply_mask(path, keep, stage_dir, number):
    """Cover ``path`` with an empty tmpfs in which only the folders in ``keep`` reappear."""
    staged = []
    for index, kept in enumerate(keep):
        stage = os.path.join(stage_dir, f"{os.getpid()}-{number}-{index}")
        os.mkdir(stage, 0o700)
        _mount(kept, stage, None, MS_BIND | MS_REC)
        staged.append((stage, kept))
    _mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m")
    for stage, kept in staged:
        os.makedirs(kept, exist_ok=True)
        # Whatever the umask, the path down to a kept folder must be enterable by the kernel.
        folder = kept
        while folder != path:
            os.chmod(folder, 0o755)
            folder = os.path.dirname(folder)
        _mount(stage, kept, None, MS_MOVE)


def apply_limits(limits):
    """Set each limit given (None: leave as inherited); soft and hard alike, except CPU."""
    table = {"address_space_bytes": resource.RLIMIT_AS, "file_size_bytes": resource.RLIMIT_FSIZE,
             "processes": resource.RLIMIT_NPROC, "open_files": resource.RLIMIT_NOFILE}
    for key, which in table.items():
        value = limits.get(key)
        if value is not None:
            resource.setrlimit(which, (value, value))
    cpu = limits.get("cpu_seconds")
    if cpu is not None:
        # SIGXCPU at the soft limit ends the kernel; SIGKILL a little later if it ignores it.
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def drop_privileges(uid, gid):
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(NO_NEW_PRIVS)")


def main(argv):
    if argv[1:] == ["--probe"]:
        try:
            enter_namespaces(isolate_network=False)
        except OSError:
            return 1
        return 0
    if len(argv) < 4 or argv[2] != "--":
        print("usage: kernel_launcher.py SPEC_JSON -- KERNEL_COMMAND...", file=sys.stderr)
        return 70
    spec, command = json.loads(argv[1]), argv[3:]
    try:
        if spec.get("uid") is not None:
            enter_namespaces(spec.get("isolate_network", False))
            for number, mask in enumerate(spec.get("masks", [])):
                apply_mask(mask["path"], mask["keep"], spec["stage_dir"], number)
        apply_limits(spec.get("limits", {}))
        if spec.get("uid") is not None:
            drop_privileges(spec["uid"], spec["gid"])
        else:
            # Without a uid of its own the kernel's processes are found as its descendants;
            # as a subreaper it adopts orphans (double forks) instead of init, so they stay found.
            _check(_libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl(CHILD_SUBREAPER)")
        os.chdir(spec["workdir"])
        os.execv(command[0], command)
    except OSError as error:
        print(f"kernel sandbox: could not start the kernel: {error}", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main(sys.argv))
