"""Exclusivity lives in the data: one route item per trade + ZIP, written conditionally."""

import threading
from typing import Any

import pytest

from leadline.errors import ExclusivityError, TransferError
from leadline.storage import routes


def route(contractor_id: str, zip_code: str = "02134") -> dict[str, Any]:
    return {"trade": "hvac", "zip": zip_code, "contractor_id": contractor_id, "contract_id": f"{contractor_id}-c"}


def test_second_contractor_cannot_take_owned_slot(aws: Any) -> None:
    routes.assign_route(route("bay-state-hvac"))
    with pytest.raises(ExclusivityError) as caught:
        routes.assign_route(route("rival-hvac"))
    message = str(caught.value)
    assert "owned by contractor 'bay-state-hvac'" in message
    assert "cannot be assigned to 'rival-hvac'" in message
    assert routes.get_route("hvac", "02134")["contractor_id"] == "bay-state-hvac"  # type: ignore[index]


def test_same_owner_can_rewrite_its_slot(aws: Any) -> None:
    routes.assign_route(route("bay-state-hvac"))
    routes.assign_route({**route("bay-state-hvac"), "paused": True})
    assert routes.get_route("hvac", "02134")["paused"] is True  # type: ignore[index]


def test_concurrent_assignments_one_wins(aws: Any) -> None:
    contenders = [f"contractor-{n}" for n in range(8)]
    barrier = threading.Barrier(len(contenders))
    winners: list[str] = []
    losers: list[ExclusivityError] = []

    def claim(contractor_id: str) -> None:
        barrier.wait()
        try:
            routes.assign_route(route(contractor_id))
            winners.append(contractor_id)
        except ExclusivityError as error:
            losers.append(error)

    threads = [threading.Thread(target=claim, args=(c,)) for c in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(winners) == 1
    assert len(losers) == len(contenders) - 1
    assert all(error.owner_id == winners[0] for error in losers)
    assert routes.get_route("hvac", "02134")["contractor_id"] == winners[0]  # type: ignore[index]


def test_transfer_needs_current_owner(aws: Any) -> None:
    routes.assign_route(route("bay-state-hvac"))
    with pytest.raises(TransferError, match="owned by bay-state-hvac"):
        routes.transfer_route(route("rival-hvac"), "someone-else")
    routes.transfer_route(route("rival-hvac"), "bay-state-hvac")
    assert routes.get_route("hvac", "02134")["contractor_id"] == "rival-hvac"  # type: ignore[index]


def test_release_only_by_owner(aws: Any) -> None:
    routes.assign_route(route("bay-state-hvac"))
    with pytest.raises(TransferError):
        routes.release_route("hvac", "02134", "rival-hvac")
    routes.release_route("hvac", "02134", "bay-state-hvac")
    assert routes.get_route("hvac", "02134") is None


def test_leading_zero_zip_lookup_is_exact(aws: Any) -> None:
    routes.assign_route(route("bay-state-hvac", "02134"))
    assert routes.get_route("hvac", "2134") is None
    assert routes.get_route("hvac", "02134") is not None


def test_cli_transfer_moves_slot(applied_example: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from leadline.cli import main

    code = main([
        "routes", "transfer", "--trade", "roofing", "--zip", "75201",
        "--from", "lone-star-roofing", "--to", "cowtown-roofing", "--contract", "cowtown-tarrant-roofing",
    ])
    assert code == 0
    moved = routes.get_route("roofing", "75201")
    assert moved is not None
    assert moved["contractor_id"] == "cowtown-roofing"
    assert moved["forward_to"] == "+18175550101"


def test_cli_transfer_rejects_wrong_trade_contract(applied_example: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from leadline.cli import main

    code = main([
        "routes", "transfer", "--trade", "roofing", "--zip", "75201",
        "--from", "lone-star-roofing", "--to", "bay-state-hvac", "--contract", "bay-state-boston-hvac",
    ])
    assert code == 2
    assert "is not a roofing contract of 'bay-state-hvac'" in capsys.readouterr().err
    assert routes.get_route("roofing", "75201")["contractor_id"] == "lone-star-roofing"  # type: ignore[index]
