"""The shared DynamoDB client and item (de)serialisation.

The client is created on first use, never at import time, and tests or the local stack can
replace it with ``set_client``. Numbers are Decimal in both directions; floats are rejected.
"""

from typing import TYPE_CHECKING, Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from leadline.settings import TableNames

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()
_client: "DynamoDBClient | None" = None
_tables: TableNames | None = None


def client() -> "DynamoDBClient":
    global _client
    if _client is None:
        import boto3
        from botocore.config import Config

        # Twilio waits 15 s for a webhook's response (its default read timeout, per Twilio's
        # "Webhooks: Connection Overrides" page), and botocore's defaults (60 s timeouts, legacy
        # retries) could use all of it during an outage. With these limits one request gives up
        # after about 7 s, so the voice webhook still has time to return its fallback TwiML.
        config = Config(connect_timeout=1, read_timeout=2, retries={"mode": "standard", "max_attempts": 2})
        _client = boto3.client("dynamodb", config=config)
    return _client


def tables() -> TableNames:
    global _tables
    if _tables is None:
        _tables = TableNames.from_env()
    return _tables


def set_client(new_client: "DynamoDBClient | None", names: TableNames | None = None) -> None:
    """Replace the client and table names (``None`` resets them to be read again lazily)."""
    global _client, _tables
    _client = new_client
    _tables = names


def to_item(record: dict[str, Any]) -> dict[str, Any]:
    """Serialise a record, leaving out None values because DynamoDB keys cannot be empty."""
    return {key: _serializer.serialize(value) for key, value in record.items() if value is not None}


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    return {key: _deserializer.deserialize(value) for key, value in item.items()}


def is_conditional_check_failure(error: Exception) -> bool:
    response = getattr(error, "response", None) or {}
    code = response.get("Error", {}).get("Code", "")
    return code in {"ConditionalCheckFailedException", "TransactionCanceledException"}
