"""Make a module callable, so ``derive.sheet(...)`` and ``derive.check(...)`` work.

``derive.sheet`` and ``derive.check`` are modules (importing a submodule binds
it on its package, so a function of the same name on ``derive`` would be
replaced by the module on first import).  Instead the module itself is made
callable: ``derive.sheet(path, out)`` calls ``derive.sheet.build`` and
``derive.check(text)`` calls ``derive.check.check``, while
``derive.check.equivalent`` and ``derive.sheet.load_spec`` keep working.
"""
from __future__ import annotations

import sys
import types
from typing import Any, Callable


def make_callable(module_name: str, func: Callable[..., Any]) -> None:
    """Calling module ``module_name`` calls ``func`` (Python allows a module's ``__class__`` to change)."""

    class CallableModule(types.ModuleType):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return func(*args, **kwargs)

    CallableModule.__call__.__doc__ = func.__doc__
    sys.modules[module_name].__class__ = CallableModule
