"""The code scan behind the template contract tests, on fixture code and on the real layer."""

from pathlib import Path

from tests.support.api_paths import api_paths_in_code, route_decorators
from tests.support.code_scan import Env, Field, scan_function, unknown_services

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "code_scan"
SHOP_FIELDS = {"orders", "customers"}
LEADLINE_FIELDS = {"numbers", "contractors", "routes", "leads", "settings"}


def accesses_of(function: str) -> set[tuple[str, object, str | None]]:
    result = scan_function(FIXTURES / "layer", FIXTURES / "functions" / function, SHOP_FIELDS)
    return {(access.action, access.target, access.index) for access in result.accesses}


def test_scan_orders_accesses() -> None:
    idempotency = Env("IDEMPOTENCY_TABLE")

    assert accesses_of("orders") == {
        ("dynamodb:GetItem", Field("customers"), None),
        ("dynamodb:PutItem", Field("orders"), None),
        ("dynamodb:Query", Field("orders"), "ByCustomer"),
        ("dynamodb:ConditionCheckItem", Field("customers"), None),
        ("dynamodb:GetItem", idempotency, None),
        ("dynamodb:PutItem", idempotency, None),
        ("dynamodb:UpdateItem", idempotency, None),
        ("dynamodb:DeleteItem", idempotency, None),
        ("sqs:SendMessage", Env("ORDERS_QUEUE_URL"), None),
        ("ses:SendRawEmail", None, None),
        ("ssm:GetParameter", Env("TOKEN_PARAMETER"), None),
    }


def test_scan_skips_unreached_functions() -> None:
    assert ("dynamodb:DeleteItem", Field("orders"), None) not in accesses_of("orders")


def test_scan_orders_env_metrics_services() -> None:
    result = scan_function(FIXTURES / "layer", FIXTURES / "functions" / "orders", SHOP_FIELDS)

    assert set(result.env_reads) == {"SENDER", "ORDERS_QUEUE_URL", "TOKEN_PARAMETER", "IDEMPOTENCY_TABLE"}
    assert result.metrics == {"OrderPlaced"}
    assert unknown_services(result) == {}
    assert result.problems == []


def test_scan_reports_unresolvable_calls() -> None:
    result = scan_function(FIXTURES / "layer", FIXTURES / "functions" / "opaque", SHOP_FIELDS)

    assert "app.lambda_handler: cannot tell which resource dynamodb:GetItem acts on" in result.problems
    assert "shop.records.scan_everything: cannot tell which resource dynamodb:Scan acts on" in result.problems
    assert unknown_services(result) == {"s3": "app.lambda_handler"}


def test_scan_real_layer_storage(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "from leadline.storage import config_tables, leads, routes\n\n\n"
        "def lambda_handler(event, context):\n"
        "    number = config_tables.get_tracking_number(event['To'])\n"
        "    config_tables.get_setting('agency')\n"
        "    route = routes.get_route(number['trade'], number['zip'])\n"
        "    leads.create_lead({'lead_id': event['CallSid']})\n"
        "    return leads.leads_for_contractor(route['contractor_id'], '', '')\n",
        encoding="utf-8",
    )

    result = scan_function(PROJECT_ROOT / "layers", tmp_path, LEADLINE_FIELDS)

    assert {(access.action, access.target, access.index) for access in result.accesses} == {
        ("dynamodb:GetItem", Field("numbers"), None),
        ("dynamodb:GetItem", Field("settings"), None),
        ("dynamodb:GetItem", Field("routes"), None),
        ("dynamodb:PutItem", Field("leads"), None),
        ("dynamodb:Query", Field("leads"), "ByContractor"),
    }
    assert result.problems == []


def test_api_paths_include_fstrings() -> None:
    paths = api_paths_in_code([FIXTURES / "functions"], {"orders"})

    assert set(paths) == {"/orders", "/orders/{}/items"}


def test_route_decorators_found() -> None:
    decorators = route_decorators([FIXTURES / "functions"])

    assert set(decorators) == {("POST", "/orders")}
