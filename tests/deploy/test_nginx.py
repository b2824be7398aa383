"""deploy/nginx/ in front of the live server: the micro-cache, its purge on publish, what it
must never cache, and the static copy when Django is unreachable.

The test runs Debian's nginx with the project's own snippets (not a copy of their rules), so
a change to deploy/nginx/ is tested here. It fails, rather than skips, when nginx or its
cache-purge module is missing (`apt-get install nginx libnginx-mod-http-cache-purge`), unless
SATUPINTU_SKIP_NGINX=1.
"""

import os
import shutil
import socket
import subprocess
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.test import override_settings

from satupintu.core.testing import add_news
from satupintu.staticexport.links import UNAVAILABLE_PATH

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "nginx"
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")


def _require_nginx():
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if Path(nginx).exists() and PURGE_MODULE.exists():
        return nginx
    if os.environ.get("SATUPINTU_SKIP_NGINX") == "1":
        pytest.skip("nginx is missing and SATUPINTU_SKIP_NGINX=1")
    pytest.fail(
        "nginx with the cache-purge module is needed: "
        "apt-get install nginx libnginx-mod-http-cache-purge",
        pytrace=False,
    )


def _port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nginx:
    """One nginx built from deploy/nginx/ with the upstream pointed at `upstream`."""

    def __init__(self, binary, folder: Path, upstream: str, accounts_upstream: str | None = None):
        self.folder = folder
        self.port, self.purge_port = _port(), _port()
        shutil.copytree(DEPLOY / "snippets", folder / "snippets")
        (folder / "data" / "static-copy").mkdir(parents=True)
        http = (DEPLOY / "satupintu-http.conf").read_text()
        for server, replacement in (
            ("server 127.0.0.1:8000;", f"server {upstream};"),
            ("server 127.0.0.1:8001;", f"server {accounts_upstream or upstream};"),
            ("server 127.0.0.1:8000 backup;", f"server {upstream} backup;"),
        ):
            assert http.count(server) == 1, f"deploy/nginx/satupintu-http.conf: {server}"
            http = http.replace(server, replacement)
        http = http.replace("/var/cache/nginx/satupintu", str(folder / "cache"))
        (folder / "http.conf").write_text(http)
        # As root (CI), workers would drop to "nobody", who cannot read pytest's private tmp.
        user = "user root;" if os.geteuid() == 0 else ""
        (folder / "nginx.conf").write_text(
            f"""
{user}
load_module {PURGE_MODULE};
pid {folder}/nginx.pid;
error_log {folder}/error.log;
daemon on;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    gzip on;  # as Debian's nginx.conf
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include http.conf;
    server {{
        listen 127.0.0.1:{self.port};
        server_name localhost;
        set $satupintu_data {folder}/data;
        access_log {folder}/access.log satupintu;
        include snippets/satupintu-locations.conf;
    }}
    server {{
        listen 127.0.0.1:{self.purge_port};
        location / {{ proxy_cache_purge satupintu "$host$request_uri"; }}
    }}
}}
"""
        )
        subprocess.run(  # noqa: S603
            [binary, "-p", str(folder), "-c", str(folder / "nginx.conf")],
            check=True,
            capture_output=True,
        )
        self.binary = binary

    def stop(self):
        subprocess.run(  # noqa: S603
            [
                self.binary,
                "-p",
                str(self.folder),
                "-c",
                str(self.folder / "nginx.conf"),
                "-s",
                "stop",
            ],
            capture_output=True,
        )

    def get(self, path, headers=None):
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", headers={"Host": "localhost", **(headers or {})}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                body = response.read()
                if response.headers.get("Content-Encoding"):
                    return response.status, dict(response.headers), body
                return response.status, dict(response.headers), body.decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def nginx(portal_live, tmp_path, settings):
    settings.WAGTAIL_CACHE = True  # as in production: it also drops "Vary: Cookie" for visitors
    binary = _require_nginx()
    upstream = portal_live.url.removeprefix("http://")
    server = Nginx(binary, tmp_path / "nginx", upstream)
    yield server
    server.stop()


def test_anonymous_pages_come_from_the_micro_cache_until_a_publish_purges_them(nginx):
    from satupintu.opd.models import OPD

    opd = OPD.objects.get(slug="dinkes")
    page = add_news(opd, "Posyandu dibuka")
    first = nginx.get(page.url)
    second = nginx.get(page.url)
    assert first[0] == second[0] == 200
    assert first[1]["X-Cache"] == "MISS" and second[1]["X-Cache"] == "HIT"
    assert "Posyandu dibuka" in second[2]

    purge = {
        "nginx": {
            "BACKEND": "satupintu.operations.frontend_cache.NginxPurgeBackend",
            "LOCATION": f"http://127.0.0.1:{nginx.purge_port}",
        }
    }
    with override_settings(WAGTAILFRONTENDCACHE=purge):
        page.title = "Posyandu dibuka setiap Senin"
        page.save_revision().publish()
    status, headers, body = nginx.get(page.url)
    assert headers["X-Cache"] == "MISS"  # purged at once, not after the cache's lifetime
    assert "Posyandu dibuka setiap Senin" in body


def test_what_the_micro_cache_must_never_hold(nginx):
    # Signed-in people always reach Django.
    _s, headers, _b = nginx.get("/", {"Cookie": "sessionid=abc"})
    assert headers["X-Cache"] == "BYPASS"
    # A page with a CSRF token (it varies by cookie) is never stored.
    nginx.get("/akun/masuk/")
    _s, headers, _b = nginx.get("/akun/masuk/")
    assert headers.get("X-Cache") != "HIT"
    # /metrics is for Prometheus on loopback, never through the public server.
    assert nginx.get("/metrics")[0] == 404
    # Compressed for slow networks.
    _s, headers, _b = nginx.get("/", {"Accept-Encoding": "gzip"})
    assert headers.get("Content-Encoding") == "gzip"


def test_with_django_unreachable_the_static_copy_is_served(tmp_path):
    binary = _require_nginx()
    server = Nginx(binary, tmp_path / "down", f"127.0.0.1:{_port()}")  # nothing listens
    try:
        copy = server.folder / "data" / "static-copy"
        (copy / "berita" / "jalan").mkdir(parents=True)
        (copy / "berita" / "jalan" / "index.html").write_text("<h1>Salinan statis</h1>")
        status, headers, body = server.get("/berita/jalan/")
        assert status == 200 and "Salinan statis" in body
        assert headers["X-Served-By"] == "static-copy"
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "Strict-Transport-Security" not in headers  # plain http: never sent
        assert server.get("/tidak-ada/")[0] == 503
        # What needs the live system gets the copy's notice page, as 503.
        notice = copy / UNAVAILABLE_PATH.strip("/")  # where export-static writes it
        notice.mkdir(parents=True)
        (notice / "index.html").write_text("<h1>Hanya daring</h1>")
        for path in ("/akun/masuk/", "/admin/", "/sso/authorize/"):
            status, headers, body = server.get(path)
            assert (status, headers["X-Served-By"]) == (503, "static-copy"), path
            assert "Hanya daring" in body
    finally:
        server.stop()


class _AccountsPool(BaseHTTPRequestHandler):
    """Stands in for satupintu-web-accounts: every answer says it came from that pool."""

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.send_response(200)
        self.send_header("X-Pool", "accounts")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_admin_and_accounts_have_their_own_pool_with_the_main_one_as_backup(portal_live, tmp_path):
    binary = _require_nginx()
    pool = ThreadingHTTPServer(("127.0.0.1", 0), _AccountsPool)
    threading.Thread(target=pool.serve_forever, daemon=True).start()
    server = Nginx(
        binary,
        tmp_path / "pools",
        portal_live.url.removeprefix("http://"),
        accounts_upstream=f"127.0.0.1:{pool.server_address[1]}",
    )
    try:
        for path in (
            "/akun/masuk/",
            "/en/akun/masuk/",
            "/akun/daftar/",
            "/admin/login/",
            "/admin/x",
        ):
            assert server.get(path)[1].get("X-Pool") == "accounts", path
        for path in ("/", "/sso/.well-known/openid-configuration", "/cari/?q=ktp"):
            assert "X-Pool" not in server.get(path)[1], path

        pool.shutdown()
        pool.server_close()
        # The pool is down (not installed, restarting): the main pool answers instead.
        status, headers, body = server.get("/akun/masuk/")
        assert status == 200 and "X-Pool" not in headers
        assert 'name="csrfmiddlewaretoken"' in body
    finally:
        server.stop()
        pool.server_close()
