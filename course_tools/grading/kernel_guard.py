"""The tamper guard: code the grader runs inside the student's kernel (never imported by the grader).

`SandboxedExecute` sends this file's text to a fresh kernel, before any student code, in a silent
execution that calls `install`. `install` registers a comm target; the grader then talks to it
with comm messages, which the kernel handles without going through IPython's cell machinery
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

Everything here runs in the student's process, so a student who targets this code itself can
defeat it (see README.md); it undoes the ordinary ways of patching what tests rely on.
The file must stay self-contained: it is executed from its text, with no package around it.
"""


def install(target_name, module_names, trusted_packages):
    import builtins
    import importlib
    import os
    import re
    import sys

    from IPython import get_ipython

    shell = get_ipython()
    kernel = shell.kernel
    missing = object()
    sys_hooks = ("excepthook", "displayhook", "breakpointhook", "unraisablehook",
                 "stdout", "stderr", "stdin")
    trusted_dirs = []
    for package in trusted_packages:
        try:
            trusted_dirs.append(os.path.dirname(importlib.import_module(package).__file__) + os.sep)
        except Exception:
            pass
    modules = {}
    for name in module_names:
        try:
            modules[name] = importlib.import_module(name)
        except Exception:
            pass

    def is_guarded_value(value):
        return (callable(value) or type(value).__name__ == "module"
                or isinstance(value, (int, float, complex, str, bytes)))

    def public_items(namespace):
        return {k: v for k, v in list(namespace.items())
                if not k.startswith("_") and is_guarded_value(v)}

    def class_items(cls):
        return {k: v for k, v in list(vars(cls).items())
                if callable(v) or isinstance(v, (staticmethod, classmethod, property))}

    def overridable(obj):
        """Instance attributes of obj that shadow a method of its class."""
        return {k: v for k, v in list(vars(obj).items())
                if callable(getattr(type(obj), k, None)) and not k.startswith("__")}

    def is_trusted_callback(callback):
        function = getattr(callback, "__func__", callback)
        code = getattr(function, "__code__", None)
        filename = getattr(code, "co_filename", "")
        return any(filename.startswith(prefix) for prefix in trusted_dirs)

    # IPython's output and input history names: _, __, ___, _3, _i, _ii, _i3, ...
    ipython_history = re.compile(r"_+\d*|_i+\d*")
    state = {"snap": None, "protected": {}, "before": {}}

    def take_snapshot():
        module_snap = {}
        for name, module in modules.items():
            attrs = public_items(vars(module))
            classes = {cls: class_items(cls) for cls in attrs.values()
                       if isinstance(cls, type) and getattr(cls, "__module__", "").split(".")[0]
                       == name.split(".")[0] and "__dict__" in vars(cls)}
            module_snap[name] = (module, attrs, classes)
        state["snap"] = {
            "builtins": dict(vars(builtins)),
            "modules": module_snap,
            "sys_modules": dict(sys.modules),
            "sys": {attr: getattr(sys, attr, missing) for attr in sys_hooks},
            "trace": sys.gettrace(),
            "profile": sys.getprofile(),
            "meta_path": list(sys.meta_path),
            "path_hooks": list(sys.path_hooks),
            "custom_exc": (vars(shell).get("CustomTB", missing), shell.custom_exceptions),
            "cleanup_transforms": list(shell.input_transformer_manager.cleanup_transforms),
            "line_transforms": list(shell.input_transformer_manager.line_transforms),
            "token_transformers": list(shell.input_transformer_manager.token_transformers),
            "input_transformers_post": list(shell.input_transformers_post),
            "ast_transformers": list(shell.ast_transformers),
            "events": {event: list(callbacks) for event, callbacks in shell.events.callbacks.items()},
            "shell_overrides": overridable(shell),
            "kernel_overrides": overridable(kernel),
            "user_builtins": shell.user_ns.get("__builtins__", missing),
        }

    def restore_list(current, saved, label, changed):
        if list(current) != saved:
            current[:] = saved
            changed.append(label)

    def restore_overrides(obj, saved, label, changed):
        for key, value in overridable(obj).items():
            if saved.get(key, missing) is not value:
                if key in saved:
                    setattr(obj, key, saved[key])
                else:
                    delattr(obj, key)
                changed.append(f"{label}.{key}")

    def restore():
        snap = state["snap"]
        changed = []
        if sys.gettrace() is not snap["trace"]:
            sys.settrace(snap["trace"])
            changed.append("sys.settrace")
        if sys.getprofile() is not snap["profile"]:
            sys.setprofile(snap["profile"])
            changed.append("sys.setprofile")
        for attr, value in snap["sys"].items():
            if value is not missing and getattr(sys, attr, missing) is not value:
                setattr(sys, attr, value)
                changed.append(f"sys.{attr}")
        for name, module in snap["sys_modules"].items():
            if sys.modules.get(name, missing) is not module:
                sys.modules[name] = module
                changed.append(f"sys.modules[{name!r}]")
        restore_list(sys.meta_path, snap["meta_path"], "sys.meta_path", changed)
        restore_list(sys.path_hooks, snap["path_hooks"], "sys.path_hooks", changed)
        current_builtins = vars(builtins)
        for key, value in snap["builtins"].items():
            if current_builtins.get(key, missing) is not value:
                current_builtins[key] = value
                changed.append(f"builtins.{key}")
        user_builtins = snap["user_builtins"]
        if user_builtins is not missing and shell.user_ns.get("__builtins__", missing) is not user_builtins:
            shell.user_ns["__builtins__"] = user_builtins
            changed.append("__builtins__")
        for name, (module, attrs, classes) in snap["modules"].items():
            namespace = vars(module)
            for key, value in attrs.items():
                if namespace.get(key, missing) is not value:
                    setattr(module, key, value)
                    changed.append(f"{name}.{key}")
            for cls, members in classes.items():
                for key, value in members.items():
                    if vars(cls).get(key, missing) is not value:
                        setattr(cls, key, value)
                        changed.append(f"{name}.{cls.__name__}.{key}")
        custom_tb, custom_exceptions = snap["custom_exc"]
        if vars(shell).get("CustomTB", missing) is not custom_tb or shell.custom_exceptions != custom_exceptions:
            if custom_tb is missing:
                vars(shell).pop("CustomTB", None)
            else:
                shell.CustomTB = custom_tb
            shell.custom_exceptions = custom_exceptions
            changed.append("IPython custom exception handler")
        manager = shell.input_transformer_manager
        restore_list(manager.cleanup_transforms, snap["cleanup_transforms"], "IPython cleanup transforms", changed)
        restore_list(manager.line_transforms, snap["line_transforms"], "IPython line transforms", changed)
        restore_list(manager.token_transformers, snap["token_transformers"], "IPython token transformers", changed)
        restore_list(shell.input_transformers_post, snap["input_transformers_post"], "IPython input transformers",
                     changed)
        if list(shell.ast_transformers) != snap["ast_transformers"]:
            shell.ast_transformers = list(snap["ast_transformers"])
            changed.append("IPython AST transformers")
        for event, callbacks in shell.events.callbacks.items():
            saved = snap["events"].get(event, [])
            wanted = [cb for cb in callbacks if cb in saved or is_trusted_callback(cb)]
            wanted += [cb for cb in saved if cb not in wanted]
            if wanted != list(callbacks):
                callbacks[:] = wanted
                changed.append(f"IPython {event} callbacks")
        restore_overrides(shell, snap["shell_overrides"], "shell", changed)
        restore_overrides(kernel, snap["kernel_overrides"], "kernel", changed)
        for key, value in state["protected"].items():
            if shell.user_ns.get(key, missing) is not value:
                shell.user_ns[key] = value
                changed.append(f"helper {key}")
        return changed

    def is_helper(key, value):
        if key in shell.user_ns_hidden or key in ("In", "Out"):
            return False
        if ipython_history.fullmatch(key):
            return False
        return callable(value) or type(value).__name__ == "module"

    def mark():
        state["before"] = dict(shell.user_ns)

    def capture():
        before = state["before"]
        for key, value in list(shell.user_ns.items()):
            if before.get(key, missing) is not value and is_helper(key, value):
                state["protected"][key] = value
        state["before"] = {}

    actions = {"snapshot": take_snapshot, "mark": mark, "capture": capture}

    def handle(comm, open_msg):
        action = open_msg["content"]["data"].get("action")
        try:
            if action == "restore":
                reply = {"ok": True, "changed": restore()}
            elif action == "restore_and_mark":
                reply = {"ok": True, "changed": restore()}
                mark()
            else:
                actions[action]()
                reply = {"ok": True, "changed": []}
        except Exception as error:
            reply = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        comm.send(reply)
        comm.close()

    kernel.comm_manager.register_target(target_name, handle)
