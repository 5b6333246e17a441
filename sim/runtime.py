"""Process-level settings for long simulations.

Each month creates many temporary arrays of a few megabytes. By default glibc hands such
blocks back to the operating system when they are freed and takes fresh pages for the next
one; every first touch of a fresh page is a page fault, which on virtual machines costs as
much as the arithmetic (measured here: ~20% of a month at 10^6 workers). ``tune_allocator``
asks glibc to keep freed memory in the process instead. It changes speed only: results are
identical. Elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

M_TRIM_THRESHOLD = -1
M_TOP_PAD = -2
M_MMAP_THRESHOLD = -3
_done = False


def tune_allocator() -> bool:
    """Keep freed heap memory for reuse (idempotent); True when glibc accepted it."""
    global _done
    if _done:
        return True
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    ok = (
        mallopt(M_MMAP_THRESHOLD, 1 << 30)  # serve big arrays from the heap, not mmap
        and mallopt(M_TRIM_THRESHOLD, 2**31 - 1)  # do not give freed memory back
        and mallopt(M_TOP_PAD, 64 << 20)  # grow the heap in 64 MiB steps
    )
    _done = bool(ok)
    return _done
