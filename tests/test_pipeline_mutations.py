"""`apply_mutation`: wrong variants stated as line edits of the reference solution."""
from __future__ import annotations

import pytest

from course_tools.samples import apply_mutation

REFERENCE = '''def f(x):
    if x:
        return {
            "a": 1,
        }
    return None'''


def test_replaces_a_line_keeping_its_indentation_and_relative_indentation_of_additions():
    mutated = apply_mutation(REFERENCE, '# a bug\n- "a": 1,\n+ "a": 2,\n+     "b": 3,\n')
    assert mutated.split("\n")[3:5] == ['            "a": 2,', '                "b": 3,']


def test_a_minus_line_without_plus_lines_deletes_it():
    assert "return None" not in apply_mutation(REFERENCE, "- return None\n")


@pytest.mark.parametrize("mutation, message", [
    ("- return 42\n+ return 0\n", "occurs 0 times"),
    ("+ orphan addition\n", "must start with"),
    ("replace this\n", "must start with"),
])
def test_malformed_or_unmatched_mutations_are_refused_naming_the_line(mutation, message):
    with pytest.raises(ValueError, match=message):
        apply_mutation(REFERENCE, mutation)


def test_an_old_line_found_twice_is_ambiguous():
    assert apply_mutation(REFERENCE, "- }\n+ }  # closed\n").count("# closed") == 1
    with pytest.raises(ValueError, match="occurs 2 times"):
        apply_mutation(REFERENCE + "\n" + REFERENCE, "- }\n+ }  # closed\n")


def test_a_mutation_whose_result_does_not_compile_is_refused():
    with pytest.raises(ValueError, match="does not compile"):
        apply_mutation(REFERENCE, "- }\n+ ]\n")
