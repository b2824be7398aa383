"""HTTP side of bench/load: one browser-like client (keep-alive, cookies, forms) and the actions.

Each action is what a person does in one go: a page view, a search, a citizen signing in and
opening an app, an operator saving a report draft. An action is a list of requests; each
request is recorded (kind, status, seconds, ok). Only the standard library: http.client with
one persistent connection per client, re-opened when the server closes it (gunicorn's sync
workers do; nginx keeps it).
"""

import http.client
import random
import re
import time
import urllib.parse
from html.parser import HTMLParser
from http.cookies import SimpleCookie

HOST = "127.0.0.1"
# The demo site's hostname: nginx's cache key and Wagtail's purges both use it.
SITE_HOST = "localhost"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# What people type into a regency portal's search box (Indonesian, some misspelt, some short).
QUERIES = [
    "ktp elektronik",
    "kartu keluarga",
    "akta kelahiran",
    "imunisasi",
    "puskesmas",
    "jadwal vaksinasi",
    "perizinan usaha",
    "nib umkm",
    "beasiswa",
    "lowongan kerja",
    "pajak bumi bangunan",
    "bpjs kesehatan",
    "bantuan sosial",
    "jalan rusak",
    "banjir",
    "sampah",
    "pengaduan",
    "surat pindah",
    "kependudukan",
    "rumah sakit",
    "rsud",
    "pelayanan publik",
    "informasi publik",
    "ppid",
    "anggaran",
    "apbd 2026",
    "data penduduk",
    "jumlah penduduk per kecamatan",
    "kecamatan babat",
    "kecamatan paciran",
    "dinas kesehatan",
    "diskominfo",
    "disdukcapil",
    "camat",
    "desa",
    "kelurahan",
    "izin mendirikan bangunan",
    "pbg",
    "izin lingkungan",
    "pasar",
    "harga sembako",
    "stunting",
    "posyandu",
    "demam berdarah",
    "ambulans",
    "layanan darurat 112",
    "perpustakaan",
    "wisata lamongan",
    "pantai",
    "festival",
    "agenda bupati",
    "pengumuman cpns",
    "seleksi pppk",
    "kartu sehat",
    "akte kematian",
    "ktp hilang",
    "imuniasi",
    "kartu keluaga",
    "puskesmass",
    "perijinan",
    "beasiswa kuliah",
]


class Form(HTMLParser):
    """The named fields of the first <form method=post> whose action matches: what a browser
    would send back untouched (checked boxes, selected options, textarea text)."""

    def __init__(self, action=None):
        super().__init__(convert_charrefs=True)
        self.action, self.fields = action, []
        self.depth, self.done, self.found = 0, False, False
        self.textarea = self.select = None
        self.select_value = None
        self.inputs = []  # (name, type, required)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.done:
            return
        if tag == "form":
            if self.found:
                self.depth += 1
                return
            method = (a.get("method") or "get").lower()
            if method == "post" and (self.action is None or a.get("action", "") == self.action):
                self.found = True
            return
        if not self.found:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            self.inputs.append((name, kind, "required" in a))
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "image", "file", "reset"):
                self.fields.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self.inputs.append((name, "textarea", "required" in a))
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.inputs.append((name, "select", "required" in a))
            self.select, self.select_value = name, None
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if self.select_value is None:
                self.select_value = [value, None]
            if "selected" in a and self.select_value[1] is None:
                self.select_value[1] = value

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if not self.found or self.done:
            return
        if tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # HTML drops the newline right after <textarea>; a browser sends the text without it.
            self.fields.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "select" and self.select:
            if self.select_value is not None:
                first, selected = self.select_value
                self.fields.append((self.select, first if selected is None else selected))
            self.select = None
        elif tag == "form":
            if self.depth:
                self.depth -= 1
            else:
                self.done = True


def parse_form(html, action=None):
    form = Form(action)
    form.feed(html)
    return form if form.found else None


class Failed(Exception):
    """A request that answered something other than what the flow expects."""


class Client:
    """One browser: a keep-alive connection to nginx (or gunicorn), a cookie jar, a record."""

    def __init__(self, port, record, host_header=SITE_HOST, timeout=30):
        self.port, self.record, self.host_header, self.timeout = port, record, host_header, timeout
        self.conn = None
        self.jar = {}

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def forget(self):
        """A new visitor on the same connection: no cookies."""
        self.jar = {}

    def _store(self, headers):
        for name, value in headers:
            if name.lower() == "set-cookie":
                parsed = SimpleCookie()
                try:
                    parsed.load(value)
                except Exception:  # noqa: BLE001, S112 (a cookie we cannot read is skipped)
                    continue
                for key, morsel in parsed.items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.jar.pop(key, None)
                    else:
                        self.jar[key] = morsel.value

    def request(self, kind, method, path, form=None, expect=(200,), extra=None):
        """One request, recorded; returns (status, headers, body) or raises Failed."""
        headers = {
            "Host": self.host_header,
            "User-Agent": "bench/load",
            "Accept-Encoding": "gzip, br",
        }
        if self.jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            origin = f"http://{self.host_header}"
            headers["Origin"], headers["Referer"] = origin, origin + path
        headers.update(extra or {})
        started = time.perf_counter()
        status, error = 0, None
        try:
            for attempt in (0, 1):
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
                try:
                    self.conn.request(method, path, body=body, headers=headers)
                    response = self.conn.getresponse()
                    data = response.read()
                    break
                except (
                    http.client.RemoteDisconnected,
                    BrokenPipeError,
                    ConnectionResetError,
                ) as exc:
                    # A keep-alive connection the server closed between requests: a browser
                    # retries those once on a new connection (only when nothing was answered).
                    self.close()
                    if attempt:
                        raise exc from None
            status = response.status
            response_headers = response.getheaders()
            if response.getheader("Connection", "").lower() == "close":
                self.close()
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            error = type(exc).__name__
        elapsed = time.perf_counter() - started
        ok = error is None and status in expect
        self.last_method = method
        self.record(kind, status, elapsed, ok, error or (None if ok else f"HTTP {status}"), path)
        if error is not None:
            raise Failed(f"{kind} {method} {path}: {error}")
        if not ok:
            raise Failed(f"{kind} {method} {path}: HTTP {status}")
        self._store(response_headers)
        return status, response_headers, data

    def get_text(self, kind, path, expect=(200,)):
        # Pages to parse are asked with gzip only (the standard library has no brotli).
        _, headers, data = self.request(
            kind, "GET", path, expect=expect, extra={"Accept-Encoding": "gzip"}
        )
        encoding = next((v for k, v in headers if k.lower() == "content-encoding"), "")
        if encoding == "gzip":
            import gzip

            data = gzip.decompress(data)
        return data.decode("utf-8", "replace")


def header(headers, wanted):
    return next((v for k, v in headers if k.lower() == wanted.lower()), None)


def sign_in(client, kinds, path, fields):
    """A sign-in form as a browser sends it: GET (its CSRF token), then POST, which must
    answer 302. `kinds` names the two requests in the records. Returns the POST's headers."""
    text = client.get_text(kinds[0], path)
    token = TOKEN.search(text)
    if not token:
        raise Failed(f"{kinds[0]}: no CSRF token on {path}")
    _, headers, _ = client.request(
        kinds[1],
        "POST",
        path,
        form={"csrfmiddlewaretoken": token.group(1), **fields},
        expect=(302,),
    )
    return headers


# --- Actions ---------------------------------------------------------------------------------
class Actions:
    """The mix. `targets` comes from discover(): page URLs, app slugs, accounts, report forms."""

    def __init__(self, targets, rng):
        self.t, self.rng = targets, rng
        self.citizen_accounts = targets["citizens"]

    def browse(self, client):
        client.forget()
        client.request("page", "GET", self.rng.choice(self.t["pages"]))

    def search(self, client):
        client.forget()
        query = self.rng.choice(QUERIES)
        if self.rng.random() < 0.35:
            # Suggestions as typed: the first few letters.
            prefix = query[: self.rng.randint(3, max(3, len(query)))]
            client.request(
                "suggest", "GET", "/cari/saran/?" + urllib.parse.urlencode({"q": prefix})
            )
        else:
            params = {"q": query}
            if self.rng.random() < 0.2:
                params["hal"] = "2"
            client.request(
                "search", "GET", "/cari/?" + urllib.parse.urlencode(params), expect=(200, 404)
            )

    def citizen(self, client):
        """Sign in through the real form (CSRF), open an app from the catalogue, look at
        the account page, sign out."""
        client.forget()
        account = self.rng.choice(self.citizen_accounts)
        headers = sign_in(
            client,
            ("citizen", "signin"),
            "/akun/masuk/",
            {"next": "/akun/", "nik": account["nik"], "password": account["password"]},
        )
        if urllib.parse.urlsplit(header(headers, "Location") or "").path != "/akun/":
            raise Failed("citizen: sign-in did not lead to /akun/")
        slug = self.rng.choice(self.t["apps"])
        client.request("citizen", "GET", f"/aplikasi/{slug}/buka/", expect=(302,))
        client.request("citizen", "GET", "/akun/")
        client.forget()

    def operator_sign_in(self, client, account):
        sign_in(
            client,
            ("operator", "operator"),
            "/admin/login/",
            {"next": "/admin/", "username": account["username"], "password": account["password"]},
        )
        if "sessionid" not in client.jar:
            raise Failed("operator: no session after the admin sign-in")

    def operator(self, client, marker=None, target=None):
        """An OPD operator opens one of their reports and saves it as a draft (the form sent
        back as shown, one text field changed). Operators are signed in before the run and
        stay signed in between edits (the client keeps their session apart from the anonymous
        visitor's cookies; a lost session signs in again). Returns
        (fill path, marker) when saved. 409 is the app's answer to two people saving the same
        draft at once (its optimistic lock): recorded as a conflict, not an error."""
        target = target or self.rng.choice(self.t["reports"])
        username = target["account"]["username"]
        sessions = client.__dict__.setdefault("operator_sessions", {})
        client.jar = dict(sessions.get(username) or target["account"].get("session", {}))
        try:
            if "sessionid" not in client.jar:
                self.operator_sign_in(client, target["account"])
            status, headers, data = client.request(
                "operator",
                "GET",
                target["path"],
                expect=(200, 302),
                extra={"Accept-Encoding": "gzip"},
            )
            if status == 302:  # the session is gone (e.g. expired): sign in again
                client.jar = {}
                self.operator_sign_in(client, target["account"])
                data = client.get_text("operator", target["path"]).encode()
            elif header(headers, "Content-Encoding") == "gzip":
                import gzip

                data = gzip.decompress(data)
            form = parse_form(data.decode("utf-8", "replace"))
            if form is None:
                raise Failed(f"operator: no form on {target['path']}")
            marker = marker or f"bench-{self.rng.getrandbits(48):012x}"
            fields = [(k, v) for k, v in form.fields if k != target["field"]]
            fields.append((target["field"], marker))
            fields.append(("_save", ""))
            status, headers, _ = client.request(
                "operator", "POST", target["path"], form=fields, expect=(302, 409)
            )
            sessions[username] = dict(client.jar)
        except Failed:
            sessions.pop(username, None)
            raise
        finally:
            client.jar = {}
        return (target["path"], marker) if status == 302 else None


def pick(rng, weights):
    roll, total = rng.random() * sum(w for _, w in weights), 0.0
    for name, weight in weights:
        total += weight
        if roll < total:
            return name
    return weights[-1][0]


MIX = [("browse", 80), ("search", 15), ("citizen", 4), ("operator", 1)]


def make_rng(seed):
    return random.Random(seed)  # noqa: S311 (load mix, not security)
