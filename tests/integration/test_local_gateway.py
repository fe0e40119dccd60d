"""The local API Gateway stand-in sends REST proxy events shaped as API Gateway sends them."""

import base64
import json
import threading
import urllib.request
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from leadline.local.gateway import build_rest_event, make_request_handler
from leadline.local.template import ApiRoute, api_routes, binary_media_types, table_definitions

ECHO_HANDLER = '''
import json

def lambda_handler(event, context):
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]},
        "body": json.dumps({"event": event, "function": context.function_name}),
    }
'''

REST_EVENT_KEYS = {
    "resource", "path", "httpMethod", "headers", "multiValueHeaders", "queryStringParameters",
    "multiValueQueryStringParameters", "pathParameters", "stageVariables", "requestContext", "body",
    "isBase64Encoded",
}


@pytest.fixture
def echo_gateway(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "app.py").write_text(ECHO_HANDLER)
    routes = [
        ApiRoute("POST", "/leads", "EchoFunction", tmp_path, "app.lambda_handler"),
        ApiRoute("POST", "/leads/{id}/outcome", "EchoFunction", tmp_path, "app.lambda_handler"),
    ]
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_request_handler(routes, ["image/png"]))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def post(url: str, body: bytes, content_type: str) -> tuple[int, dict[str, object], dict[str, str]]:
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), dict(error.headers)


def test_event_has_rest_proxy_shape() -> None:
    event = build_rest_event(
        "post", "/twilio/voice", headers=[("X-Twilio-Signature", "abc"), ("Accept", "a"), ("Accept", "b")],
        body="To=%2B1&From=", query="x=1&x=2",
    )
    assert set(event) == REST_EVENT_KEYS
    assert event["httpMethod"] == "POST"
    assert event["headers"]["Accept"] == "b"
    assert event["multiValueHeaders"]["Accept"] == ["a", "b"]
    assert event["multiValueQueryStringParameters"] == {"x": ["1", "2"]}
    assert event["requestContext"]["stage"] == "live"
    assert event["requestContext"]["path"] == "/live/twilio/voice"
    assert event["isBase64Encoded"] is False
    assert event["body"] == "To=%2B1&From="


def test_event_base64_body_round_trips() -> None:
    raw = "name=José 🏠".encode()
    event = build_rest_event("POST", "/leads", body=raw, base64_body=True)
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == raw


def test_gateway_passes_text_body_and_path_parameters(echo_gateway: str) -> None:
    status, payload, _ = post(f"{echo_gateway}/leads/form-123/outcome?debug=1", b'{"a": 1}', "application/json")
    event = payload["event"]
    assert status == 200
    assert payload["function"] == "EchoFunction"
    assert event["resource"] == "/leads/{id}/outcome"
    assert event["pathParameters"] == {"id": "form-123"}
    assert event["queryStringParameters"] == {"debug": "1"}
    assert event["body"] == '{"a": 1}'
    assert event["isBase64Encoded"] is False
    assert event["requestContext"]["identity"]["sourceIp"] == "127.0.0.1"


def test_gateway_base64_encodes_binary_media_types(echo_gateway: str) -> None:
    raw = b"\x89PNG\r\n"
    status, payload, _ = post(f"{echo_gateway}/leads", raw, "image/png")
    assert status == 200
    assert payload["event"]["isBase64Encoded"] is True
    assert base64.b64decode(payload["event"]["body"]) == raw


def test_gateway_answers_unknown_route_as_api_gateway(echo_gateway: str) -> None:
    status, payload, _ = post(f"{echo_gateway}/nowhere", b"", "text/plain")
    assert status == 403
    assert payload == {"message": "Missing Authentication Token"}


def test_gateway_sends_multi_value_headers(echo_gateway: str) -> None:
    request = urllib.request.Request(f"{echo_gateway}/leads", data=b"{}", method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        cookies = response.headers.get_all("Set-Cookie")
    assert cookies == ["a=1", "b=2"]


def test_template_routes_and_tables_are_read() -> None:
    paths = {(route.method, route.path) for route in api_routes()}
    assert ("POST", "/twilio/voice") in paths
    assert ("POST", "/leads") in paths
    tables = table_definitions()
    assert tables["RoutesTable"]["KeySchema"][0] == {"AttributeName": "trade", "KeyType": "HASH"}
    assert {index["IndexName"] for index in tables["LeadsTable"]["GlobalSecondaryIndexes"]} >= {"ByContractor"}
    assert isinstance(binary_media_types(), list)
