import os
import platform
import sys

import numpy as np


def get_system_info() -> dict:
    """Missing key: no processor."""
    return {"platform": platform.platform(), "python_version": sys.version.split()[0],
            "numpy_version": np.__version__, "machine": platform.machine(), "cpu_count": os.cpu_count(),
            "load_average": os.getloadavg()[0]}
