import os
import platform
import sys

import numpy as np


def get_system_info() -> dict:
    """Wrong value: the whole sys.version string (build date, compiler) as python_version."""
    return {"platform": platform.platform(), "python_version": sys.version, "numpy_version": np.__version__,
            "machine": platform.machine(), "processor": platform.processor(), "cpu_count": os.cpu_count(),
            "load_average": os.getloadavg()[0]}
