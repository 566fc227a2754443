from __future__ import annotations

from django.db import models


class RateLimitCounter(models.Model):
    """Attempts of one client or address at one public form, in a fixed window.

    Written only by ``actlocal.common.ratelimit`` with a single upsert per key, so workers
    and app servers share the counts; ``actlocal periodic`` deletes windows that are over.
    """

    key = models.CharField(max_length=100, primary_key=True)  # scope + hash, never the IP
    count = models.PositiveIntegerField(default=0)
    window_ends = models.FloatField(db_index=True)  # epoch seconds

    class Meta:
        db_table = "actlocal_ratelimit"

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
