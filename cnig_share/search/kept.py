"""A bounded map of what searches keep (segments' columns, scores, posting blocks,
passages): least recently used out first, safe across a worker's threads."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    """At most `limit` of the values' total size (`size`, 1 each by default); one
    value larger than the limit alone is still kept, until the next comes."""

    def __init__(self, limit: int, size: Callable[[V], int] = lambda value: 1) -> None:
        self.limit = limit
        self.size = size
        self.total = 0  # the size of all the values kept
        self._values: dict[Hashable, V] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._values)

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            found = self._values.pop(key, None)
            if found is not None:
                self._values[key] = found  # now the most recently used
        return found

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            if key in self._values:  # another thread made it meanwhile
                return
            self._values[key] = value
            self.total += self.size(value)
            while self.total > self.limit and len(self._values) > 1:
                self.total -= self.size(self._values.pop(next(iter(self._values))))

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept, or made now (outside the lock) and kept."""
        found = self.get(key)
        if found is None:
            found = make()
            self.put(key, found)
        return found
