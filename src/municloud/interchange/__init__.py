"""Standard export/import of everything a tenant owns (docs/standard-layout.md)."""
