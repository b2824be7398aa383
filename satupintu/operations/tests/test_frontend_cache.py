"""Publishing purges nginx's micro-cache: a real HTTP listener records the PURGE requests."""

import http.server
import threading

import pytest
from django.test import override_settings

from satupintu.core.testing import add_news


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list

    def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
        self.seen.append((self.headers["Host"], self.path))
        # nginx answers 404 for a URL it had not cached; that is not a failure.
        self.send_response(200 if len(self.seen) % 2 else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def purges():
    seen = []
    handler = type("Recorder", (_Recorder,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    backend = {
        "nginx": {
            "BACKEND": "satupintu.operations.frontend_cache.NginxPurgeBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    with override_settings(WAGTAILFRONTENDCACHE=backend):
        yield seen
    server.shutdown()


@pytest.mark.django_db
def test_publishing_purges_the_page_its_section_and_the_home(
    portal, purges, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        page = add_news(portal.a, "Jalan baru dibuka")
    paths = {path for _host, path in purges}
    assert page.url in paths and f"/en{page.url}" in paths
    assert portal.a.home_page.url in paths  # the OPD's section lists it
    assert "/" in paths  # the regency home aggregates every OPD
    assert all(host == "localhost" for host, _path in purges)
    assert "failed" not in caplog.text  # nginx's 404 for uncached URLs is not an error

    purges.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert page.url in {path for _host, path in purges}


@pytest.mark.django_db
def test_nothing_is_purged_before_the_commit(portal, purges, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        add_news(portal.a, "Belum dikomit")
    assert purges == [] and callbacks


@pytest.mark.django_db
def test_an_unreachable_nginx_does_not_stop_a_publish(
    portal, django_capture_on_commit_callbacks, caplog
):
    backend = {
        "nginx": {
            "BACKEND": "satupintu.operations.frontend_cache.NginxPurgeBackend",
            "LOCATION": "http://127.0.0.1:1",
        }
    }
    with (
        override_settings(WAGTAILFRONTENDCACHE=backend),
        django_capture_on_commit_callbacks(execute=True),
    ):
        page = add_news(portal.a, "Tetap terbit")
    assert page.live
    assert "Purge of" in caplog.text
