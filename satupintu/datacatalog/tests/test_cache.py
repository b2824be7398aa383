"""The shared page cache and the catalog: a verified or withdrawn dataset shows at once, and a
request carrying an API token never meets the cache."""

import pytest

from satupintu.datacatalog import workflow
from satupintu.datacatalog.testing import make_dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.WAGTAIL_CACHE = True


def test_withdrawal_purges_the_cached_page(portal, client, page_cache):
    dataset = make_dataset(portal.a, portal.operator_a, portal.verifier_a, portal.kominfo)
    url = f"/data/{dataset.name}/"
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Wagtail-Cache"] == "hit"
    workflow.withdraw(portal.kominfo, dataset, "Angka keliru")
    assert client.get(url).status_code == 404


def test_requests_with_a_token_bypass_the_cache(portal, client, page_cache):
    dataset = make_dataset(portal.a, portal.operator_a, portal.verifier_a, portal.kominfo)
    url = f"/data/{dataset.name}/"
    client.get(url)
    assert client.get(url)["X-Wagtail-Cache"] == "hit"
    for header in ({"HTTP_AUTHORIZATION": "abc"}, {"HTTP_X_CKAN_API_KEY": "abc"}):
        assert client.get(url, **header)["X-Wagtail-Cache"] == "skip"
