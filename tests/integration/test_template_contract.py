"""template.yaml against the code: routes, tables, environment, permissions and operations.

Routes and permissions are derived from the code, not listed here: `tests/support/code_scan.py`
walks each function's calls into the layer and records the AWS actions, tables, indexes and
environment variables they use. Permissions are read from the template as the SAM translator
expands it (`tools/translate_template.py`, run in .venv-tools), so SAM policy templates count
exactly as CloudFormation will create them.
"""

import json
import re
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from leadline.local.template import api_routes, load_template
from leadline.settings import TABLE_ENV_VARS, TableNames
from tests.support.api_paths import api_paths_in_code, route_decorators
from tests.support.code_scan import Access, Env, Field, ScanResult, scan_function
from tests.support.code_scan import unknown_services as unknown_services_of
from tests.support.iam import ACCOUNT, REGION, TemplateRenderer, function_role_id, is_allowed, role_statements

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LAYER_ROOT = PROJECT_ROOT / "layers"
TOOLS_PYTHON = PROJECT_ROOT / ".venv-tools" / "bin" / "python"
TABLE_FIELDS = set(TABLE_ENV_VARS)

# The SES sender the permission checks assume; SenderEmail has no default.
PARAMETER_VALUES = {"SenderEmail": "reports@porchlight-leads.example"}

# Variables the code reads that the template must not set: local-mode switches, the demo's
# fixed clock and the auth token itself, which Lambda reads from SSM instead of the environment.
LOCAL_ONLY_ENV_VARS = {
    "LEADLINE_LOCAL",
    "LEADLINE_SMS_OUTBOX",
    "LEADLINE_CLOCK_OVERRIDE",
    "TWILIO_AUTH_TOKEN",
    "AWS_ENDPOINT_URL",
}
# Set by the Lambda runtime itself.
RUNTIME_ENV_PREFIXES = ("AWS_", "LAMBDA_", "_HANDLER", "POWERTOOLS_")

# Output URLs whose routes come with flows that may not be in the template yet. Each case skips,
# naming the route, while the route is missing; once the route exists the check applies.
PENDING_OUTPUT_ROUTES = {"/twilio/voice/fallback", "/leads/{}/outcome"}

DATA_SERVICES = ("dynamodb", "sqs", "sns", "s3", "ssm", "secretsmanager", "ses", "kms")
SES_SEND_ACTIONS = {"ses:SendEmail", "ses:SendRawEmail"}
# US daylight-saving changes happen at 02:00 local time, so a run between 01:00 and 03:00 can be
# skipped or repeated.
UNSAFE_SCHEDULE_HOURS = {1, 2}


def resources_of_type(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {key: value for key, value in template["Resources"].items() if value["Type"] == resource_type}


@cache
def template() -> dict[str, Any]:
    return load_template()


def functions() -> dict[str, dict[str, Any]]:
    return resources_of_type(template(), "AWS::Serverless::Function")


def function_ids() -> list[str]:
    return sorted(functions())


def function_environment(function_id: str) -> dict[str, Any]:
    """Return a function's environment variables with the Globals applied."""
    globals_env = (
        template().get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})
    )
    own = functions()[function_id]["Properties"].get("Environment", {}).get("Variables", {})
    return {**globals_env, **own}


def code_dir(function_id: str) -> Path:
    return PROJECT_ROOT / functions()[function_id]["Properties"]["CodeUri"]


def is_placeholder(function_id: str) -> bool:
    return any(
        "IS_PLACEHOLDER = True" in path.read_text(encoding="utf-8")
        for path in code_dir(function_id).glob("*.py")
    )


@cache
def scan(function_id: str) -> ScanResult:
    return scan_function(LAYER_ROOT, code_dir(function_id), TABLE_FIELDS)


@cache
def translated_template() -> dict[str, Any]:
    if not TOOLS_PYTHON.exists():
        pytest.skip(f"{TOOLS_PYTHON.parent.parent.name} is missing; `make tools` (or `make test`) creates it")
    completed = subprocess.run(
        [str(TOOLS_PYTHON), str(PROJECT_ROOT / "tools" / "translate_template.py"), "template.yaml"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def normalise_path(path: str) -> str:
    """Replace each path parameter with ``{}``: API Gateway's ``{id}`` and Powertools' ``<lead_id>``.

    Powertools matches its routes against the request path, not API Gateway's resource, so the
    two may name one parameter differently.
    """
    return re.sub(r"\{[^}]*\}|<[^>]*>", "{}", path.rstrip("/") or "/")


def template_paths() -> set[str]:
    return {normalise_path(route.path) for route in api_routes()}


# Routes


def test_code_api_paths_exist_in_template() -> None:
    prefixes = {route.path.strip("/").split("/")[0] for route in api_routes()}
    found = api_paths_in_code([PROJECT_ROOT / "functions", LAYER_ROOT / "leadline"], prefixes)

    missing = {path: where for path, where in found.items() if normalise_path(path) not in template_paths()}

    assert not missing, f"paths used in code but not routed in template.yaml: {missing}"


@pytest.mark.parametrize("function_id", function_ids())
def test_route_decorators_match_events(function_id: str) -> None:
    events = {
        (route.method, normalise_path(route.path))
        for route in api_routes()
        if route.function_id == function_id
    }
    decorated = route_decorators([code_dir(function_id)])

    missing = {
        key: where for key, where in decorated.items() if (key[0], normalise_path(key[1])) not in events
    }

    assert not missing, f"{function_id} serves routes that are not its Api events: {missing}"


def test_layer_route_decorators_are_routed() -> None:
    events = {(route.method, normalise_path(route.path)) for route in api_routes()}
    decorated = route_decorators([LAYER_ROOT / "leadline"])

    missing = {
        key: where for key, where in decorated.items() if (key[0], normalise_path(key[1])) not in events
    }

    assert not missing, f"routes declared in the layer but not in template.yaml: {missing}"


def url_output_paths() -> dict[str, str]:
    """Return {output key: route path} for every output built as ``${Base}/path``."""
    paths = {}
    for key, output in template()["Outputs"].items():
        value = output["Value"]
        text = value.get("Fn::Sub") if isinstance(value, dict) else None
        text = text[0] if isinstance(text, list) else text
        if isinstance(text, str) and text.startswith("${Base}/"):
            paths[key] = normalise_path(text.removeprefix("${Base}"))
    return paths


def test_url_outputs_exist() -> None:
    assert {"TwilioVoiceUrl", "TwilioVoiceFallbackUrl", "LeadFormUrl", "LeadOutcomeUrl"} <= set(
        url_output_paths()
    )


@pytest.mark.parametrize("output_key", sorted(url_output_paths()))
def test_url_output_points_at_route(output_key: str) -> None:
    path = url_output_paths()[output_key]
    if path not in template_paths() and path in PENDING_OUTPUT_ROUTES:
        pytest.skip(f"output {output_key}: route {path} is not in template.yaml yet")

    assert path in template_paths(), f"output {output_key} points at {path}, which no Api event serves"


# Tables


def test_every_table_name_has_resource() -> None:
    tables = resources_of_type(template(), "AWS::DynamoDB::Table")

    for field_name, logical_id in vars(TableNames()).items():
        assert logical_id in tables, f"TableNames.{field_name} names {logical_id}, which template.yaml lacks"


@pytest.mark.parametrize("function_id", function_ids())
def test_function_gets_table_env_vars(function_id: str) -> None:
    environment = function_environment(function_id)

    for field_name, variable in TABLE_ENV_VARS.items():
        logical_id = getattr(TableNames(), field_name)
        assert environment.get(variable) == {"Ref": logical_id}, (
            f"{function_id}: {variable} is not !Ref {logical_id}"
        )


def test_tables_have_point_in_time_recovery() -> None:
    for logical_id, table in resources_of_type(template(), "AWS::DynamoDB::Table").items():
        recovery = table["Properties"].get("PointInTimeRecoverySpecification", {})
        assert recovery.get("PointInTimeRecoveryEnabled") is True, (
            f"{logical_id} has no point-in-time recovery"
        )


def test_tables_bill_on_demand() -> None:
    for logical_id, table in resources_of_type(template(), "AWS::DynamoDB::Table").items():
        assert table["Properties"].get("BillingMode") == "PAY_PER_REQUEST", logical_id


def test_ttl_specifications_are_complete() -> None:
    for logical_id, table in resources_of_type(template(), "AWS::DynamoDB::Table").items():
        specification = table["Properties"].get("TimeToLiveSpecification")
        if specification is None:
            continue
        assert specification.get("Enabled") is True, f"{logical_id}: TimeToLiveSpecification is not enabled"
        assert specification.get("AttributeName"), (
            f"{logical_id}: TimeToLiveSpecification lacks AttributeName"
        )


@pytest.mark.parametrize("function_id", function_ids())
def test_idempotency_tables_expire_records(function_id: str) -> None:
    """Powertools idempotency records carry an `expiration` attribute that TTL must delete."""
    idempotency = {
        access.target for access in scan(function_id).accesses if access.action == "dynamodb:DeleteItem"
    }
    for target in idempotency:
        if not isinstance(target, Env):
            continue
        logical_id = function_environment(function_id).get(target.variable, {}).get("Ref")
        table = template()["Resources"].get(logical_id, {})
        if table.get("Type") != "AWS::DynamoDB::Table":
            continue
        specification = table["Properties"].get("TimeToLiveSpecification", {})
        assert specification.get("Enabled") is True, f"{logical_id} holds expiring records but has no TTL"


# Environment


@pytest.mark.parametrize("function_id", function_ids())
def test_env_vars_read_by_code_are_set(function_id: str) -> None:
    environment = function_environment(function_id)
    reads = scan(function_id).env_reads

    missing = {
        variable: where
        for variable, where in reads.items()
        if variable not in environment
        and variable not in LOCAL_ONLY_ENV_VARS
        and not variable.startswith(RUNTIME_ENV_PREFIXES)
    }

    assert not missing, f"{function_id} reads environment variables the template does not set: {missing}"


def test_local_only_env_vars_stay_unset() -> None:
    for function_id in function_ids():
        leaked = LOCAL_ONLY_ENV_VARS & set(function_environment(function_id))
        assert not leaked, f"{function_id} sets local-only variables {leaked}"


# Permissions


def required_resource(function_id: str, access: Access, renderer: TemplateRenderer) -> str | None:
    """Return the example ARN an access needs, or None when the template cannot name it."""
    if access.target is None:
        return f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/{PARAMETER_VALUES['SenderEmail']}"
    if isinstance(access.target, Field):
        logical_id = getattr(TableNames(), access.target.name)
        arn = renderer.arn(logical_id)
        return f"{arn}/index/{access.index}" if access.index else arn
    value = function_environment(function_id).get(access.target.variable)
    if value is None:
        return None
    if access.action.startswith("ssm:"):
        name = str(renderer.render(value))
        return f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter{name if name.startswith('/') else '/' + name}"
    if access.action.startswith("secretsmanager:"):
        return f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{renderer.render(value)}-AbCdEf"
    if isinstance(value, dict) and "Ref" in value and value["Ref"] in template()["Resources"]:
        arn = renderer.arn(value["Ref"])
        return f"{arn}/index/{access.index}" if access.index else arn
    return None


@pytest.mark.parametrize("function_id", function_ids())
def test_function_scan_is_complete(function_id: str) -> None:
    result = scan(function_id)

    assert not result.problems, f"{function_id}: the code scan cannot check: {result.problems}"
    assert not unknown_services_of(result), f"{function_id} calls services the scan cannot check"


def missing_permissions(function_id: str, accesses: set[Access]) -> list[str]:
    """Return one line per access that the function's role does not allow."""
    translated = translated_template()
    renderer = TemplateRenderer(translated, PARAMETER_VALUES)
    statements = role_statements(translated, function_role_id(translated, function_id), renderer)

    missing = []
    for access in sorted(accesses, key=str):
        resource = required_resource(function_id, access, renderer)
        if resource is None:
            missing.append(
                f"{access.where}: {access.action} on {access.target}, which the template does not name"
            )
        elif not is_allowed(statements, access.action, resource):
            missing.append(f"{access.where}: {access.action} on {resource}")
    return missing


@pytest.mark.parametrize("function_id", function_ids())
def test_function_policies_cover_code(function_id: str) -> None:
    missing = missing_permissions(function_id, scan(function_id).accesses)

    assert not missing, f"{function_id}'s role does not allow:\n  " + "\n  ".join(missing)


def test_policy_check_reports_missing_grant(tmp_path: Path) -> None:
    """The voice function may not query leads by contractor; code that does must fail the check."""
    (tmp_path / "app.py").write_text(
        "from leadline.storage import leads\n\n\n"
        "def lambda_handler(event, context):\n"
        "    leads.create_lead(event)\n"
        "    return leads.leads_for_contractor(event['id'], '', '')\n",
        encoding="utf-8",
    )
    accesses = scan_function(LAYER_ROOT, tmp_path, TABLE_FIELDS).accesses

    missing = missing_permissions("InboundCallFunction", accesses)

    expected = f"dynamodb:Query on arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/LeadsTable/index/ByContractor"
    assert missing == [f"leadline.storage.leads.leads_for_contractor: {expected}"]


def granted_needs(function_id: str, accesses: set[Access], renderer: TemplateRenderer) -> set[tuple[str, str]]:
    """Return the (lowercase action, resource) pairs a function's role may grant for ``accesses``.

    A send from SES may be authorised on the sender's address or on its domain, whichever is the
    verified identity. A raw SESv2 send may hold both SES send actions, as the email identity
    grant of aws-cdk-lib 2.246.0 (aws-ses/grants.json) does. The OnFailure queue of asynchronous
    invocations is SAM's grant, not the code's.
    """
    needs = set()
    for access in accesses:
        resource = required_resource(function_id, access, renderer)
        if resource is None:
            continue
        if access.action in SES_SEND_ACTIONS:
            domain = resource.rpartition("@")[2]
            identities = {resource, f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/{domain}"}
            needs |= {(action.lower(), identity) for action in SES_SEND_ACTIONS for identity in identities}
        else:
            needs.add((access.action.lower(), resource))
    invoke_config = functions()[function_id]["Properties"].get("EventInvokeConfig", {})
    destination = invoke_config.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
    if destination is not None:
        needs.add(("sqs:sendmessage", str(renderer.render(destination))))
    return needs


def unused_permissions(function_id: str, accesses: set[Access]) -> list[str]:
    """Return one line per data action and resource the role allows that ``accesses`` do not need."""
    translated = translated_template()
    renderer = TemplateRenderer(translated, PARAMETER_VALUES)
    needs = granted_needs(function_id, accesses, renderer)

    unused = []
    for statement in role_statements(translated, function_role_id(translated, function_id), renderer):
        if statement.effect != "Allow":
            continue
        for action in statement.actions:
            if action.partition(":")[0] not in DATA_SERVICES:
                continue
            unused += [
                f"{action} on {resource}"
                for resource in statement.resources
                if (action.lower(), resource) not in needs
            ]
    return unused


@pytest.mark.parametrize("function_id", function_ids())
def test_function_policies_grant_only_code_needs(function_id: str) -> None:
    unused = unused_permissions(function_id, scan(function_id).accesses)

    assert not unused, f"{function_id}'s role allows what its code never does:\n  " + "\n  ".join(unused)


def test_unused_grant_check_reports_extra(tmp_path: Path) -> None:
    """Code that only creates a call lead must leave the voice function's other grants unused."""
    (tmp_path / "app.py").write_text(
        "from leadline.storage import leads\n\n\n"
        "def lambda_handler(event, context):\n"
        "    return leads.create_lead(event)\n",
        encoding="utf-8",
    )
    accesses = scan_function(LAYER_ROOT, tmp_path, TABLE_FIELDS).accesses

    unused = unused_permissions("InboundCallFunction", accesses)

    table_arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table"
    assert f"dynamodb:GetItem on {table_arn}/NumbersTable" in unused
    assert f"dynamodb:UpdateItem on {table_arn}/LeadsTable" in unused
    assert f"dynamodb:PutItem on {table_arn}/LeadsTable" not in unused


@pytest.mark.parametrize("function_id", function_ids())
def test_function_policies_avoid_wildcards(function_id: str) -> None:
    translated = translated_template()
    renderer = TemplateRenderer(translated, PARAMETER_VALUES)

    for statement in role_statements(translated, function_role_id(translated, function_id), renderer):
        for action in statement.actions:
            service, _, name = action.partition(":")
            assert action != "*", f"{function_id} allows every action"
            if service not in DATA_SERVICES:
                continue
            assert "*" not in name, f"{function_id} allows {action}"
            assert "*" not in statement.resources, f"{function_id} allows {action} on every resource"


# Operations


@pytest.mark.parametrize("function_id", function_ids())
def test_function_has_description(function_id: str) -> None:
    assert functions()[function_id]["Properties"].get("Description"), f"{function_id} has no Description"


@pytest.mark.parametrize("function_id", function_ids())
def test_function_logs_to_retained_group(function_id: str) -> None:
    logging_config = functions()[function_id]["Properties"].get("LoggingConfig", {})
    log_group_id = logging_config.get("LogGroup", {}).get("Ref")

    assert log_group_id, f"{function_id} has no LoggingConfig.LogGroup"
    log_group = template()["Resources"][log_group_id]
    assert log_group["Type"] == "AWS::Logs::LogGroup"
    assert log_group["Properties"].get("RetentionInDays"), f"{log_group_id} keeps logs forever"


def alarm_metrics() -> list[dict[str, Any]]:
    return [alarm["Properties"] for alarm in resources_of_type(template(), "AWS::CloudWatch::Alarm").values()]


@pytest.mark.parametrize("function_id", function_ids())
@pytest.mark.parametrize("metric", ["Errors", "Throttles"])
def test_function_has_alarm(function_id: str, metric: str) -> None:
    dimensions = [{"Name": "FunctionName", "Value": {"Ref": function_id}}]
    alarms = [
        alarm
        for alarm in alarm_metrics()
        if alarm.get("Namespace") == "AWS/Lambda"
        and alarm.get("MetricName") == metric
        and alarm.get("Dimensions") == dimensions
    ]

    assert alarms, f"{function_id} has no {metric} alarm"


def test_alarms_notify_topic() -> None:
    for alarm in alarm_metrics():
        assert {"Ref": "AlarmTopic"} in alarm.get("AlarmActions", []), alarm.get("MetricName")


def powertools_dimensions() -> tuple[str, list[list[str]], dict[str, str]]:
    """Return the namespace, dimension sets and dimension values Powertools emits."""
    from leadline.observability import metrics

    probe = {"Probe": {"Unit": "Count", "Value": [1.0], "StorageResolution": 60}}
    document = metrics.serialize_metric_set(metrics=probe)
    directive = document["_aws"]["CloudWatchMetrics"][0]
    values = {name: document[name] for dimension_set in directive["Dimensions"] for name in dimension_set}
    return directive["Namespace"], directive["Dimensions"], values


def test_custom_metric_alarms_match_powertools() -> None:
    namespace, dimension_sets, values = powertools_dimensions()
    globals_env = template()["Globals"]["Function"]["Environment"]["Variables"]
    expected = [{"Name": name, "Value": values[name]} for name in dimension_sets[0]]

    assert globals_env["POWERTOOLS_METRICS_NAMESPACE"] == namespace
    assert globals_env["POWERTOOLS_SERVICE_NAME"] == values.get("service")
    for alarm in alarm_metrics():
        if alarm["Namespace"] != namespace:
            continue
        assert alarm.get("Dimensions") == expected, (
            f"{alarm['MetricName']} alarm never matches Powertools' metric"
        )


def test_alarmed_metrics_are_emitted() -> None:
    namespace, _, _ = powertools_dimensions()
    watched = {alarm["MetricName"] for alarm in alarm_metrics() if alarm["Namespace"] == namespace}
    emitted = set().union(*(scan(function_id).metrics for function_id in function_ids()))
    placeholders = [function_id for function_id in function_ids() if is_placeholder(function_id)]

    missing = watched - emitted
    if missing and placeholders:
        pytest.skip(f"no code emits {sorted(missing)} yet; {placeholders} are placeholder handlers")
    assert not missing, f"alarms watch metrics no function emits: {sorted(missing)}"


def scheduled_function_ids() -> set[str]:
    targets = set()
    for schedule in resources_of_type(template(), "AWS::Scheduler::Schedule").values():
        arn = schedule["Properties"]["Target"]["Arn"]
        if isinstance(arn, dict) and "Fn::GetAtt" in arn:
            targets.add(
                str(
                    arn["Fn::GetAtt"].split(".")[0]
                    if isinstance(arn["Fn::GetAtt"], str)
                    else arn["Fn::GetAtt"][0]
                )
            )
    for function_id, function in functions().items():
        if any(
            event["Type"] in ("Schedule", "ScheduleV2")
            for event in function["Properties"].get("Events", {}).values()
        ):
            targets.add(function_id)
    return targets


def test_scheduled_functions_have_failure_destination() -> None:
    assert scheduled_function_ids(), "template.yaml schedules no function"
    for function_id in scheduled_function_ids():
        config = functions()[function_id]["Properties"].get("EventInvokeConfig", {})
        assert "MaximumRetryAttempts" in config, f"{function_id}: async retries are not set"
        assert "MaximumEventAgeInSeconds" in config, f"{function_id}: event age is not set"
        assert config.get("DestinationConfig", {}).get("OnFailure"), (
            f"{function_id} has no OnFailure destination"
        )


def test_schedules_run_outside_dst_hours() -> None:
    parameters = template()["Parameters"]
    for schedule_id, schedule in resources_of_type(template(), "AWS::Scheduler::Schedule").items():
        properties = schedule["Properties"]
        expression = properties["ScheduleExpression"]
        if isinstance(expression, dict):
            expression = parameters[expression["Ref"]]["Default"]
        hour_field = expression.removeprefix("cron(").split()[1]

        assert properties.get("ScheduleExpressionTimezone"), f"{schedule_id} has no time zone"
        assert hour_field.isdigit(), f"{schedule_id}: hour field {hour_field!r} is not one fixed hour"
        assert int(hour_field) not in UNSAFE_SCHEDULE_HOURS, f"{schedule_id} runs during DST changes"


def test_api_throttles_requests() -> None:
    api = template()["Resources"]["LeadlineApi"]["Properties"]
    settings = api.get("MethodSettings", [])

    assert any("ThrottlingRateLimit" in item and "ThrottlingBurstLimit" in item for item in settings)
