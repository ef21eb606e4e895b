"""Panels other modules add to the registry's resident page (住民票の画面), without the
registry importing them (modules never import each other's screens).

A module's ``screens`` exposes ``RESIDENT_PANELS``: a list of :class:`ResidentPanel`.
``install_screens`` collects them into ``app.state.resident_panels``; the resident page
calls :func:`resident_panels` and renders each :class:`Panel` in its own delimited
``<section>`` (``templates/panels/resident_panels.html``: the panel's template is included
with ``panel`` in its context).  A panel is built only for a user holding its permission,
and through the module's own services (which check that permission again and audit the
look).  Example (the seals module)::

    RESIDENT_PANELS = [ResidentPanel("seals", P_VIEW, seal_panel)]

    def seal_panel(screen, atena_no) -> Panel | None:
        seals = get_registrations(screen.uow(), screen.ctx, atena_no)
        return Panel("seals", "印鑑登録", "seals/_resident_panel.html", {"seals": seals})
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Panel:
    """One built panel: its section id (``panel-{key}``), heading, template and values."""

    key: str
    title: str
    template: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ResidentPanel:
    """A module's contribution: shown to holders of *permission*; *build* takes the Screen
    and the 宛名番号 and returns the :class:`Panel` (or ``None``: nothing to show)."""

    key: str
    permission: str
    build: Callable[[Any, str], Panel | None]


def collect(screen_modules: list) -> list[ResidentPanel]:
    return [panel for screens in screen_modules for panel in getattr(screens, "RESIDENT_PANELS", [])]


def resident_panels(screen: Any, atena_no: str) -> list[Panel]:
    """The panels *screen*'s user may see for *atena_no*, in module order."""
    built = []
    for panel in getattr(screen.request.app.state, "resident_panels", []):
        if screen.ctx is not None and screen.ctx.has(panel.permission):
            result = panel.build(screen, atena_no)
            if result is not None:
                built.append(result)
    return built
