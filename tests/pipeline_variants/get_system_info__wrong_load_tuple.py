import os
import platform
import sys

import numpy as np


def get_system_info() -> dict:
    """Wrong value: all three load averages instead of the 1-minute one."""
    return {"platform": platform.platform(), "python_version": sys.version.split()[0],
            "numpy_version": np.__version__, "machine": platform.machine(), "processor": platform.processor(),
            "cpu_count": os.cpu_count(), "load_average": list(os.getloadavg())}
