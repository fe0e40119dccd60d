"""Leadline's benchmarks: cold start, memory, DynamoDB calls, report scaling and built size.

Run them with ``make bench``, which writes the results to docs/benchmarks.md.
"""
