"""Fixtures for the sandbox's own tests: raw HTTP next to the canvasapi client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import canvasapi
import pytest
import requests

from pd_sync.sandbox import Sandbox


class Http:
    """A requests.Session bound to the sandbox, for what canvasapi hides (status, headers)."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.base = sandbox.base_url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {sandbox.token}"

    def __call__(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.session.request(method, self.base + path, timeout=10, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        return self("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self("DELETE", path, **kwargs)


@pytest.fixture
def http(sandbox: Sandbox) -> Iterator[Http]:
    client = Http(sandbox)
    yield client
    client.session.close()


@pytest.fixture
def course(canvas: canvasapi.Canvas) -> Any:
    return canvas.get_course(1)
