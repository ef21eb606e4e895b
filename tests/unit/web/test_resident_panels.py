"""Panels on the resident page are built only for users holding their permission, in the
order the modules gave them, and a panel with nothing to show is left out."""

from __future__ import annotations

from types import SimpleNamespace

from municloud.web.screens.panels import Panel, ResidentPanel, collect, resident_panels


def screen_with(panels, permissions):
    state = SimpleNamespace(resident_panels=panels)
    ctx = SimpleNamespace(has=lambda permission: permission in permissions)
    return SimpleNamespace(request=SimpleNamespace(app=SimpleNamespace(state=state)), ctx=ctx)


def test_only_the_panels_the_user_may_see_are_built():
    built = []

    def build(key):
        def make(screen, atena_no):
            built.append(key)
            return Panel(key, key.upper(), f"{key}.html", {"atena_no": atena_no})
        return make

    panels = [ResidentPanel("a", "p:a", build("a")), ResidentPanel("b", "p:b", build("b")),
              ResidentPanel("c", "p:a", lambda screen, atena_no: None)]
    shown = resident_panels(screen_with(panels, {"p:a"}), "0000000001")
    assert [p.key for p in shown] == ["a"] and shown[0].values == {"atena_no": "0000000001"}
    assert built == ["a"]  # the panel the user may not see is never built (nothing read, nothing audited)


def test_panels_are_collected_from_each_modules_screens():
    first, second = ResidentPanel("a", "p", print), ResidentPanel("b", "p", print)
    modules = [SimpleNamespace(RESIDENT_PANELS=[first]), SimpleNamespace(), SimpleNamespace(RESIDENT_PANELS=[second])]
    assert collect(modules) == [first, second]
