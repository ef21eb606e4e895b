"""In-process domain events: one module announces, others react in the same transaction.

A module publishes a plain dataclass (its public event type); subscribers are registered
at start-up by the composition root (``bootstrap``), so the publisher never imports the
subscribers and a subscriber imports only the publisher's public event module.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any


class EventBus:
    def __init__(self) -> None:
        self._handlers: dict[type, list[Callable[[Any, Any], None]]] = defaultdict(list)

    def subscribe(self, event_type: type, handler: Callable[[Any, Any], None]) -> None:
        self._handlers[event_type].append(handler)

    def publish(self, uow: Any, event: Any) -> None:
        """Call every handler of ``type(event)`` with ``(uow, event)`` — same transaction."""
        for handler in self._handlers.get(type(event), ()):
            handler(uow, event)
