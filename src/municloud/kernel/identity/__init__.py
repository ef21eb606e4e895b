"""Identity and permissions: users, per-tenant memberships with roles, log-in, tokens."""
