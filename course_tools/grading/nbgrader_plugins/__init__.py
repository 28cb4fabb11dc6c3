"""Runs inside the ``nbgrader autograde`` process: preprocessors named in ``nbgrader_config.py``.

`SandboxedExecute` replaces nbgrader's ``Execute``; the sanitizers replace or add to nbgrader's
own; the incident report is how this process tells the orchestrator what it contained.
"""
