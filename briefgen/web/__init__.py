"""``briefgen serve``: review a brief in the browser, every point traced to its source.

* ``app`` — the Starlette app: pages, edits, memo previews and downloads, sending;
* ``workspace`` — one folder per brief under the user data directory, and their index;
* ``jobs`` — extraction and rendering in worker processes (the CLI's own functions);
* ``edits`` — the corrections a reviewer can make, validated against the schema;
* ``article`` — the readout beside the brief: furniture, and which field each span feeds;
* ``security`` — host check, access token, CSRF, Content-Security-Policy.
"""

from __future__ import annotations

from .app import ServerConfig, create_app

__all__ = ["ServerConfig", "create_app"]
