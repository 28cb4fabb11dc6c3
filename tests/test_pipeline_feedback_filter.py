"""`StripHiddenTestsFromFeedback` on a hand-built autograded notebook (no kernel, no gradebook)."""

from __future__ import annotations

import copy

from nbformat.v4 import new_code_cell, new_notebook, new_output

from course_tools.feedback import StripHiddenTestsFromFeedback, normalise_line, split_hidden_region

GRADE_SOURCE = """assert f(2) == 4
### BEGIN HIDDEN TESTS
expected_for_secret_input = 1234
assert f(617) == expected_for_secret_input, "f must double any integer"
### END HIDDEN TESTS"""

RED, RESET = "\x1b[0;31m", "\x1b[0m"
TRACEBACK = [
    f"{RED}---------------------------------------------------------------------------{RESET}",
    f"{RED}AssertionError{RESET}                            Traceback (most recent call last)",
    f"Cell {RED}In[3], line 4{RESET}\n      2 ### BEGIN HIDDEN TESTS\n      3 expected_for_secret_input {RED}={RESET} 1234\n"
    f"{RED}----> 4{RESET} {RED}assert{RESET} f({RED}617{RESET}) {RED}=={RESET} expected_for_secret_input, "
    f"{RED}\"f must double any integer\"{RESET}\n      5 ### END HIDDEN TESTS",
    f"{RED}AssertionError{RESET}: f must double any integer",
]


def graded_notebook():
    grade = new_code_cell(GRADE_SOURCE, metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": True, "grade_id": "test_f", "points": 2,
        "schema_version": 3, "score": 0.0}})
    grade.outputs = [
        new_output("stream", name="stdout", text="checking...\nexpected_for_secret_input = 1234\ndone\n"),
        new_output("error", ename="AssertionError", evalue="f must double any integer", traceback=list(TRACEBACK)),
    ]
    student = new_code_cell("def f(x):\n    return x + x  # my own code", metadata={"nbgrader": {
        "grade": False, "solution": True, "locked": False, "grade_id": "f", "schema_version": 3}})
    student.outputs = [new_output("execute_result", data={"text/plain": "my output"}, execution_count=1)]
    return new_notebook(cells=[student, grade])


def run_filter(nb):
    nb = copy.deepcopy(nb)
    stripped, _ = StripHiddenTestsFromFeedback().preprocess(nb, {"nbgrader": {}})
    return stripped


def all_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        parts.append(cell.source)
        for output in cell.get("outputs", []):
            parts += [output.get("text", ""), output.get("evalue", ""), *output.get("traceback", [])]
            parts += [str(v) for v in output.get("data", {}).values()]
    return normalise_line("\n".join(parts).replace("\n", " \n "))


def test_hidden_source_is_replaced_by_a_placeholder_and_the_visible_part_stays():
    cell = run_filter(graded_notebook()).cells[1]
    assert cell.source.splitlines() == [
        "assert f(2) == 4", "# (hidden tests ran here; their code is not part of the feedback)"]


def test_no_output_quotes_hidden_source_but_the_failure_and_its_message_remain():
    nb = run_filter(graded_notebook())
    text = all_text(nb)
    assert "expected_for_secret_input" not in text
    assert "assert f(617)" not in text
    error = nb.cells[1].outputs[1]
    assert error.ename == "AssertionError" and error.evalue == "f must double any integer"
    assert "[line of a hidden test]" in error.traceback[2]
    assert normalise_line(error.traceback[-1]) == "AssertionError: f must double any integer"
    assert nb.cells[1].outputs[0].text == "checking...\n[line of a hidden test]\ndone\n"


def test_grades_and_the_students_own_cells_are_untouched():
    original = graded_notebook()
    nb = run_filter(original)
    assert nb.cells[0] == original.cells[0]
    assert nb.cells[1].metadata == original.cells[1].metadata


def test_short_hidden_lines_are_not_searched_for():
    nb = graded_notebook()
    nb.cells[1].source = "x = 1\n### BEGIN HIDDEN TESTS\npass\n### END HIDDEN TESTS"
    nb.cells[1].outputs = [new_output("stream", name="stdout", text="pass\n")]
    assert run_filter(nb).cells[1].outputs[0].text == "pass\n"


def test_split_hidden_region_keeps_everything_outside_the_markers():
    source, hidden = split_hidden_region("a\n# BEGIN HIDDEN TESTS\nb\nc\n# END HIDDEN TESTS\nd",
                                         "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "<hidden>")
    assert source == "a\n<hidden>\nd" and hidden == ["b", "c"]
    assert split_hidden_region("a\nb", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "<hidden>") == ("a\nb", [])


def test_a_hidden_line_the_student_wrote_too_stays_readable():
    nb = graded_notebook()
    nb.cells[0].source = "def f(x):\n    expected_for_secret_input = 1234\n    return 2 * x"
    text = run_filter(nb).cells[1].outputs[0].text
    assert text == "checking...\nexpected_for_secret_input = 1234\ndone\n"


def test_traceback_lines_quoting_the_region_markers_are_redacted_too():
    nb = graded_notebook()
    nb.cells[1].outputs = [new_output(
        "error", ename="AssertionError", evalue="",
        traceback=["     34 assert f(617) == 1234", "---> 35 ### END HIDDEN TESTS", "AssertionError"])]
    traceback = run_filter(nb).cells[1].outputs[0].traceback
    assert not any("HIDDEN TESTS" in line for line in traceback), traceback
    assert traceback[-1] == "AssertionError"
