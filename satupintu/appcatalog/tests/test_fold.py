"""Folding the cached counters: overlapping runs never count twice."""

import pytest
from django.core.cache import cache

from satupintu.appcatalog import usage
from satupintu.appcatalog.models import AppUsageDay

pytestmark = pytest.mark.django_db


def test_an_overlapping_fold_waits_its_turn(apps):
    app = apps["a"]
    for _ in range(3):
        usage.record_launch(app.pk)
    cache.add(usage.FOLD_LOCK, 1)  # another fold is running
    assert usage.fold() == 0
    assert not AppUsageDay.objects.exists()
    cache.delete(usage.FOLD_LOCK)
    assert usage.fold() == 1
    assert usage.fold() == 0  # nothing left: the second run adds nothing
    assert AppUsageDay.objects.get(app=app).launches == 3
