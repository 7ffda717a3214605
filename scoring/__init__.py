"""Scoring: judging a transcript against a scenario and runbook, and reporting it."""
