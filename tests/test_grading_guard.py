"""The tamper guard (kernel_guard.py) driven directly, on a stand-in shell, and the nbclient pin.

The hostile corpus proves the guard inside real kernels; these tests pin each kind of restore on
its own, fast, and check that a guard request never raises into the kernel.
"""

from __future__ import annotations

import builtins
import json
import sys
import types
from types import SimpleNamespace

import pytest

from course_tools.grading.in_kernel.kernel_guard import TamperGuard
from course_tools.grading.nbgrader_plugins import nbclient_adapter


class Kernel:
    def do_execute(self):
        return "honest"


def _shell() -> SimpleNamespace:
    return SimpleNamespace(
        user_ns={}, user_ns_hidden={}, custom_exceptions=(),
        input_transformer_manager=SimpleNamespace(cleanup_transforms=[], line_transforms=[], token_transformers=[]),
        input_transformers_post=[], ast_transformers=[], events=SimpleNamespace(callbacks={"post_run_cell": []}))


@pytest.fixture
def guarded_module():
    """A module the guard watches: a function, a class with a method, a constant."""
    module = types.ModuleType("guard_fixture_module")
    exec("def close(a, b):\n    return abs(a - b) < 1e-9\n\nclass Checker:\n    def check(self):\n"
         "        return True\n\nTOLERANCE = 1e-9\n", vars(module))
    module.Checker.__module__ = module.__name__
    sys.modules[module.__name__] = module
    yield module
    del sys.modules[module.__name__]


def _guard(shell, modules=(), trusted=()) -> TamperGuard:
    guard = TamperGuard(shell, Kernel(), list(modules), list(trusted))
    assert guard.answer("snapshot") == {"ok": True, "changed": []}
    return guard


def test_patched_module_function_method_and_constant_are_put_back(guarded_module):
    guard = _guard(_shell(), [guarded_module.__name__])
    honest_close, honest_check = guarded_module.close, guarded_module.Checker.check
    guarded_module.close = lambda a, b: True
    guarded_module.Checker.check = lambda self: False
    guarded_module.TOLERANCE = 1.0
    changed = guard.answer("restore")["changed"]
    assert sorted(changed) == sorted(["guard_fixture_module.close", "guard_fixture_module.Checker.check",
                                      "guard_fixture_module.TOLERANCE"])
    assert guarded_module.close is honest_close and guarded_module.Checker.check is honest_check
    assert guarded_module.TOLERANCE == 1e-9
    assert guard.answer("restore")["changed"] == []  # nothing left to undo


def test_patched_builtins_and_replaced_sys_modules_are_put_back(guarded_module):
    guard = _guard(_shell())
    honest_abs = builtins.abs
    try:
        builtins.abs = lambda value: 0
        sys.modules["json"] = types.ModuleType("json")
        changed = guard.answer("restore")["changed"]
    finally:
        builtins.abs = honest_abs
        sys.modules["json"] = json
    assert "builtins.abs" in changed and "sys.modules['json']" in changed


def test_helpers_bound_by_locked_cells_are_protected_but_student_names_are_not():
    shell = _shell()
    guard = _guard(shell)
    guard.answer("mark")
    shell.user_ns["close_enough"] = honest = (lambda a, b: abs(a - b) < 1e-9)
    shell.user_ns["_3"] = lambda: None  # IPython output history: never a helper
    guard.answer("capture")
    shell.user_ns["close_enough"] = lambda a, b: True
    shell.user_ns["square"] = lambda x: 0  # the student's own function: theirs to redefine
    assert guard.answer("restore")["changed"] == ["helper close_enough"]
    assert shell.user_ns["close_enough"] is honest and shell.user_ns["square"](3) == 0


def test_joined_actions_run_in_order_and_an_unknown_one_runs_none():
    # One round trip after a locked cell and before the next grade cell: capture, restore, mark.
    shell = _shell()
    guard = _guard(shell)
    guard.answer("mark")
    shell.user_ns["close_enough"] = honest = (lambda a, b: abs(a - b) < 1e-9)  # bound by a locked cell
    assert guard.answer("capture+bogus")["ok"] is False
    shell.user_ns["close_enough"] = lambda a, b: True
    assert guard.answer("restore")["changed"] == [], "nothing was captured: the request was refused whole"
    shell.user_ns["close_enough"] = honest
    assert guard.answer("capture+restore+mark") == {"ok": True, "changed": []}
    shell.user_ns["check"] = check = (lambda: "honest")  # bound by the grade cell that ran next
    assert guard.answer("capture+restore") == {"ok": True, "changed": []}
    shell.user_ns["close_enough"], shell.user_ns["check"] = (lambda a, b: True), (lambda: "forged")
    assert guard.answer("restore")["changed"] == ["helper close_enough", "helper check"]
    assert shell.user_ns["close_enough"] is honest and shell.user_ns["check"] is check


def test_shell_hooks_go_except_callbacks_of_trusted_packages():
    shell = _shell()
    guard = _guard(shell, trusted=["json"])
    shell.ast_transformers.append(object())
    shell.input_transformers_post.append(lambda lines: [])
    shell.custom_exceptions = (AssertionError,)
    shell.events.callbacks["post_run_cell"] += [lambda result: None, json.dumps]
    shell.kernel_override = None
    guard.kernel.do_execute = lambda: "forged"
    changed = guard.answer("restore")["changed"]
    assert set(changed) == {"IPython AST transformers", "IPython input transformers",
                            "IPython custom exception handler", "IPython post_run_cell callbacks",
                            "kernel.do_execute"}
    assert shell.events.callbacks["post_run_cell"] == [json.dumps]
    assert guard.kernel.do_execute() == "honest"
    assert shell.ast_transformers == [] and shell.custom_exceptions == ()


def test_a_request_never_raises_into_the_kernel():
    guard = TamperGuard(_shell(), Kernel(), [], [])
    assert guard.answer("restore")["ok"] is False  # no snapshot yet: an answer, not an exception
    assert guard.answer("bogus") == {"ok": False, "error": "ValueError: unknown action 'bogus'"}


def test_nbclient_internals_are_pinned_to_the_versions_they_were_written_for():
    nbclient_adapter.check_supported()  # the installed one
    with pytest.raises(RuntimeError, match=r"nbclient 0\.99\.0 is not one .*0\.10, 0\.11"):
        nbclient_adapter.check_supported("0.99.0")
