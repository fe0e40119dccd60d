"""The local stack: embedded AWS (moto), tables from template.yaml, and an API Gateway stand-in."""
