"""Pipelines from outside the package: entry points and folders.

Two routes, both loaded by ``pipeline.load_all`` after the built-in pipelines:

* an installed distribution declares modules in the entry-point group
  ``derive.pipelines`` (``[project.entry-points."derive.pipelines"]`` in its
  ``pyproject.toml``); loading the entry point imports the module, whose
  ``@pipeline`` decorators register its pipelines;
* ``--pipelines DIR`` (repeatable) or ``DERIVE_PIPELINES=DIR[:DIR...]`` names
  folders whose ``*.py`` files (not starting with ``_``) are imported; the
  folder is put on ``sys.path`` so a module can import its helpers.

A plugin is ordinary Python code run with the user's rights, exactly like a
module on ``PYTHONPATH``: only name folders and install packages you trust.
A module that fails to import, or registers a name already taken, is one
``PluginError`` naming the module.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from pathlib import Path
from typing import Iterable

from .errors import PluginError

GROUP = "derive.pipelines"
ENV = "DERIVE_PIPELINES"

_dirs: list[Path] = []          # from --pipelines, in order
_loaded_dirs: set[Path] = set()
_entry_points_loaded = False


def use_dirs(dirs: Iterable[str | os.PathLike[str]]) -> None:
    """Add folders (``--pipelines DIR``) to load on the next ``load_plugins``."""
    for d in dirs:
        path = Path(d).expanduser().resolve()
        if path not in _dirs:
            _dirs.append(path)


def plugin_dirs() -> list[Path]:
    """``--pipelines`` folders, then those of ``$DERIVE_PIPELINES``."""
    env = [Path(p).expanduser().resolve() for p in os.environ.get(ENV, "").split(os.pathsep) if p.strip()]
    out: list[Path] = []
    for d in (*_dirs, *env):
        if d not in out:
            out.append(d)
    return out


def load_plugins() -> None:
    """Load entry points (once) and every folder not loaded yet; idempotent."""
    global _entry_points_loaded
    if not _entry_points_loaded:
        _entry_points_loaded = True
        _load_entry_points()
    for d in plugin_dirs():
        if d not in _loaded_dirs:
            _loaded_dirs.add(d)
            _load_dir(d)


def _load_entry_points() -> None:
    from importlib.metadata import entry_points

    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        try:
            ep.load()
        except Exception as exc:  # noqa: BLE001 - any failure of foreign code is one line
            raise PluginError(f"plugin entry point {ep.name} = {ep.value}: {type(exc).__name__}: {exc}") from exc


def _load_dir(folder: Path) -> None:
    if not folder.is_dir():
        raise PluginError(f"{folder}: no such pipeline folder (--pipelines / ${ENV})")
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    # A private namespace per folder, so two folders' x.py do not collide.
    tag = hashlib.sha256(str(folder).encode()).hexdigest()[:10]
    for file in sorted(folder.glob("*.py")):
        if file.name.startswith("_"):
            continue
        name = f"derive_plugin_{tag}_{file.stem}"
        if name in sys.modules:
            continue
        spec = importlib.util.spec_from_file_location(name, file)
        if spec is None or spec.loader is None:
            raise PluginError(f"{file}: cannot be imported as a module")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as exc:  # noqa: BLE001
            del sys.modules[name]
            raise PluginError(f"{file}: {type(exc).__name__}: {exc}") from exc
