"""The request context every service receives (who, for which tenant, from where)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field


def new_request_id() -> str:
    """A request id for work that came without one (never empty: an empty id would not
    survive the standard layout's round trip, where an empty cell reads as no value)."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Context:
    """Who is acting, in which tenant, and from where.

    * ``tenant_code`` — the municipality (団体コード) the action is in; ``None`` for
      platform-level actions (operator).
    * ``actor`` / ``actor_id`` — user name and id (``system`` for batch work).
    * ``permissions`` — resolved from the actor's roles in this tenant.
    * ``request_id`` — correlates log and audit entries of one request.
    * ``client_addr`` / ``terminal`` / ``place`` — 端末 and 入力場所 recorded in audit and
      in every registry history row.
    * ``purpose`` — 利用目的, free text recorded with the audit entry.
    """

    tenant_code: str | None
    actor: str
    actor_id: int | None = None
    roles: frozenset[str] = frozenset()
    permissions: frozenset[str] = frozenset()
    request_id: str = field(default_factory=new_request_id)
    client_addr: str | None = None
    terminal: str | None = None
    place: str | None = None
    purpose: str | None = None

    def has(self, permission: str) -> bool:
        return permission in self.permissions

    @classmethod
    def system(cls, tenant_code: str | None, permissions: frozenset[str], **kw) -> Context:
        """A context for batch jobs and the CLI acting as the system (監査上は system)."""
        return cls(
            tenant_code=tenant_code,
            actor=kw.pop("actor", "system"),
            permissions=permissions,
            terminal=kw.pop("terminal", "cli"),
            place=kw.pop("place", "batch"),
            **kw,
        )
