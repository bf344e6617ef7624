"""The client and model packages resolve their names on first use, each to its definition."""

from __future__ import annotations

import importlib

import pytest

import pictory_mcp.api as api
from pictory_mcp.api import models


def test_every_name_the_client_package_lists_resolves_to_its_definition() -> None:
    for name in api.__all__:
        assert getattr(api, name) is not None, name
    assert api.PictoryClient is importlib.import_module("pictory_mcp.api.client").PictoryClient
    assert api.models is models
    assert api.submit is importlib.import_module("pictory_mcp.api.submit")
    assert api.DEFAULT_BASE_URL == "https://api.pictory.ai/pictoryapis"


def test_every_public_model_is_reexported_by_the_models_package() -> None:
    from pictory_mcp.api.models import requests, responses, storyboard

    modules = (requests, responses, storyboard)
    for module in modules:
        for name in module.__all__:
            assert getattr(models, name) is getattr(module, name), name
    assert sorted(models.__all__) == sorted(n for m in modules for n in m.__all__)


@pytest.mark.parametrize("package", [api, models], ids=["api", "models"])
def test_an_unknown_name_is_an_attribute_error(package: object) -> None:
    assert not hasattr(package, "Nonexistent")
    with pytest.raises(AttributeError, match="no attribute 'Nonexistent'"):
        package.Nonexistent  # type: ignore[attr-defined]  # noqa: B018
