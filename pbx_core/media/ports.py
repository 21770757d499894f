"""RTP/RTCP port pairs from the configured range (RFC 3550 §11: RTP even, RTCP = RTP + 1).

Only hands out numbers and remembers which are taken; ``leg.py`` binds them.  A pair whose bind
fails (another process holds it) is skipped, so the allocator does not assume it is the only
user of the range on this machine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pbx_core.errors import MediaError

__all__ = ["PortAllocator"]


class PortAllocator:
    """Even RTP ports in ``[port_min, port_max]``, each with its odd RTCP neighbour."""

    def __init__(self, port_min: int, port_max: int) -> None:
        if not 0 < port_min <= port_max <= 65535:
            raise ValueError(f"RTP port range {port_min}-{port_max} is invalid")
        first = port_min + (port_min % 2)
        if first + 1 > port_max:
            raise ValueError(f"RTP port range {port_min}-{port_max} holds no even/odd pair")
        self.port_min = port_min
        self.port_max = port_max
        self._first = first
        self._next = first
        self._in_use: set[int] = set()

    @property
    def in_use(self) -> frozenset[int]:
        return frozenset(self._in_use)

    @property
    def free_pairs(self) -> int:
        """How many pairs of the range are not handed out (some may be busy elsewhere)."""
        return (self.port_max - self._first + 1) // 2 - len(self._in_use)

    def _candidates(self) -> Iterator[int]:
        """Every free pair once, starting after the last one handed out (spreads reuse)."""
        count = (self.port_max - self._first + 1) // 2
        for step in range(count):
            port = self._first + ((self._next - self._first) // 2 + step) % count * 2
            if port not in self._in_use:
                yield port

    def allocate(self, try_bind: Callable[[int], bool] | None = None) -> int:
        """Reserve a pair and return its RTP port; ``try_bind(port)`` may veto a busy pair."""
        for port in self._candidates():
            if try_bind is None or try_bind(port):
                self._in_use.add(port)
                self._next = port + 2
                return port
        raise MediaError(f"no free RTP port in {self.port_min}-{self.port_max}")

    def release(self, port: int) -> None:
        """Give a pair back; releasing a free port is a no-op."""
        self._in_use.discard(port)
