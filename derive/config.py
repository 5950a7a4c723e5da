"""Engine configuration: one frozen value object, combined with ``merge``.

Kept frozen so a configuration can be hashed into cache keys and passed to worker
processes without anyone mutating it half-way through a build.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Config:
    """Knobs of the verifier and the renderer.

    ``timeout`` bounds each symbolic proof attempt (seconds); ``filter_points``
    and ``numeric_points`` are the sample counts of the first and last verifier
    layers; ``precision`` is the number of significant digits of the last layer;
    ``numeric_timeout`` bounds the last layer (default: twice ``timeout``).
    """

    timeout: float = 5.0
    filter_points: int = 4
    numeric_points: int = 24
    precision: int = 40
    seed: int = 20261123
    template_dirs: tuple[Path, ...] = ()
    cache_path: Path | None = None
    workers: int = 0
    numeric_timeout: float | None = None

    def numeric_time(self) -> float:
        """Seconds allowed to the high-precision numeric layer."""
        return self.numeric_timeout if self.numeric_timeout is not None else max(2 * self.timeout, 0)

    def worker_count(self) -> int:
        """Verifier processes for batches; 0 means one per CPU core."""
        import os

        return self.workers if self.workers > 0 else max(1, os.cpu_count() or 1)

    def merge(self, **changes: Any) -> "Config":
        """Return a copy with ``changes`` applied; ``None`` values are ignored."""
        given = {k: v for k, v in changes.items() if v is not None}
        unknown = set(given) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise TypeError(f"unknown config field(s): {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **given)


DEFAULT = Config()
