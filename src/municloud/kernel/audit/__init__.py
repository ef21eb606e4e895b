"""Audit log (アクセスログ): append-only, one SHA-256 hash chain per tenant."""
