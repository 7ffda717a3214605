"""ttx: tabletop incident exercises that test an MSP's or fractional CTO's runbook."""

__version__ = "0.1.0"
