"""Pydantic models of Pictory request bodies (and, from responses.py, answers).

Each module's `__all__` is its public list; this package re-exports exactly those names.
"""

from . import requests, responses, storyboard
from .requests import *  # noqa: F403
from .responses import *  # noqa: F403
from .storyboard import *  # noqa: F403

__all__ = [*requests.__all__, *storyboard.__all__, *responses.__all__]
