"""``python -m course_tools.submissions``: see ``course_tools.submissions.cli``."""

from course_tools.submissions.cli import main

raise SystemExit(main())
