"""The tamper guard: code the grader runs inside the student's kernel.

`SandboxedExecute` sends this file's text to a fresh kernel, before any student code, in a silent
execution that calls `install` (the kernel cannot import this package: it is not in its view).
`install` makes a `TamperGuard` for the kernel's shell and registers a comm target; the grader
(guard_client.py) then talks to it with comm messages, which the kernel handles without going through IPython's cell machinery
(no input or AST transformers, no custom exception handler, no events, no outputs):

- ``snapshot``: remember what tests rely on: the builtins; the public functions, classes (and
  their methods), submodules and scalar constants of the guarded modules; their ``sys.modules``
  entries; ``sys`` hooks and streams, trace and profile functions, import hooks; IPython's custom
  exception handler, input and AST transformers, event callbacks, methods overridden on the shell
  and kernel objects; the user namespace's ``__builtins__``.
- ``mark`` / ``capture`` (around each locked cell): functions, classes and modules a locked cell
  (instructor code) binds in the user namespace become protected helpers.
- ``restore`` (before each grade cell): put every remembered object and every protected helper
  back; answer with the list of what had been changed.

One request may join actions with ``+`` (``capture+restore+mark``), done in that order: the grader
sends a locked cell's ``capture`` with the request before the next cell, one round trip instead of two.

Everything here runs in the student's process, so a student who targets this code itself can
defeat it (see README.md); it undoes the ordinary ways of patching what tests rely on.
The file must stay self-contained (standard library and IPython only): it is executed from its
text, with no package around it. Tests import it and drive a `TamperGuard` directly.
"""

import builtins
import importlib
import os
import re
import sys
from typing import Any

_MISSING = object()
# What the grader may ask of the guard (module docstring).
ACTIONS = ("snapshot", "capture", "restore", "mark")
_SYS_HOOKS = ("excepthook", "displayhook", "breakpointhook", "unraisablehook", "stdout", "stderr", "stdin")
# IPython's output and input history names: _, __, ___, _3, _i, _ii, _i3, ...
_IPYTHON_HISTORY = re.compile(r"_+\d*|_i+\d*")


def _is_guarded_value(value: object) -> bool:
    return callable(value) or type(value).__name__ == "module" or isinstance(value, (int, float, complex, str, bytes))


def _public_items(namespace: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in list(namespace.items()) if not k.startswith("_") and _is_guarded_value(v)}


def _class_items(cls: type) -> dict[str, Any]:
    return {
        k: v for k, v in list(vars(cls).items()) if callable(v) or isinstance(v, (staticmethod, classmethod, property))
    }


def _overridable(obj: object) -> dict[str, Any]:
    """Instance attributes of obj that shadow a method of its class."""
    return {
        k: v for k, v in list(vars(obj).items()) if callable(getattr(type(obj), k, None)) and not k.startswith("__")
    }


def _restore_list(current: list[Any], saved: list[Any], label: str, changed: list[str]) -> None:
    if list(current) != saved:
        current[:] = saved
        changed.append(label)


def _restore_overrides(obj: object, saved: dict[str, Any], label: str, changed: list[str]) -> None:
    for key, value in _overridable(obj).items():
        if saved.get(key, _MISSING) is not value:
            if key in saved:
                setattr(obj, key, saved[key])
            else:
                delattr(obj, key)
            changed.append(f"{label}.{key}")


class TamperGuard:
    """What tests rely on in one kernel: `snapshot` it, `restore` it, protect helpers (`mark`/`capture`).

    ``shell`` is the kernel's IPython shell, ``kernel`` its kernel object; ``module_names`` the
    guarded modules (imported here); callbacks whose code lives in ``trusted_packages`` are kept.
    """

    def __init__(self, shell: Any, kernel: Any, module_names: list[str], trusted_packages: list[str]) -> None:
        self.shell, self.kernel = shell, kernel
        self.trusted_dirs: list[str] = []
        for package in trusted_packages:
            try:
                location = importlib.import_module(package).__file__
            except Exception:
                continue
            if location is not None:  # a namespace package has no single folder to trust
                self.trusted_dirs.append(os.path.dirname(location) + os.sep)
        self.modules: dict[str, Any] = {}
        for name in module_names:
            try:
                self.modules[name] = importlib.import_module(name)
            except Exception:
                pass
        self.snap: dict[str, Any] | None = None
        self.protected: dict[str, Any] = {}
        self.before: dict[str, Any] = {}

    def is_trusted_callback(self, callback: Any) -> bool:
        function = getattr(callback, "__func__", callback)
        filename = getattr(getattr(function, "__code__", None), "co_filename", "")
        return any(filename.startswith(prefix) for prefix in self.trusted_dirs)

    def snapshot(self) -> None:
        shell = self.shell
        module_snap: dict[str, Any] = {}
        for name, module in self.modules.items():
            attrs = _public_items(vars(module))
            classes = {
                cls: _class_items(cls)
                for cls in attrs.values()
                if isinstance(cls, type)
                and getattr(cls, "__module__", "").split(".")[0] == name.split(".")[0]
                and "__dict__" in vars(cls)
            }
            module_snap[name] = (module, attrs, classes)
        self.snap = {
            "builtins": dict(vars(builtins)),
            "modules": module_snap,
            "sys_modules": dict(sys.modules),
            "sys": {attr: getattr(sys, attr, _MISSING) for attr in _SYS_HOOKS},
            "trace": sys.gettrace(),
            "profile": sys.getprofile(),
            "meta_path": list(sys.meta_path),
            "path_hooks": list(sys.path_hooks),
            "custom_exc": (vars(shell).get("CustomTB", _MISSING), shell.custom_exceptions),
            "cleanup_transforms": list(shell.input_transformer_manager.cleanup_transforms),
            "line_transforms": list(shell.input_transformer_manager.line_transforms),
            "token_transformers": list(shell.input_transformer_manager.token_transformers),
            "input_transformers_post": list(shell.input_transformers_post),
            "ast_transformers": list(shell.ast_transformers),
            "events": {event: list(callbacks) for event, callbacks in shell.events.callbacks.items()},
            "shell_overrides": _overridable(shell),
            "kernel_overrides": _overridable(self.kernel),
            "user_builtins": shell.user_ns.get("__builtins__", _MISSING),
        }

    def restore(self) -> list[str]:
        """Put everything remembered back; the list of what had been changed."""
        snap, shell = self.snap, self.shell
        if snap is None:
            raise RuntimeError("restore before any snapshot")
        changed: list[str] = []
        self._restore_interpreter(snap, changed)
        user_builtins = snap["user_builtins"]
        if user_builtins is not _MISSING and shell.user_ns.get("__builtins__", _MISSING) is not user_builtins:
            shell.user_ns["__builtins__"] = user_builtins
            changed.append("__builtins__")
        for name, (module, attrs, classes) in snap["modules"].items():
            namespace = vars(module)
            for key, value in attrs.items():
                if namespace.get(key, _MISSING) is not value:
                    setattr(module, key, value)
                    changed.append(f"{name}.{key}")
            for cls, members in classes.items():
                for key, value in members.items():
                    if vars(cls).get(key, _MISSING) is not value:
                        setattr(cls, key, value)
                        changed.append(f"{name}.{cls.__name__}.{key}")
        self._restore_shell(snap, changed)
        for key, value in self.protected.items():
            if shell.user_ns.get(key, _MISSING) is not value:
                shell.user_ns[key] = value
                changed.append(f"helper {key}")
        return changed

    def _restore_interpreter(self, snap: dict[str, Any], changed: list[str]) -> None:
        if sys.gettrace() is not snap["trace"]:
            sys.settrace(snap["trace"])
            changed.append("sys.settrace")
        if sys.getprofile() is not snap["profile"]:
            sys.setprofile(snap["profile"])
            changed.append("sys.setprofile")
        for attr, value in snap["sys"].items():
            if value is not _MISSING and getattr(sys, attr, _MISSING) is not value:
                setattr(sys, attr, value)
                changed.append(f"sys.{attr}")
        for name, module in snap["sys_modules"].items():
            if sys.modules.get(name, _MISSING) is not module:
                sys.modules[name] = module
                changed.append(f"sys.modules[{name!r}]")
        _restore_list(sys.meta_path, snap["meta_path"], "sys.meta_path", changed)
        _restore_list(sys.path_hooks, snap["path_hooks"], "sys.path_hooks", changed)
        current_builtins = vars(builtins)
        for key, value in snap["builtins"].items():
            if current_builtins.get(key, _MISSING) is not value:
                current_builtins[key] = value
                changed.append(f"builtins.{key}")

    def _restore_shell(self, snap: dict[str, Any], changed: list[str]) -> None:
        shell = self.shell
        custom_tb, custom_exceptions = snap["custom_exc"]
        if vars(shell).get("CustomTB", _MISSING) is not custom_tb or shell.custom_exceptions != custom_exceptions:
            if custom_tb is _MISSING:
                vars(shell).pop("CustomTB", None)
            else:
                shell.CustomTB = custom_tb
            shell.custom_exceptions = custom_exceptions
            changed.append("IPython custom exception handler")
        manager = shell.input_transformer_manager
        _restore_list(manager.cleanup_transforms, snap["cleanup_transforms"], "IPython cleanup transforms", changed)
        _restore_list(manager.line_transforms, snap["line_transforms"], "IPython line transforms", changed)
        _restore_list(manager.token_transformers, snap["token_transformers"], "IPython token transformers", changed)
        _restore_list(
            shell.input_transformers_post, snap["input_transformers_post"], "IPython input transformers", changed
        )
        if list(shell.ast_transformers) != snap["ast_transformers"]:
            shell.ast_transformers = list(snap["ast_transformers"])
            changed.append("IPython AST transformers")
        for event, callbacks in shell.events.callbacks.items():
            saved = snap["events"].get(event, [])
            wanted = [cb for cb in callbacks if cb in saved or self.is_trusted_callback(cb)]
            wanted += [cb for cb in saved if cb not in wanted]
            if wanted != list(callbacks):
                callbacks[:] = wanted
                changed.append(f"IPython {event} callbacks")
        _restore_overrides(shell, snap["shell_overrides"], "shell", changed)
        _restore_overrides(self.kernel, snap["kernel_overrides"], "kernel", changed)

    def is_helper(self, key: str, value: object) -> bool:
        if key in self.shell.user_ns_hidden or key in ("In", "Out") or _IPYTHON_HISTORY.fullmatch(key):
            return False
        return callable(value) or type(value).__name__ == "module"

    def mark(self) -> None:
        """Before a locked cell: remember the user namespace."""
        self.before = dict(self.shell.user_ns)

    def capture(self) -> None:
        """After a locked cell: what it bound (functions, classes, modules) becomes a protected helper."""
        for key, value in list(self.shell.user_ns.items()):
            if self.before.get(key, _MISSING) is not value and self.is_helper(key, value):
                self.protected[key] = value
        self.before = {}

    def answer(self, action: object) -> dict[str, Any]:
        """The reply to one grader request: one of `ACTIONS`, or several joined by ``+`` and done in
        order (nothing is done when one is unknown); never raises: an error is an answer too."""
        try:
            steps = action.split("+") if isinstance(action, str) else [action]
            if any(step not in ACTIONS for step in steps):
                raise ValueError(f"unknown action {action!r}")
            changed: list[str] = []
            for step in steps:
                if step == "restore":
                    changed = self.restore()
                else:
                    getattr(self, str(step))()
            return {"ok": True, "changed": changed}
        except Exception as error:
            return {"ok": False, "error": f"{type(error).__name__}: {error}"}


def install(target_name: str, module_names: list[str], trusted_packages: list[str]) -> None:
    """Make the kernel's guard and answer the grader's comm requests on ``target_name``."""
    from IPython import get_ipython

    shell = get_ipython()
    guard = TamperGuard(shell, shell.kernel, module_names, trusted_packages)

    def handle(comm: Any, open_msg: dict[str, Any]) -> None:
        comm.send(guard.answer(open_msg["content"]["data"].get("action")))
        comm.close()

    shell.kernel.comm_manager.register_target(target_name, handle)
