"""The host side of a kernel's sandbox, used by both the autograde process and the orchestrator.

Working copy, limits and bubblewrap view of one kernel (`kernel_sandbox`), whether isolation works
here (`isolation`), the kernel-import probe (`probe`), and killing what a kernel left (`processes`).
"""
