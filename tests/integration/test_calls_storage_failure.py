"""DynamoDB failing on a call: the caller still reaches a person, and the lead is not lost."""

from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from leadline.calls import paths, settings
from leadline.storage import dynamo, lead_queue, routes
from tests.support.calls import (
    AGENCY_FALLBACK,
    DALLAS_NUMBER,
    DFW_NUMBER,
    VoiceWebhooks,
    all_leads,
    call_params,
    captured_logs,
    dynamodb_failing,
    log_records,
    new_call_sid,
    recovery_handler,
    sqs_event,
    stored_lead,
)


def queued_bodies() -> list[str]:
    sqs = boto3.client("sqs", region_name="us-east-1")
    queue_url = sqs.create_queue(QueueName=lead_queue.LOCAL_QUEUE_NAME)["QueueUrl"]
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
    return [message["Body"] for message in messages]


def recover(bodies: list[str]) -> dict[str, Any]:
    from leadline.local.gateway import LambdaContext

    return recovery_handler()(sqs_event(bodies), LambdaContext("LeadRecoveryFunction"))


def test_failed_write_still_dials_the_agency(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()
    webhooks.call(new_call_sid(), DALLAS_NUMBER)

    with dynamodb_failing(("PutItem",)):
        response = webhooks.call(call_sid, DALLAS_NUMBER)

    assert response.status == 200
    assert response.content_type == "text/xml"
    assert response.verbs() == ["Dial"]
    dial = response.find("Dial")
    assert dial.text == AGENCY_FALLBACK
    # No URL may lead Twilio back to a lead that is not in the table.
    assert dial.get("action") is None
    assert dial.find("Number") is None
    assert stored_lead(call_sid) is None


def test_failed_write_queues_the_lead(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()

    with dynamodb_failing(("PutItem",)):
        webhooks.call(call_sid, DALLAS_NUMBER)

    bodies = queued_bodies()
    assert len(bodies) == 1
    lead = lead_queue.decode_lead(bodies[0])
    assert lead["lead_id"] == call_sid
    assert lead["channel"] == "call"
    assert lead["trade"] == "roofing"
    assert lead["zip"] == "75201"
    assert lead["contractor_id"] == "UNASSIGNED"
    assert lead["unassigned_reason"] == "storage_error"
    assert lead["route_action"] == "fallback"


def test_recovery_writes_the_queued_lead(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()
    with dynamodb_failing(("PutItem",)):
        first = webhooks.call(call_sid, DALLAS_NUMBER)

    result = recover(queued_bodies())

    assert result == {"batchItemFailures": []}
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["unassigned_reason"] == "storage_error"
    assert lead["received_at"] == "2026-12-02T16:00:00.000Z"
    assert lead["twiml"] == first.body


def test_recovering_twice_writes_once(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()
    with dynamodb_failing(("PutItem",)):
        webhooks.call(call_sid, DALLAS_NUMBER)
    bodies = queued_bodies()
    recover(bodies)

    result = recover(bodies)

    assert result == {"batchItemFailures": []}
    assert len(all_leads()) == 1


def test_recovery_never_overwrites_a_stored_lead(webhooks: VoiceWebhooks) -> None:
    # A retried webhook may have stored the call meanwhile; the queued copy must not replace it.
    call_sid = new_call_sid()
    with dynamodb_failing(("PutItem",)):
        webhooks.call(call_sid, DALLAS_NUMBER)
    webhooks.call(call_sid, DALLAS_NUMBER)

    recover(queued_bodies())

    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["contractor_id"] == "lone-star-roofing"


def test_failed_recovery_is_reported_for_retry(webhooks: VoiceWebhooks) -> None:
    with dynamodb_failing(("PutItem",)):
        webhooks.call(new_call_sid(), DALLAS_NUMBER)
    bodies = queued_bodies()

    # Powertools raises when every record of the batch failed, so SQS redelivers the batch.
    with dynamodb_failing(("UpdateItem",)), pytest.raises(BatchProcessingError):
        recover(bodies)

    assert all_leads() == []


def test_failed_route_read_dials_the_agency(webhooks: VoiceWebhooks) -> None:
    webhooks.call(new_call_sid(), DALLAS_NUMBER)
    call_sid = new_call_sid()

    with dynamodb_failing(("GetItem", "PutItem")):
        response = webhooks.call(call_sid, DALLAS_NUMBER)

    assert response.find("Dial").text == AGENCY_FALLBACK
    assert len(queued_bodies()) == 1


def test_cold_start_outage_uses_the_configured_number(
    webhooks: VoiceWebhooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(settings.FALLBACK_NUMBER, "+15125550177")
    settings.call_settings.cache_clear()
    call_sid = new_call_sid()

    with dynamodb_failing(("GetItem", "PutItem")):
        response = webhooks.call(call_sid, DALLAS_NUMBER)

    assert response.find("Dial").text == "+15125550177"
    lead = lead_queue.decode_lead(queued_bodies()[0])
    assert lead["lead_id"] == call_sid
    assert "trade" not in lead


def test_cold_start_outage_without_any_number_apologises(webhooks: VoiceWebhooks) -> None:
    with dynamodb_failing(("GetItem", "PutItem")):
        response = webhooks.call(new_call_sid(), DALLAS_NUMBER)

    assert response.status == 200
    assert response.verbs() == ["Say", "Hangup"]
    assert len(queued_bodies()) == 1


def test_expired_cache_is_used_during_an_outage(
    webhooks: VoiceWebhooks, monkeypatch: pytest.MonkeyPatch
) -> None:
    from leadline.calls import config_cache

    webhooks.call(new_call_sid(), DALLAS_NUMBER)
    monkeypatch.setattr(config_cache, "CACHE_SECONDS", -1.0)
    webhooks.call(new_call_sid(), DALLAS_NUMBER)

    with dynamodb_failing(("GetItem", "PutItem")):
        response = webhooks.call(new_call_sid(), DALLAS_NUMBER)

    assert response.find("Dial").text == AGENCY_FALLBACK


def test_queue_failure_still_answers(webhooks: VoiceWebhooks, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        settings.LEAD_FALLBACK_QUEUE_URL, "https://sqs.us-east-1.amazonaws.com/123456789012/missing"
    )
    settings.call_settings.cache_clear()
    call_sid = new_call_sid()
    webhooks.call(new_call_sid(), DALLAS_NUMBER)

    with dynamodb_failing(("PutItem",)), captured_logs() as logs:
        response = webhooks.call(call_sid, DALLAS_NUMBER)

    assert response.find("Dial").text == AGENCY_FALLBACK
    errors = [record for record in log_records(logs) if record["level"] == "ERROR"]
    assert errors[-1]["message"] == "lead lost: sending it to the fallback queue failed too"
    assert errors[-1]["lead_id"] == call_sid


def test_failed_zip_step_replaces_the_placeholder_on_recovery(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()
    webhooks.call(call_sid, DFW_NUMBER)

    with dynamodb_failing(("GetItem", "UpdateItem")):
        response = webhooks.post(paths.ZIP, call_params(call_sid, DFW_NUMBER, Digits="75204"))
    recover(queued_bodies())

    assert response.find("Dial").text == AGENCY_FALLBACK
    lead = stored_lead(call_sid)
    assert lead is not None
    assert lead["unassigned_reason"] == "storage_error"
    assert lead["zip"] == "75204"
    assert lead["zip_source"] == "caller"


def test_failed_dial_result_still_offers_voicemail(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()
    webhooks.call(call_sid, DALLAS_NUMBER)

    with dynamodb_failing(("UpdateItem",)):
        response = webhooks.dial_result(call_sid, DALLAS_NUMBER, "no-answer")

    assert response.status == 200
    assert response.verbs() == ["Say", "Record"]


def test_failed_status_callback_is_a_twiml_500(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()
    webhooks.call(call_sid, DALLAS_NUMBER)

    with dynamodb_failing(("UpdateItem",)):
        response = webhooks.leg(paths.STATUS, call_sid, new_call_sid(), CallStatus="ringing")

    assert response.status == 500
    assert response.content_type == "text/xml"


def test_corrupt_route_item_still_dials_the_agency(webhooks: VoiceWebhooks) -> None:
    # A route item without forward_to makes routing raise; the caller must still reach a person.
    route = routes.get_route("roofing", "75201")
    assert route is not None
    del route["forward_to"]
    config_route_table_write(route)
    call_sid = new_call_sid()

    response = webhooks.call(call_sid, DALLAS_NUMBER)

    assert response.status == 200
    assert response.content_type == "text/xml"
    assert response.find("Dial").text == AGENCY_FALLBACK
    lead = lead_queue.decode_lead(queued_bodies()[0])
    assert lead["lead_id"] == call_sid
    assert lead["unassigned_reason"] == "storage_error"


def test_corrupt_status_callback_state_is_a_twiml_500(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()
    webhooks.call(call_sid, DALLAS_NUMBER)
    dynamo.client().update_item(
        TableName=dynamo.tables().leads,
        Key={"lead_id": {"S": call_sid}},
        UpdateExpression="SET answered_at = :bad",
        ExpressionAttributeValues={":bad": {"S": "not a time"}},
    )

    response = webhooks.leg(paths.STATUS, call_sid, new_call_sid(), CallStatus="ringing")

    assert response.status == 500
    assert response.content_type == "text/xml"


def config_route_table_write(route: dict[str, Any]) -> None:
    dynamo.client().put_item(TableName=dynamo.tables().routes, Item=dynamo.to_item(route))


def test_fallback_url_dials_agency_and_queues_lead(webhooks: VoiceWebhooks) -> None:
    call_sid = new_call_sid()
    webhooks.call(new_call_sid(), DALLAS_NUMBER)  # fills the tracking-number cache

    extra = {"ErrorCode": "11200", "ErrorUrl": "https://leads.agency.example/live/twilio/voice"}
    with dynamodb_failing(("GetItem", "PutItem", "UpdateItem")):
        response = webhooks.post(paths.FALLBACK, call_params(call_sid, DALLAS_NUMBER, **extra))

    assert response.status == 200
    assert response.content_type == "text/xml"
    assert response.find("Dial").text == AGENCY_FALLBACK
    queued = [lead_queue.decode_lead(body) for body in queued_bodies()]
    assert [lead["lead_id"] for lead in queued] == [call_sid]
    assert queued[0]["unassigned_reason"] == "storage_error"


def test_fallback_url_needs_a_signature(webhooks: VoiceWebhooks) -> None:
    response = webhooks.post(paths.FALLBACK, call_params(new_call_sid(), DALLAS_NUMBER), signature="")

    assert response.status == 403
    assert response.verbs() == ["Reject"]
    assert queued_bodies() == []
