"""municloud — multi-tenant core-business platform for Japanese municipalities."""

__version__ = "0.1.0"
