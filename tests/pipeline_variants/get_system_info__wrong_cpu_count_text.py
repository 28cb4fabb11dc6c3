import os
import platform
import sys

import numpy as np


def get_system_info() -> dict:
    """Wrong type: cpu_count as text."""
    return {"platform": platform.platform(), "python_version": sys.version.split()[0],
            "numpy_version": np.__version__, "machine": platform.machine(), "processor": platform.processor(),
            "cpu_count": f"{os.cpu_count()} cores", "load_average": os.getloadavg()[0]}
