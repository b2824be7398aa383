"""Every admin page built on Wagtail's header include keeps its <h1>.

Wagtail's header include replaces the <h1> with the raw text of a context variable named
`heading`; a template that put its title in `heading` lost its only heading (WCAG 1.3.1,
2.4.6) without any visible change."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    "reporting_index",
    "reporting_dashboard",
    "reporting_summaries",
    "appcatalog_dashboard",
    "appcatalog_register",
    "datacatalog_sync:index",
    "datacatalog_sync:log",
    "datacatalog_sync:add",
]


@pytest.mark.parametrize("name", PAGES)
def test_admin_page_has_one_h1(portal, client_for, name):
    response = client_for(portal.kominfo).get(reverse(name))
    assert response.status_code == 200
    assert len(re.findall(r"<h1[\s>]", response.content.decode())) == 1
