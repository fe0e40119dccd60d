"""Test helpers: AWS fixtures built from template.yaml, and events shaped as AWS sends them."""
