"""OpenAPI details drf-spectacular cannot infer: the OSDI-API-Token security scheme."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class OsdiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "actlocal.api.auth.OsdiTokenAuthentication"
    name = "OSDI-API-Token"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "header", "name": "OSDI-API-Token"}
