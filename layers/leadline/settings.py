"""Environment settings, read once and validated, with every variable name in one place."""

import os
from dataclasses import dataclass, fields

TABLE_ENV_VARS = {
    "numbers": "NUMBERS_TABLE",
    "contractors": "CONTRACTORS_TABLE",
    "routes": "ROUTES_TABLE",
    "leads": "LEADS_TABLE",
    "settings": "SETTINGS_TABLE",
    "report_runs": "REPORT_RUNS_TABLE",
    "outcomes": "OUTCOMES_TABLE",
}


class MissingSettingError(RuntimeError):
    """A required environment variable is not set."""


@dataclass(frozen=True)
class TableNames:
    """Physical DynamoDB table names. The local stack names each table after its logical id."""

    numbers: str = "NumbersTable"
    contractors: str = "ContractorsTable"
    routes: str = "RoutesTable"
    leads: str = "LeadsTable"
    settings: str = "SettingsTable"
    report_runs: str = "ReportRunsTable"
    outcomes: str = "OutcomesTable"

    @classmethod
    def from_env(cls) -> "TableNames":
        missing = [var for var in TABLE_ENV_VARS.values() if not os.environ.get(var)]
        if missing:
            raise MissingSettingError(
                f"environment variable(s) {', '.join(missing)} not set; the template sets them "
                "in Lambda, and `leadline serve` sets them locally"
            )
        return cls(**{name: os.environ[var] for name, var in TABLE_ENV_VARS.items()})

    def as_env(self) -> dict[str, str]:
        """Return the environment variables that make ``from_env`` return these names."""
        return {TABLE_ENV_VARS[f.name]: getattr(self, f.name) for f in fields(self)}
