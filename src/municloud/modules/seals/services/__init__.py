"""Seal-registration use cases. Each public function is one transaction (see DESIGN.md)."""
