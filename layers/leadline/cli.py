"""The ``leadline`` command: config, routes, contractor keys, outcome import, report, serve and demo."""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from leadline.errors import ConfigError, ExclusivityError, TransferError

if TYPE_CHECKING:
    from leadline.deployment import DeployedStack

EXIT_INVALID = 2
EXIT_UNREACHABLE = 3

NO_TABLES_HINT = (
    "pass --stack NAME (and --region) for a deployed stack, or, for the local stack, run the "
    "export lines that `leadline serve` prints"
)


def _connect(args: argparse.Namespace) -> "DeployedStack | None":
    """Point the storage layer at the tables of ``--stack``, or else at those named by the environment.

    Return the stack when ``--stack`` is given, else None. Raise StackError when it cannot be read.
    """
    from leadline.storage import dynamo

    if args.stack is None and args.region is None:
        dynamo.set_client(None)
        return None

    import boto3
    from botocore.exceptions import NoRegionError

    from leadline.deployment import StackError, read_stack

    try:
        dynamodb = boto3.client("dynamodb", region_name=args.region)
        if args.stack is None:
            dynamo.set_client(dynamodb)
            return None
        stack = read_stack(args.stack, boto3.client("cloudformation", region_name=args.region))
    except NoRegionError as error:
        raise StackError("no AWS region is configured; pass --region or set AWS_REGION") from error
    dynamo.set_client(dynamodb, stack.table_names)
    return stack


def _warn_on_sender_mismatch(stack: "DeployedStack | None", sender_email: str) -> None:
    if stack is None or stack.sender_email in (None, sender_email):
        return
    print(
        f"warning: the config's sender_email {sender_email} differs from the stack's SenderEmail "
        f"{stack.sender_email}; the functions may only send from the stack's address, so SES will "
        "reject their emails until both match"
    )


def cmd_config_validate(args: argparse.Namespace) -> int:
    from leadline.config.loader import load_config

    loaded = load_config(args.file)
    for warning in loaded.warnings:
        print(f"warning: {warning}")
    config = loaded.config
    print(
        f"{args.file} is valid: {len(config.contractors)} contractor(s), "
        f"{sum(len(c.contracts) for c in config.contractors)} contract(s), "
        f"{len(loaded.routes)} trade+ZIP route(s), {len(config.tracking_numbers)} tracking number(s)"
    )
    return 0


def cmd_config_apply(args: argparse.Namespace) -> int:
    from leadline.config.apply import apply_diff, check_transfers, describe_diff, plan
    from leadline.config.loader import load_config

    loaded = load_config(args.file)
    for warning in loaded.warnings:
        print(f"warning: {warning}")
    stack = _connect(args)
    _warn_on_sender_mismatch(stack, loaded.config.agency.sender_email)
    diff = plan(loaded)
    check_transfers(loaded, diff, allow_transfer=args.allow_transfer)
    if diff.is_empty():
        print(f"No changes: the tables already match {args.file}.")
        return 0
    for line in describe_diff(diff, limit=args.show):
        print(line)
    if args.dry_run:
        print("Dry run: nothing was written.")
        return 0
    apply_diff(diff)
    print(f"Applied {args.file}.")
    return 0


def cmd_routes_transfer(args: argparse.Namespace) -> int:
    from leadline.config.records import route_record
    from leadline.storage import config_tables, routes

    _connect(args)
    target = config_tables.get_contractor(args.to_contractor)
    if target is None:
        print(
            f"error: contractor {args.to_contractor!r} not found; apply a config that defines it first",
            file=sys.stderr,
        )
        return EXIT_INVALID
    try:
        route = route_record(target, args.trade, args.zip, args.contract)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID
    routes.transfer_route(route, args.from_contractor)
    print(
        f"Transferred {args.trade} in ZIP {args.zip} from {args.from_contractor} to {args.to_contractor}."
    )
    return 0


def cmd_contractors_issue_key(args: argparse.Namespace) -> int:
    from leadline.api_keys import issue_key

    _connect(args)
    try:
        key = issue_key(args.contractor_id, replace=args.replace)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID
    replaced = " Its other keys were revoked." if args.replace else ""
    print(f"API key for {args.contractor_id} (shown once; only its SHA-256 is stored).{replaced}")
    print(key)
    return 0


def cmd_contractors_revoke_keys(args: argparse.Namespace) -> int:
    from leadline.api_keys import revoke_keys

    _connect(args)
    count = revoke_keys(args.contractor_id)
    print(f"Revoked {count} API key(s) of {args.contractor_id}.")
    return 0


def cmd_outcomes_import(args: argparse.Namespace) -> int:
    from leadline.economics.outcome_import import apply_import, plan_import

    _connect(args)
    plan = plan_import(args.file)
    if plan.problems:
        print(f"error: {args.file} is invalid; nothing was written:", file=sys.stderr)
        for problem in plan.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_INVALID
    changed = len(plan.to_record)
    unchanged = len(plan.rows) - changed
    if args.dry_run:
        print(
            f"{args.file} is valid: {len(plan.rows)} row(s), {changed} would be recorded, "
            f"{unchanged} unchanged. Dry run: nothing was written."
        )
        return 0
    result = apply_import(plan)
    print(f"Imported {args.file}: {result.recorded} outcome(s) recorded, {result.unchanged} unchanged.")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from leadline.reporting.local_render import ReportRequestError, render_reports

    _connect(args)
    try:
        rendered = render_reports(args.date, args.out, args.contractor)
    except ReportRequestError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID
    for report in rendered.reports:
        day = report.day
        counts = f"{day.calls.total} call(s), {day.forms} form(s), {day.qualified} qualified"
        print(f"{report.contractor_id}: {counts}")
    print(f"Wrote {len(rendered.files)} file(s) to {args.out}/; nothing was sent.")
    return 0


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        message = f"date {text!r} is invalid; use YYYY-MM-DD, e.g. 2026-12-03"
        raise argparse.ArgumentTypeError(message) from None


def cmd_serve(args: argparse.Namespace) -> int:
    from leadline.local.stack import start_local_stack

    stack = start_local_stack(
        config_path=args.config, port=args.port, public_url=args.public_url, out_dir=args.out
    )
    for line in stack.config_lines:
        print(line)
    print(f"Local AWS:   {stack.endpoint}")
    print(f"Local API:   {stack.base_url} (Twilio signatures use {os.environ['PUBLIC_BASE_URL']})")
    print(f"SMS outbox:  {stack.sms_outbox}")
    print("To run leadline commands against these tables from another shell, first run:")
    for name, value in local_cli_environment().items():
        print(f"  export {name}={value}")
    print("Press Ctrl+C to stop.", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        stack.stop()
    return 0


def local_cli_environment() -> dict[str, str]:
    """Return the variables that point boto3 and the storage layer at the running local stack."""
    from leadline.local.aws import LOCAL_CREDENTIALS
    from leadline.settings import TABLE_ENV_VARS

    names = ["AWS_ENDPOINT_URL", *LOCAL_CREDENTIALS, *TABLE_ENV_VARS.values()]
    return {name: os.environ[name] for name in names if os.environ.get(name)}


def cmd_demo(args: argparse.Namespace) -> int:
    from leadline.local.demo import format_summary, run_demo

    rows = run_demo(args.config, args.out)
    print(format_summary(rows), end="")
    print(f"Everything the demo produced is in {args.out}/")
    return 0


def _target_options() -> argparse.ArgumentParser:
    """Options shared by the commands that write to the tables."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--stack", metavar="NAME",
        help="write to the tables of this deployed CloudFormation stack, read from its outputs "
        "(default: the tables named by the *_TABLE environment variables)",
    )
    options.add_argument(
        "--region", help="AWS region of the stack and its tables (default: the AWS configuration's)"
    )
    return options


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leadline", description="Exclusive lead routing for home-service agencies."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    target = _target_options()

    config = commands.add_parser("config", help="validate or apply an agency config file")
    config_commands = config.add_subparsers(dest="config_command", required=True)
    validate = config_commands.add_parser("validate", help="check a config file; writes nothing")
    validate.add_argument("file", type=Path)
    validate.set_defaults(func=cmd_config_validate)
    apply = config_commands.add_parser(
        "apply",
        parents=[target],
        help="write a config file to a stack's tables or to those named by the environment",
    )
    apply.add_argument("file", type=Path)
    apply.add_argument("--dry-run", action="store_true", help="print the diff and write nothing")
    apply.add_argument(
        "--allow-transfer", action="store_true",
        help="let the config move a trade+ZIP from one contractor to another",
    )
    apply.add_argument("--show", type=int, default=20, metavar="N", help="diff lines to print per table (default 20)")
    apply.set_defaults(func=cmd_config_apply)

    routes = commands.add_parser("routes", help="explicit route operations")
    route_commands = routes.add_subparsers(dest="routes_command", required=True)
    transfer = route_commands.add_parser(
        "transfer", parents=[target], help="move one trade+ZIP from one contractor to another"
    )
    transfer.add_argument("--trade", required=True)
    transfer.add_argument("--zip", required=True)
    transfer.add_argument("--from", dest="from_contractor", required=True, metavar="CONTRACTOR_ID")
    transfer.add_argument("--to", dest="to_contractor", required=True, metavar="CONTRACTOR_ID")
    transfer.add_argument(
        "--contract", required=True, metavar="CONTRACT_ID", help="the new owner's contract that prices the slot"
    )
    transfer.set_defaults(func=cmd_routes_transfer)

    contractors = commands.add_parser("contractors", help="contractor API keys for the outcome API")
    contractor_commands = contractors.add_subparsers(dest="contractors_command", required=True)
    issue = contractor_commands.add_parser(
        "issue-key", parents=[target], help="create an outcome API key, store its SHA-256 and print the key once"
    )
    issue.add_argument("contractor_id", metavar="CONTRACTOR_ID")
    issue.add_argument("--replace", action="store_true", help="revoke the contractor's other keys")
    issue.set_defaults(func=cmd_contractors_issue_key)
    revoke = contractor_commands.add_parser(
        "revoke-keys", parents=[target], help="delete every API key of a contractor"
    )
    revoke.add_argument("contractor_id", metavar="CONTRACTOR_ID")
    revoke.set_defaults(func=cmd_contractors_revoke_keys)

    outcomes = commands.add_parser("outcomes", help="lead outcomes from contractors' CRMs")
    outcome_commands = outcomes.add_subparsers(dest="outcomes_command", required=True)
    import_csv = outcome_commands.add_parser(
        "import", parents=[target], help="validate a CSV of outcomes, then record them; one bad row writes nothing"
    )
    import_csv.add_argument("file", type=Path, metavar="FILE.csv")
    import_csv.add_argument("--dry-run", action="store_true", help="validate and print counts; write nothing")
    import_csv.set_defaults(func=cmd_outcomes_import)

    report = commands.add_parser(
        "report",
        parents=[target],
        help="render the nightly reports of one day to files; sends nothing and writes no markers",
    )
    report.add_argument(
        "--date", required=True, type=_iso_date, metavar="YYYY-MM-DD",
        help="the report day, the same calendar day in every contractor's time zone",
    )
    report.add_argument(
        "--contractor", metavar="ID", help="render only this contractor's report (no agency summary)"
    )
    report.add_argument(
        "--out", type=Path, default=Path("out/reports"), help="output folder (default out/reports)"
    )
    report.set_defaults(func=cmd_report)

    serve = commands.add_parser(
        "serve", help="run the local stack: embedded AWS and the API on 127.0.0.1"
    )
    serve.add_argument("--config", type=Path, help="agency config to apply at start")
    serve.add_argument("--port", type=int, default=3000, help="API port on 127.0.0.1 (default 3000)")
    serve.add_argument(
        "--public-url", help="base URL Twilio signs against (default: the local API's URL)"
    )
    serve.add_argument(
        "--out", type=Path, default=Path("out/serve"),
        help="folder for the SMS outbox (default out/serve, apart from the demo's out/)",
    )
    serve.set_defaults(func=cmd_serve)

    demo = commands.add_parser("demo", help="replay a scripted day against the local stack into out/")
    demo.add_argument("--config", type=Path, default=Path("examples/agency.yaml"))
    demo.add_argument("--out", type=Path, default=Path("out"))
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    from botocore.exceptions import EndpointConnectionError, NoCredentialsError, NoRegionError

    from leadline.deployment import StackError
    from leadline.settings import MissingSettingError

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError as error:
        print(f"error: {error.source} is invalid; nothing was written:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_INVALID
    except (ExclusivityError, TransferError, StackError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID
    except MissingSettingError as error:
        print(f"error: {error}; {NO_TABLES_HINT}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except (NoRegionError, NoCredentialsError) as error:
        print(f"error: cannot reach AWS: {error}; {NO_TABLES_HINT}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except EndpointConnectionError as error:
        print(f"error: cannot reach AWS at {error.kwargs.get('endpoint_url')}; {NO_TABLES_HINT}", file=sys.stderr)
        return EXIT_UNREACHABLE


if __name__ == "__main__":
    sys.exit(main())
