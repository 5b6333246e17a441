"""Named random streams derived from one seed (no global random state).

Every draw comes from ``Streams.uniform(name, month)``: a fresh generator keyed by
(seed, replicate, stream name, month) through ``numpy.random.SeedSequence``, returning one
draw per worker slot. Because the key does not depend on what other processes drew, a
baseline and a reform run with the same seed give each person the same luck in every
process and month (common random numbers), and adding a process never shifts another's
draws.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream_key(name: str) -> int:
    """Stable 32-bit key for a stream name (crc32 is stable across Python runs)."""
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    def __init__(self, seed: int, n: int, replicate: int = 0) -> None:
        self.seed = int(seed)
        self.replicate = int(replicate)
        self.n = int(n)

    def generator(self, name: str, month: int) -> np.random.Generator:
        """Generator for one named stream in one month."""
        ss = np.random.SeedSequence(
            entropy=self.seed, spawn_key=(self.replicate, stream_key(name), int(month) + 1)
        )
        return np.random.Generator(np.random.PCG64(ss))

    def uniform(self, name: str, month: int) -> np.ndarray:
        """One U[0,1) draw per worker slot (float32: ample resolution for monthly hazards)."""
        return self.generator(name, month).random(self.n, dtype=np.float32)

    def setup(self, name: str) -> np.random.Generator:
        """Generator for drawing the initial population (month -1)."""
        return self.generator(name, -1)
