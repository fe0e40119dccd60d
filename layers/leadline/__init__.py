"""Leadline: exclusive lead routing for home-service agencies."""

__version__ = "0.1.0"
