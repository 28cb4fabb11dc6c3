"""The machine and software a benchmark ran on, recorded with its figures."""

from __future__ import annotations

import os
import platform
import sys
from datetime import datetime, timezone

import numpy as np
from threadpoolctl import threadpool_info


def machine_context() -> dict[str, object]:
    """Date, platform, cores, versions, BLAS and load average, now."""
    blas = [
        f"{p.get('internal_api')} {p.get('version')} ({p.get('num_threads')} threads available)"
        for p in threadpool_info()
        if p.get("user_api") == "blas"
    ]
    return {
        "date (UTC)": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "BLAS": "; ".join(blas),
        "load average (1, 5, 15 min)": ", ".join(f"{v:.2f}" for v in os.getloadavg()),
    }
