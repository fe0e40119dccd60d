"""Agency config as code: one YAML file, validated whole, then applied to the tables."""
