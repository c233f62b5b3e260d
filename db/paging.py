"""A page of results, shared by every paged read (partnership lists and searches, clinics)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

PAGE_SIZE = 10
T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    snippets: dict[int, str]  # search snippets by item id
    broadened: bool = False  # a search that found nothing with every word and fell back to any word
    capped: bool = False  # a search that ranked only its newest matches (``db.fts.SEARCH_LIMIT``)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))
