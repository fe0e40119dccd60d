"""template.yaml declares every voice webhook path, and the TwiML uses only declared paths."""

from leadline.calls import paths
from leadline.local.template import api_routes, load_template


def test_voice_paths_are_declared_in_template() -> None:
    declared = {
        (route.method, route.path) for route in api_routes() if route.function_id == "InboundCallFunction"
    }

    assert declared == {("POST", path) for path in paths.ALL}


def test_voice_function_gets_its_settings_from_the_template() -> None:
    function = load_template()["Resources"]["InboundCallFunction"]["Properties"]
    variables = function["Environment"]["Variables"]

    assert variables["PUBLIC_BASE_URL"] == {"Ref": "PublicBaseUrl"}
    assert variables["TWILIO_AUTH_TOKEN_PARAMETER"] == {"Ref": "TwilioAuthTokenParameter"}
    assert variables["LEAD_FALLBACK_QUEUE_URL"] == {"Ref": "LeadFallbackQueue"}


def test_voice_function_cannot_delete_leads() -> None:
    function = load_template()["Resources"]["InboundCallFunction"]["Properties"]

    assert "DeleteItem" not in str(function["Policies"])
    assert "DynamoDBCrudPolicy" not in str(function["Policies"])
