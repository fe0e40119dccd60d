"""The process that the benchmarks measure: one fresh interpreter per sample, as a cold Lambda.

Run by the parent benchmarks, never imported by them, and it imports nothing of Leadline's
before the measured import. Modes:

- ``import CODE_DIR LAYERS_DIR MODULE``: put the function's folder and layers/ first on
  sys.path, as Lambda does with the function's code and the layer, and import MODULE. Then
  print the CPU seconds of the import (``time.process_time``), the number of modules it loaded
  and the peak RSS in KiB.
  CODE_DIR ``-`` leaves the function's folder out (for the ``import boto3`` reference).
- ``invoke SPEC RESULT``: import the handler, send the spec's requests to it in order and write
  per request the response status, the DynamoDB calls counted with botocore's before-call and
  after-call events, and the peak RSS so far.
- ``warm SPEC RESULT``: import the handler, return a canned response to every AWS request
  in the process, send the spec's requests and write the CPU seconds of each.
- ``attribute SPEC RESULT``: import the handler, then create the listed boto3 clients and
  import the listed modules, writing the peak RSS after each step.
"""

import sys
import time


def measure_import(code_dir: str, layers_dir: str, module: str) -> None:
    paths = [layers_dir] if code_dir == "-" else [code_dir, layers_dir]
    sys.path[:0] = paths
    before = len(sys.modules)
    started = time.process_time()
    __import__(module)
    cpu = time.process_time() - started
    print(f"{cpu:.6f} {len(sys.modules) - before} {peak_rss_kib()}")


def peak_rss_kib() -> int:
    """Return this process's peak resident set size (VmHWM) in KiB.

    ``getrusage().ru_maxrss`` is not used: Linux carries the forking parent's peak over
    ``execve`` into it, so a child of a large parent reports at least the parent's size.
    """
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("VmHWM not found in /proc/self/status: the RSS figures need Linux")


if __name__ == "__main__" and sys.argv[1] == "import":
    measure_import(sys.argv[2], sys.argv[3], sys.argv[4])
    sys.exit(0)


import hashlib  # noqa: E402 - the import mode above must run before any other import
import importlib  # noqa: E402
import importlib.abc  # noqa: E402
import importlib.machinery  # noqa: E402
import json  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from types import ModuleType  # noqa: E402
from typing import Any  # noqa: E402

KIB_PER_MB = 1024


def peak_rss_mb() -> float:
    """Return this process's peak resident set size so far, in MB."""
    return peak_rss_kib() / KIB_PER_MB


class LambdaContext:
    """The attributes of Lambda's context object that Powertools reads."""

    def __init__(self, function_name: str) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}"
        self.memory_limit_in_mb = 256
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "bench"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


def load_handler(spec: dict[str, Any]) -> Callable[[dict[str, Any], Any], Any]:
    sys.path[:0] = [spec["code_dir"], spec["layers_dir"]]
    module = importlib.import_module(spec["module"])
    handler: Callable[[dict[str, Any], Any], Any] = getattr(module, spec["function"])
    return handler


class DynamoDBCounter:
    """Count each DynamoDB call and the items it read, from botocore's client events."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.services: list[str] = []

    def take_services(self) -> list[str]:
        services, self.services = self.services, []
        return services

    def before_call(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        body = params.get("body") or b"{}"
        request = json.loads(body) if body else {}
        table = request.get("TableName")
        if table is None:
            # Transactions and batches name their tables per item.
            tables = [next(iter(item.values())).get("TableName") for item in request.get("TransactItems", [])]
            tables += list(request.get("RequestItems", {}))
            table = "+".join(dict.fromkeys(name for name in tables if name)) or None
        self.calls.append({"operation": model.name, "table": table, "index": request.get("IndexName")})

    def after_call(self, model: Any, parsed: dict[str, Any], **_: Any) -> None:
        call = self.calls[-1]
        call["items"] = items_read(model.name, parsed)
        call["error"] = (parsed.get("Error") or {}).get("Code")

    def take(self) -> list[dict[str, Any]]:
        calls, self.calls = self.calls, []
        return calls


def items_read(operation: str, parsed: dict[str, Any]) -> int:
    """Return the items a response returned: Count for Query and Scan, 0 or 1 for GetItem."""
    if operation in ("Query", "Scan"):
        return int(parsed.get("ScannedCount", parsed.get("Count", 0)))
    if operation == "GetItem":
        return 1 if parsed.get("Item") else 0
    if operation == "BatchGetItem":
        return sum(len(items) for items in (parsed.get("Responses") or {}).values())
    return 0


def count_dynamodb_calls() -> DynamoDBCounter:
    """Register the counter on boto3's default session, which Leadline's clients come from.

    Every API call of every session (Powertools' SSM client has its own) is also listed by
    service, through botocore's ``BaseClient._make_api_call``.
    """
    import boto3
    from botocore.client import BaseClient

    counter = DynamoDBCounter()
    boto3.setup_default_session()
    session = boto3.DEFAULT_SESSION
    assert session is not None
    session.events.register("before-call.dynamodb", counter.before_call)
    session.events.register("after-call.dynamodb", counter.after_call)

    make_api_call = BaseClient._make_api_call  # type: ignore[attr-defined]

    def listed_api_call(client: Any, operation_name: str, api_params: dict[str, Any]) -> Any:
        counter.services.append(f"{client.meta.service_model.service_name} {operation_name}")
        return make_api_call(client, operation_name, api_params)

    BaseClient._make_api_call = listed_api_call  # type: ignore[attr-defined]
    return counter


class TwilioHttpStub(importlib.abc.MetaPathFinder):
    """Return canned responses to Twilio REST calls, patched in when Twilio's HTTP client loads.

    So the SMS paths import and run Twilio's REST client as they do in Lambda, and a function
    that never sends an SMS does not pay for the stub's imports.
    """

    MODULE = "twilio.http.http_client"

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != self.MODULE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        loader = spec.loader
        original_exec = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            original_exec(module)
            patch_twilio_client(module)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def patch_twilio_client(module: ModuleType) -> None:
    from twilio.http.response import Response

    def request(self: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        body = {
            "sid": "SM" + uuid.uuid4().hex,
            "status": "queued",
            "to": (kwargs.get("data") or {}).get("To"),
            "body": (kwargs.get("data") or {}).get("Body"),
        }
        return Response(201, json.dumps(body), {"Content-Type": "application/json"})

    module.TwilioHttpClient.request = request


def run_attribute(spec: dict[str, Any]) -> dict[str, Any]:
    """Import the handler, then redo the first request's loading step by step, with the peak RSS after each.

    The steps are the boto3 clients of the services the request called, in order, then the
    modules it loaded, one top-level package at a time.
    """
    import boto3

    steps = []
    load_handler(spec)
    steps.append(("handler import", peak_rss_mb()))
    for service in spec["services"]:
        boto3.client(service)
        steps.append((f"boto3 client: {service}", peak_rss_mb()))
    by_package: dict[str, list[str]] = {}
    for name in spec["modules"]:
        by_package.setdefault(name.split(".")[0], []).append(name)
    for package, names in sorted(by_package.items(), key=lambda pair: -len(pair[1])):
        for name in sorted(names, key=lambda module: module.count(".")):
            try:
                importlib.import_module(name)
            except Exception:  # noqa: S112 - a module that imports only in its parent's context is skipped
                continue
        steps.append((f"import {package} ({len(names)} modules)", peak_rss_mb()))
    return {"steps": steps}


def run_invoke(spec: dict[str, Any]) -> dict[str, Any]:
    if spec.get("stub_twilio"):
        sys.meta_path.insert(0, TwilioHttpStub())
    counter = count_dynamodb_calls()
    started = time.process_time()
    handler = load_handler(spec)
    import_cpu = time.process_time() - started
    result: dict[str, Any] = {"import_cpu": import_cpu, "rss_after_import_mb": peak_rss_mb(), "requests": []}
    counter.take()
    counter.take_services()

    context = LambdaContext(spec["logical_id"])
    for request in spec["requests"]:
        modules_before = set(sys.modules)
        started = time.process_time()
        try:
            response = handler(request["event"], context)
            failure = None
        except Exception as error:  # reported to the parent, which marks the request as failed
            response, failure = None, f"{type(error).__name__}: {error}"
        result["requests"].append(
            {
                "name": request["name"],
                "cpu": time.process_time() - started,
                "status": response.get("statusCode") if isinstance(response, dict) else None,
                "body": response.get("body") if isinstance(response, dict) else None,
                "response": response if isinstance(response, dict) and "statusCode" not in response else None,
                "raised": failure,
                "dynamodb": counter.take(),
                "services": counter.take_services(),
                "new_modules": packages_of(set(sys.modules) - modules_before),
                "new_module_names": sorted(set(sys.modules) - modules_before) if not result["requests"] else [],
                "peak_rss_mb": peak_rss_mb(),
            }
        )
    return result


def packages_of(modules: set[str]) -> dict[str, int]:
    """Return how many of ``modules`` each top-level package has."""
    counts: dict[str, int] = {}
    for name in modules:
        package = name.split(".")[0]
        counts[package] = counts.get(package, 0) + 1
    return counts


class CannedAws:
    """Return canned responses to every AWS request, built from a snapshot of the tables.

    Installed in place of botocore's ``Endpoint._send``, the step that a before-send hook
    short-circuits, so requests are still serialised, signed and parsed as usual, for every
    client of every session (Powertools' SSM client has a session of its own).
    """

    def __init__(self, items: dict[str, dict[str, Any]], parameters: dict[str, str]) -> None:
        self.items = items
        self.parameters = parameters
        self.operations: list[str] = []

    def send(self, request: Any) -> Any:
        target = request.headers.get("X-Amz-Target", b"")
        target = target.decode() if isinstance(target, bytes) else str(target)
        operation = target.rpartition(".")[2]
        self.operations.append(operation)
        body = json.loads(request.body or b"{}")
        if target.startswith("DynamoDB_"):
            return self.respond(self.dynamodb(operation, body))
        if target.startswith("AmazonSSM.") and operation == "GetParameter":
            value = self.parameters[body["Name"]]
            parameter = {"Name": body["Name"], "Type": "SecureString", "Value": value, "Version": 1}
            return self.respond({"Parameter": parameter})
        if target.startswith("AmazonSQS.") and operation == "SendMessage":
            digest = hashlib.md5(body["MessageBody"].encode(), usedforsecurity=False).hexdigest()
            return self.respond({"MessageId": str(uuid.uuid4()), "MD5OfMessageBody": digest})
        raise RuntimeError(f"no canned response for {request.url} {target}")

    def dynamodb(self, operation: str, body: dict[str, Any]) -> dict[str, Any]:
        if operation == "GetItem":
            item = self.items.get(item_key(body["TableName"], body["Key"]))
            return {"Item": item} if item else {}
        if operation in ("PutItem", "UpdateItem", "DeleteItem"):
            return {}
        if operation in ("Query", "Scan"):
            return {"Items": [], "Count": 0, "ScannedCount": 0}
        raise RuntimeError(f"no canned response for DynamoDB {operation}")

    @staticmethod
    def respond(payload: dict[str, Any]) -> Any:
        from botocore.awsrequest import AWSResponse

        class Raw:
            def __init__(self, data: bytes) -> None:
                self.data = data

            def stream(self, **_: Any) -> Any:
                yield self.data

        headers = {"Content-Type": "application/x-amz-json-1.0"}
        return AWSResponse("http://127.0.0.1/canned", 200, headers, Raw(json.dumps(payload).encode()))  # type: ignore[arg-type]


def item_key(table: str, key: dict[str, Any]) -> str:
    """Return one string for a table and an item key in DynamoDB JSON, whatever the key order."""
    return table + "|" + json.dumps(key, sort_keys=True)


def reference_loop() -> float:
    """Return the CPU seconds of a fixed pure-Python workload, to compare runs on noisy hosts."""
    started = time.process_time()
    table: dict[str, int] = {}
    for number in range(20_000):
        table[str(number)] = len(str(number * number))
    sorted(table.items(), key=lambda pair: (pair[1], pair[0]))
    return time.process_time() - started


def run_warm(spec: dict[str, Any]) -> dict[str, Any]:
    from botocore.endpoint import Endpoint

    canned = CannedAws(spec["items"], spec["parameters"])
    Endpoint._send = lambda self, request: canned.send(request)  # type: ignore[attr-defined]
    handler = load_handler(spec)
    context = LambdaContext(spec["logical_id"])
    samples = []
    references = []
    for request in spec["requests"]:
        canned.operations.clear()
        started = time.process_time()
        response = handler(request["event"], context)
        cpu = time.process_time() - started
        samples.append(
            {
                "cpu": cpu,
                "status": response.get("statusCode"),
                "body": response.get("body"),
                "operations": list(canned.operations),
            }
        )
        references.append(reference_loop())
    return {"samples": samples, "references": references}


def main() -> None:
    mode, spec_path, result_path = sys.argv[1:4]
    with open(spec_path, encoding="utf-8") as handle:
        spec = json.load(handle)
    runners = {"invoke": run_invoke, "warm": run_warm, "attribute": run_attribute}
    result = runners[mode](spec)
    with open(result_path, "w", encoding="utf-8") as handle:
        json.dump(result, handle, default=str)


if __name__ == "__main__":
    main()
