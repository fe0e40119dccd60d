"""cfn-lint rule: the schedule expression of an EventBridge Scheduler schedule.

cfn-lint 1.53.3 checks cron and rate expressions only on AWS::Events::Rule (rule E3027), so a
five-field cron on an AWS::Scheduler::Schedule passes it. This rule applies the same checks to
schedules, and also accepts Scheduler's one-time ``at(...)`` expressions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

from cfnlint.jsonschema import ValidationError, Validator

# Imported as a module: cfn-lint loads every rule class it finds in this module's namespace,
# and E3027 itself must not be loaded twice.
from cfnlint.rules.resources.events import RuleScheduleExpression as events_rule

AT_EXPRESSION = re.compile(r"^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$")


class SchedulerScheduleExpression(events_rule.RuleScheduleExpression):
    """Validate AWS::Scheduler::Schedule ScheduleExpression like E3027 validates rules."""

    id = "E9001"
    shortdesc = "Validate AWS::Scheduler::Schedule ScheduleExpression format"
    description = (
        "A schedule expression is cron() with six fields, rate(Value Unit) or at(yyyy-mm-ddThh:mm:ss)"
    )
    source_url = "https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html"
    tags: ClassVar[list[str]] = ["resources", "scheduler"]

    def initialize(self, cfn: Any) -> None:
        self.__init__(["Resources/AWS::Scheduler::Schedule/Properties/ScheduleExpression"])  # type: ignore[misc]

    def validate(
        self, validator: Validator, keywords: Any, instance: Any, schema: dict[str, Any]
    ) -> Iterator[ValidationError]:
        if validator.is_type(instance, "string") and instance.startswith("at("):
            if not AT_EXPRESSION.match(instance):
                yield ValidationError(f"{instance!r} has to be of format at(yyyy-mm-ddThh:mm:ss)")
            return
        if validator.is_type(instance, "string") and instance.startswith("cron("):
            yield from self._check_cron_fields(instance)
            return
        yield from super().validate(validator, keywords, instance, schema)

    def _check_cron_fields(self, expression: str) -> Iterator[ValidationError]:
        fields = expression.removeprefix("cron(").removesuffix(")").split()
        if not expression.endswith(")") or len(fields) != 6:
            yield ValidationError(
                f"{expression!r} has {len(fields)} fields; a Scheduler cron expression has six: "
                "minutes hours day-of-month month day-of-week year"
            )
            return
        day_of_month, day_of_week = fields[2], fields[4]
        if "?" not in (day_of_month, day_of_week):
            yield ValidationError(
                f"{expression!r} sets both day-of-month and day-of-week; one of them must be ?"
            )
