"""A local emulator of the Canvas LMS REST API, faithful to canvas-api.md.

It imports nothing else from pd_sync and uses only the standard library, so it stays an
independent model of Canvas that pd-sync's own code can be tested against.
"""

from .app import LoggedRequest
from .sandbox import DEFAULT_TOKEN, Sandbox, run_foreground, serve_forever

__all__ = ["DEFAULT_TOKEN", "LoggedRequest", "Sandbox", "run_foreground", "serve_forever"]
