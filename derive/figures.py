"""Figures and tables a part can carry: data only, drawn by the templates.

Values are SymPy objects or numbers computed by the pipeline, so a plot or a
table cannot drift from what the steps verified.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StemPlot:
    """A discrete signal ``y[n]`` drawn as a pgfplots stem plot."""

    xs: tuple[int, ...]
    ys: tuple[Any, ...]
    xlabel: str = "n"
    ylabel: str = "y[n]"
    kind: str = "stem"

    def coordinates(self) -> str:
        return " ".join(f"({x},{float(y):.6g})" for x, y in zip(self.xs, self.ys))


@dataclass(frozen=True)
class Table:
    """A booktabs table; cells are SymPy objects, numbers or plain strings."""

    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    caption: str = ""
    kind: str = "table"
