"""Business modules. Each registers itself (permissions, audit actions, parameters)."""
