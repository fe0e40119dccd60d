"""An API Gateway REST API stand-in: HTTP on 127.0.0.1 -> proxy events -> the Lambda handlers.

Events follow the REST API (v1) proxy format that API Gateway sends: single and multi-value
headers and query strings, path parameters, a request context, and a base64 body when the
content type is one of the API's BinaryMediaTypes.
"""

import base64
import importlib.util
import json
import sys
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from leadline.local.template import ApiRoute, api_routes, binary_media_types
from leadline.observability import logger

STAGE = "live"
MAX_BODY_BYTES = 10 * 1024 * 1024  # API Gateway's own payload limit


def build_rest_event(
    method: str,
    path: str,
    *,
    resource: str | None = None,
    path_parameters: dict[str, str] | None = None,
    headers: list[tuple[str, str]] | None = None,
    body: bytes | str | None = None,
    base64_body: bool = False,
    query: str = "",
    source_ip: str = "127.0.0.1",
) -> dict[str, Any]:
    """Return a REST API proxy event, as API Gateway passes it to Lambda."""
    header_pairs = headers or []
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for name, value in header_pairs:
        single[name] = value
        multi.setdefault(name, []).append(value)
    query_pairs = parse_qsl(query, keep_blank_values=True)
    single_query = dict(query_pairs)
    multi_query: dict[str, list[str]] = {}
    for key, value in query_pairs:
        multi_query.setdefault(key, []).append(value)

    if body is None:
        event_body = None
    elif base64_body:
        raw = body.encode("utf-8") if isinstance(body, str) else body
        event_body = base64.b64encode(raw).decode("ascii")
    else:
        event_body = body.decode("utf-8") if isinstance(body, bytes) else body

    now = time.time()
    user_agent = next((v for k, v in header_pairs if k.lower() == "user-agent"), None)
    return {
        "resource": resource or path,
        "path": path,
        "httpMethod": method.upper(),
        "headers": single or None,
        "multiValueHeaders": multi or None,
        "queryStringParameters": single_query or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": path_parameters or None,
        "stageVariables": None,
        "requestContext": {
            "resourceId": "local",
            "resourcePath": resource or path,
            "httpMethod": method.upper(),
            "extendedRequestId": uuid.uuid4().hex[:16],
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "path": f"/{STAGE}{path}",
            "accountId": "123456789012",
            "protocol": "HTTP/1.1",
            "stage": STAGE,
            "domainPrefix": "local",
            "requestTimeEpoch": int(now * 1000),
            "requestId": str(uuid.uuid4()),
            "identity": {"sourceIp": source_ip, "userAgent": user_agent},
            "domainName": "localhost",
            "apiId": "local",
        },
        "body": event_body,
        "isBase64Encoded": base64_body and body is not None,
    }


class LambdaContext:
    """The attributes of Lambda's context object that handlers and Powertools read."""

    def __init__(self, function_name: str, timeout_seconds: float = 30.0) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}"
        self.memory_limit_in_mb = 256
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "local"
        self._deadline = time.monotonic() + timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def load_handler(code_dir: Path, handler: str) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    """Import a function's handler from its own folder, as Lambda does, under a unique name."""
    module_name, _, function_name = handler.rpartition(".")
    unique_name = f"leadline_function_{code_dir.name}_{module_name}"
    module: ModuleType | None = sys.modules.get(unique_name)
    if module is None:
        spec = importlib.util.spec_from_file_location(unique_name, code_dir / f"{module_name}.py")
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load handler {handler} from {code_dir}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[unique_name] = module
        spec.loader.exec_module(module)
    handler_function: Callable[[dict[str, Any], Any], dict[str, Any]] = getattr(module, function_name)
    return handler_function


def _content_type_is_binary(content_type: str, binary_types: list[str]) -> bool:
    media_type = content_type.split(";")[0].strip().lower()
    return any(
        pattern == "*/*" or pattern.lower() == media_type
        or (pattern.endswith("/*") and media_type.startswith(pattern[:-1].lower()))
        for pattern in binary_types
    )


def make_request_handler(routes: list[ApiRoute], binary_types: list[str]) -> type[BaseHTTPRequestHandler]:
    class GatewayHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            logger.debug("local gateway request", request_line=self.requestline)

        def _serve(self) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY_BYTES:
                self._send_json(413, {"message": "Request Too Long"})
                return
            body = self.rfile.read(length) if length else None
            for route in routes:
                parameters = route.matches(self.command, url.path)
                if parameters is None:
                    continue
                content_type = self.headers.get("Content-Type", "")
                as_base64 = body is not None and _content_type_is_binary(content_type, binary_types)
                if body is not None and not as_base64:
                    try:
                        body.decode("utf-8")
                    except UnicodeDecodeError:
                        as_base64 = True
                event = build_rest_event(
                    self.command,
                    url.path,
                    resource=route.path,
                    path_parameters=parameters,
                    headers=list(self.headers.items()),
                    body=body,
                    base64_body=as_base64,
                    query=url.query,
                    source_ip=self.client_address[0],
                )
                handler = load_handler(route.code_dir, route.handler)
                try:
                    response = handler(event, LambdaContext(route.function_id))
                except Exception:
                    # API Gateway returns 502 when the function raises, and so does the stand-in.
                    logger.exception("handler raised", function=route.function_id)
                    self._send_json(502, {"message": "Internal server error"})
                    return
                self._send_lambda_response(response)
                return
            status = 403 if self.command != "OPTIONS" else 404
            self._send_json(status, {"message": "Missing Authentication Token"})

        def _send_lambda_response(self, response: dict[str, Any]) -> None:
            raw_body = response.get("body") or ""
            if response.get("isBase64Encoded"):
                payload = base64.b64decode(raw_body)
            else:
                payload = raw_body.encode("utf-8")
            self.send_response(int(response.get("statusCode", 200)))
            headers: dict[str, list[str]] = {k: [str(v)] for k, v in (response.get("headers") or {}).items()}
            for name, values in (response.get("multiValueHeaders") or {}).items():
                headers[name] = [str(v) for v in values]
            for name, values in headers.items():
                for value in values:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _send_json(self, status: int, body: dict[str, Any]) -> None:
            self._send_lambda_response({
                "statusCode": status,
                "headers": {"Content-Type": "application/json"},
                "body": json.dumps(body),
            })

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _serve

    return GatewayHandler


def start_gateway(port: int = 0) -> ThreadingHTTPServer:
    """Serve every API route of template.yaml on 127.0.0.1 (a free port when 0)."""
    request_handler = make_request_handler(api_routes(), binary_media_types())
    server = ThreadingHTTPServer(("127.0.0.1", port), request_handler)
    server.daemon_threads = True
    return server
