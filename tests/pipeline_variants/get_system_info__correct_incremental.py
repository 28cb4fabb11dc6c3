import os
import platform
import sys

import numpy as np


def get_system_info() -> dict:
    """Context of a measurement, built key by key, with a few extra keys."""
    info = {}
    info["platform"] = platform.platform()
    info["python_version"] = sys.version.split()[0]
    info["numpy_version"] = np.__version__
    info["machine"] = platform.machine()
    info["processor"] = platform.processor()
    info["cpu_count"] = os.cpu_count()
    getloadavg = getattr(os, "getloadavg", None)
    info["load_average"] = getloadavg()[0] if getloadavg is not None else None
    info["system"] = platform.system()
    info["python_implementation"] = platform.python_implementation()
    return info
