"""Who may open each screen: the words of :mod:`municloud.web.access`, for screens.

The same declarations as the API's (:data:`PUBLIC`, :data:`SIGNED_IN`, :data:`MEMBER`,
:func:`requires`, :data:`OPERATOR`), resolved through the screen session instead of a
bearer token: they take the very :class:`~municloud.web.screens.deps.Screen` the handler
receives, and a refusal is the 403 page (``ScreenRoute``), audited as
``kernel:access:denied``.  ``docs/permissions.md`` lists screens beside API routes.
"""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import Request
from fastapi.params import Depends as DependsParam

from municloud.kernel.catalog import P_TENANT_MANAGE
from municloud.web.access import (
    MEMBER_KIND,
    PERMISSION_KIND,
    PUBLIC,
    SIGNED_IN_KIND,
    Access,
    check,
    declare,
)
from municloud.web.screens.deps import OperatorScreen, SignedIn, TenantScreen


def _signed_in(_screen: SignedIn) -> None:
    """A complete session (password and second factor)."""


def _member(_screen: TenantScreen) -> None:
    """A role in the path's tenant."""


SIGNED_IN = declare(Access(SIGNED_IN_KIND), _signed_in)
MEMBER = declare(Access(MEMBER_KIND), _member)


def requires(permission: str, *, also: Iterable[str] = ()) -> DependsParam:
    """A role granting *permission* in the path's tenant (``/t/{tenant}/…``)."""
    access = Access(PERMISSION_KIND, permission, also=tuple(also))

    def gate(request: Request, screen: TenantScreen) -> None:
        assert screen.ctx is not None
        check(screen.platform, screen.ctx, access, request)

    return declare(access, gate)


def _operator_gate() -> DependsParam:
    access = Access(PERMISSION_KIND, P_TENANT_MANAGE, platform=True)

    def gate(request: Request, screen: OperatorScreen) -> None:
        assert screen.ctx is not None
        check(screen.platform, screen.ctx, access, request)

    return declare(access, gate)


OPERATOR = _operator_gate()

__all__ = ["MEMBER", "OPERATOR", "PUBLIC", "SIGNED_IN", "requires"]
