"""The IAM evaluation behind the template contract tests."""

from typing import Any

from tests.support.iam import Statement, TemplateRenderer, function_role_id, is_allowed, role_statements

TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/LeadsTable"

PARAMETER_ARN = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${TokenParameter}"
SENDER_DOMAIN = {"Fn::Select": [1, {"Fn::Split": ["@", {"Ref": "SenderEmail"}]}]}
ROLE_STATEMENTS = [
    {
        "Effect": "Allow",
        "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
        "Resource": {"Fn::GetAtt": ["LeadsTable", "Arn"]},
    },
    {"Effect": "Allow", "Action": "dynamodb:Query", "Resource": {"Fn::Sub": "${LeadsTable.Arn}/index/*"}},
    {"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": {"Fn::Sub": PARAMETER_ARN}},
    {
        "Effect": "Allow",
        "Action": "ses:SendRawEmail",
        "Resource": {
            "Fn::Sub": ["arn:aws:ses:us-east-1:123456789012:identity/${Domain}", {"Domain": SENDER_DOMAIN}]
        },
    },
]
DENY_PUT = {"Effect": "Deny", "Action": "dynamodb:PutItem", "Resource": "*"}

TEMPLATE: dict[str, Any] = {
    "Parameters": {
        "TokenParameter": {"Type": "String", "Default": "/app/token"},
        "SenderEmail": {"Type": "String"},
    },
    "Resources": {
        "LeadsTable": {"Type": "AWS::DynamoDB::Table", "Properties": {}},
        "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Role": {"Fn::GetAtt": ["FnRole", "Arn"]}}},
        "FnRole": {
            "Type": "AWS::IAM::Role",
            "Properties": {"Policies": [{"PolicyDocument": {"Statement": ROLE_STATEMENTS}}]},
        },
        "ExtraPolicy": {
            "Type": "AWS::IAM::Policy",
            "Properties": {"Roles": [{"Ref": "FnRole"}], "PolicyDocument": {"Statement": DENY_PUT}},
        },
    },
}


def statements() -> list[Statement]:
    renderer = TemplateRenderer(TEMPLATE, {"SenderEmail": "reports@example.com"})
    return role_statements(TEMPLATE, function_role_id(TEMPLATE, "Fn"), renderer)


def test_allows_granted_action() -> None:
    assert is_allowed(statements(), "dynamodb:GetItem", TABLE_ARN)


def test_action_case_insensitive() -> None:
    assert is_allowed(statements(), "DynamoDB:getitem", TABLE_ARN)


def test_rejects_other_table() -> None:
    assert not is_allowed(statements(), "dynamodb:GetItem", TABLE_ARN.replace("LeadsTable", "RoutesTable"))


def test_table_grant_excludes_index() -> None:
    assert not is_allowed(statements(), "dynamodb:GetItem", f"{TABLE_ARN}/index/ByContractor")


def test_index_wildcard_matches() -> None:
    assert is_allowed(statements(), "dynamodb:Query", f"{TABLE_ARN}/index/ByContractor")


def test_deny_in_attached_policy_wins() -> None:
    assert not is_allowed(statements(), "dynamodb:PutItem", TABLE_ARN)


def test_parameter_default_rendered() -> None:
    assert is_allowed(
        statements(), "ssm:GetParameter", "arn:aws:ssm:us-east-1:123456789012:parameter/app/token"
    )


def test_select_split_rendered() -> None:
    assert is_allowed(
        statements(), "ses:SendRawEmail", "arn:aws:ses:us-east-1:123456789012:identity/example.com"
    )
