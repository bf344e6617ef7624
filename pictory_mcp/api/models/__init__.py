"""Pydantic models of Pictory request bodies (and, from responses.py, answers).

Each module's `__all__` is its public list; this package re-exports exactly those names. They
load on first use, so importing the package costs nothing until a model is needed.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .requests import *  # noqa: F403
    from .responses import *  # noqa: F403
    from .storyboard import *  # noqa: F403

# Looked through in this order, cheapest first: a request body does not load the storyboard.
_MODULES = ("requests", "responses", "storyboard")


def _module(short: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{short}")


def __getattr__(name: str) -> Any:
    if name == "__all__":
        return [n for short in _MODULES for n in _module(short).__all__]
    if name in _MODULES:
        return _module(name)
    for short in _MODULES:
        module = _module(short)
        if name in module.__all__:
            value = getattr(module, name)
            globals()[name] = value  # later look-ups skip this function
            return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
