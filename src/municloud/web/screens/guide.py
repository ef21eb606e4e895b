"""情報セキュリティの心得: the staff security guide every member reads, and the confirmation
「内容を理解しました」 (recorded per version in the audit log: ``kernel/security_guide.py``).

Every member of the tenant may open it (menu entry for all); the home page reminds a
member who has not confirmed the current version (a notice, not a block).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from municloud.errors import ValidationError
from municloud.kernel import security_guide
from municloud.kernel.security_guide import acknowledge, acknowledgment_of
from municloud.web.screens.access import MEMBER
from municloud.web.screens.deps import Screen, TenantForm, TenantScreen
from municloud.web.screens.rendering import redirect
from municloud.web.screens.route import ScreenRoute

router = APIRouter(route_class=ScreenRoute, include_in_schema=False)
TITLE = "情報セキュリティの心得"


def guide_due(screen: Screen) -> bool:
    """The member has not confirmed the current version yet (home page notice)."""
    latest = acknowledgment_of(screen.uow(read_only=True), screen.ctx)
    return latest is None or not latest.current


def _guide_page(screen: Screen, *, errors=None) -> Response:
    latest = acknowledgment_of(screen.uow(read_only=True), screen.ctx)
    return screen.render("guide/security_guide.html", title=TITLE, status=422 if errors else 200, errors=errors,
                         version=security_guide.GUIDE_VERSION, issued=security_guide.GUIDE_ISSUED, latest=latest,
                         idle_minutes=max(1, screen.platform.settings.session_idle_seconds // 60))


@router.get("/t/{tenant}/security-guide", summary="情報セキュリティの心得（職員向け。印刷できます）", dependencies=[MEMBER])
def read_guide(screen: TenantScreen) -> Response:
    return _guide_page(screen)


@router.post("/t/{tenant}/security-guide/acknowledge", summary="心得の確認「内容を理解しました」（版と日時を監査ログに記録）",
             dependencies=[MEMBER])
def acknowledge_guide(screen: TenantForm, version: Annotated[str, Form()] = "") -> Response:
    try:
        acknowledge(screen.uow(), screen.ctx, version)
    except ValidationError as exc:
        return _guide_page(screen, errors=exc)
    return redirect(f"{screen.base}/security-guide", "guide_acknowledged")
