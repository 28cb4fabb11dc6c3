import os
import platform
import sys

import numpy


def get_system_info() -> dict:
    """Context of a measurement as one dict() call."""
    if hasattr(os, "getloadavg"):
        one_minute, _five, _fifteen = os.getloadavg()
    else:
        one_minute = None
    return dict(
        load_average=one_minute,
        cpu_count=os.cpu_count(),
        processor=platform.processor(),
        machine=platform.machine(),
        numpy_version=numpy.__version__,
        python_version=sys.version.split()[0],
        platform=platform.platform(),
    )
