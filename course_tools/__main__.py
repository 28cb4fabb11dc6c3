"""``python -m course_tools <command>``: see `course_tools.cli`."""

import sys

from course_tools.cli import main

sys.exit(main())
