"""The hostile and broken submissions corpus for the grading tests, and the toy course it runs on."""
