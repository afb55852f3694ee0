"""What every step of one `seed_scale` run shares, and its bulk inserts with progress."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime

from django.core.management.base import OutputWrapper

BATCH = 5000
#: PostgreSQL takes at most 65,535 parameters in one statement (server-side binding).
MAX_PARAMETERS = 65535


def batch_size(model) -> int:
    """Rows per INSERT: BATCH, or fewer for a model with many columns."""
    return min(BATCH, MAX_PARAMETERS // len(model._meta.concrete_fields))


class Progress:
    """``label: done/total (rate/s)`` on one line that is rewritten as rows go in."""

    def __init__(self, out, label: str, total: int):
        self.out, self.label, self.total, self.done = out, label, total, 0
        self.started = time.monotonic()

    def add(self, n: int) -> None:
        self.done += n
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        self.out.write(
            f"\r  {self.label}: {self.done:>9,}/{self.total:,} ({rate:,.0f}/s)", ending=""
        )
        self.out.flush()
        if self.done >= self.total:
            self.out.write("")


@dataclass
class Build:
    """One run: its random numbers (from ``--seed``), its moment, and where it reports."""

    rng: random.Random
    now: datetime
    out: OutputWrapper  # the command's stdout

    def bulk(self, model, objs: list, label: str) -> list:
        """``objs`` inserted with ``bulk_create`` in batches, with progress; returns them."""
        progress = Progress(self.out, label, len(objs))
        created = []
        size = batch_size(model)
        for i in range(0, len(objs), size):
            chunk = model.objects.bulk_create(objs[i : i + size], batch_size=size)
            created.extend(chunk)
            progress.add(len(chunk))
        return created
