"""Interactive API documentation at ``/docs``, generated from the OpenAPI document.

Swagger UI needs inline scripts and a CDN, which the Content-Security-Policy forbids, so
the site renders its own: one form per operation. Without JavaScript a form goes to
``/docs/try``, which fills the path template and redirects to the API; ``apidocs.js``
instead shows the response on the page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, FastAPI, HTTPException, Request
from starlette.responses import HTMLResponse, RedirectResponse


def _param(p: dict[str, Any]) -> dict[str, Any]:
    schema = p.get("schema", {})
    options = schema.get("enum") or next(
        (s.get("enum") for s in schema.get("anyOf", []) if s.get("enum")), None
    )
    examples = p.get("examples") or schema.get("examples") or []
    if isinstance(examples, dict):
        examples = [v.get("value") for v in examples.values()]
    kind = schema.get("type") or next(
        (s.get("type") for s in schema.get("anyOf", []) if s.get("type") != "null"), ""
    )
    return {
        "name": p["name"],
        "in": p["in"],
        "required": bool(p.get("required")),
        "description": p.get("description") or schema.get("description", ""),
        "type": kind,
        "options": options or [],
        "example": examples[0] if examples else schema.get("default", ""),
    }


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The GET operations of the OpenAPI document, with their parameters, in document order."""
    out = []
    for path, methods in spec.get("paths", {}).items():
        op = methods.get("get")
        if op is None:
            continue
        params = [_param(p) for p in op.get("parameters", [])]
        example = path
        for p in params:
            if p["in"] == "path":
                example = example.replace("{" + p["name"] + "}", quote(str(p["example"] or "x"), safe=""))
        query = {
            p["name"]: p["example"] for p in params if p["in"] == "query" and p["example"] not in ("", None)
        }
        out.append(
            {
                "id": op.get("operationId", path),
                "path": path,
                "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "params": params,
                "example": example + (f"?{urlencode(query)}" if query else ""),
            }
        )
    return out


def router(app: FastAPI) -> APIRouter:
    docs = APIRouter(include_in_schema=False)

    @docs.get("/docs")
    async def api_docs(request: Request) -> HTMLResponse:
        ops = operations(app.openapi())
        html = request.app.state.templates.get_template("apidocs.html").render(
            operations=ops,
            page={"title": "API documentation", "section": "api", "path": "/docs", "json": "/openapi.json"},
            refs={},
            sources=[],
        )
        return HTMLResponse(html)

    @docs.get("/docs/try")
    async def try_it(request: Request) -> RedirectResponse:
        """Fill an operation's path template from the form and redirect to it."""
        params = dict(request.query_params)
        template = params.pop("operation", "")
        ops = {op["path"]: op for op in operations(app.openapi())}
        if template not in ops:
            raise HTTPException(404, "Unknown API operation.")
        path = template
        for p in ops[template]["params"]:
            if p["in"] == "path":
                value = params.pop(p["name"], "") or "-"
                path = path.replace("{" + p["name"] + "}", quote(value, safe=""))
        query = {k: v for k, v in params.items() if v}
        return RedirectResponse(path + (f"?{urlencode(query)}" if query else ""), status_code=303)

    return docs
