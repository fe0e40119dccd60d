"""Leadline's benchmarks: cold start, memory, DynamoDB calls, report scaling and built size.

Run them with ``make bench``; the results go to docs/benchmarks.md.
"""
