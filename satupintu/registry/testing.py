"""A local fake of Disdukcapil's per-field verification web service, for tests and development.

The real service is only reachable over the government network under a PKS, so the contract
that `satupintu.registry.dukcapil` relies on is implemented here, on 127.0.0.1 with an
ephemeral port, in a background thread:

    from satupintu.registry.testing import FakeDukcapil, fake_dukcapil

    with FakeDukcapil() as fake:                    # http://127.0.0.1:<port>/verify
        settings.SATUPINTU_DUKCAPIL = fake.settings(RETRIES=0)
        ...
        fake.set_mode(FakeDukcapil.ERROR, status=503, times=1)  # one 503, then normal again
        assert fake.request_count == 2

    # or, in a pytest test or fixture (pytest-django's `settings`): also selects the backend
    # and resets the circuit breaker before and after.
    with fake_dukcapil(settings) as fake:
        ...

Contract (what a normal answer looks like):

* POST JSON {user_id, password, IP_USER, TRESHOLD, NIK, NAMA_LGKP, TGL_LHR (DD-MM-YYYY),
  [TMPT_LHR], [NAMA_LGKP_IBU], PROP_NAME, KAB_NAME}. A request missing one of the required
  keys gets HTTP 400.
* Wrong user_id/password: HTTP 200 {"content": [{"RESPON": "User ID atau password salah"}]};
  an IP_USER other than the registered one: {"content": [{"RESPON": "IP Address tidak
  terdaftar"}]}. An unknown NIK: {"content": [{"RESPON": "Data Tidak Ditemukan"}]}.
* Otherwise {"content": [{<field>: verdict, ...}]} with one verdict per field sent: NIK and
  TGL_LHR exact ("Sesuai" / "Tidak Sesuai"); names, birth place and PROP_NAME/KAB_NAME scored
  with difflib's ratio × 100 against TRESHOLD ("Sesuai", "Sesuai (96)", "Tidak Sesuai (59)").
  With `transaction_ids=True` the answer also carries a top-level "transaction_id".

Modes (`set_mode`, optionally for the next `times` requests only): NORMAL, SLOW (waits
`slow_seconds`, past the read timeout of `settings()`, then answers), ERROR (HTTP `status`,
default 500), MALFORMED (HTTP 200 that is not JSON), WRONG_SHAPE (JSON without a content
list), AUTH_REFUSED, QUOTA (in-band refusals as above), DROP (closes the connection without
answering) and FIXED (HTTP 200 with the JSON `body` you give).

`https=True` serves TLS with a certificate from a throwaway CA generated with `cryptography`;
`ca_bundle` is the CA's PEM file, so verification works only when CA_BUNDLE names it.

The fake keeps every request it received (`requests`, including the password and the NIK) in
memory, for assertions; it is for tests and local development only.
"""

from __future__ import annotations

import datetime
import difflib
import ipaddress
import json
import ssl
import sys
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from satupintu.identity.protection import normalise_name


@dataclass(frozen=True)
class Person:
    """One registry entry; domicile in SIAK's form (see dukcapil.domicile_names)."""

    nik: str
    full_name: str
    birth_date: datetime.date
    birth_place: str
    mother_name: str
    prop_name: str = "JAWA TIMUR"
    kab_name: str = "LAMONGAN"


# Fictional people. The third was first registered in Lamongan (3524...) but lives in Surabaya,
# the fourth the other way round: the NIK prefix never tells domicile.
DEFAULT_POPULATION = (
    Person("3524015708900001", "SITI AMINAH", datetime.date(1990, 8, 17), "LAMONGAN", "KHADIJAH"),
    Person("3524121203850002", "BUDI SANTOSO", datetime.date(1985, 3, 12), "BABAT", "SRI WAHYUNI"),
    Person(
        "3524100101800003", "AHMAD FAUZI", datetime.date(1980, 1, 1), "LAMONGAN", "MUNAWAROH",
        kab_name="KOTA SURABAYA",
    ),
    Person("3578016505950004", "DEWI LESTARI", datetime.date(1995, 5, 25), "SURABAYA", "SUPARMI"),
)

REQUIRED_KEYS = (
    "user_id", "password", "IP_USER", "TRESHOLD", "NIK", "NAMA_LGKP", "TGL_LHR",
    "PROP_NAME", "KAB_NAME",
)
SCORED_KEYS = ("NAMA_LGKP", "TMPT_LHR", "NAMA_LGKP_IBU", "PROP_NAME", "KAB_NAME")


@dataclass
class Received:
    """One request as the fake saw it: parsed JSON (None if it was not JSON) and headers."""

    payload: dict | None
    headers: dict[str, str] = field(default_factory=dict)


class FakeDukcapil:
    NORMAL = "normal"
    SLOW = "slow"
    ERROR = "error"
    MALFORMED = "malformed"
    WRONG_SHAPE = "wrong_shape"
    AUTH_REFUSED = "auth_refused"
    QUOTA = "quota"
    DROP = "drop"
    FIXED = "fixed"
    MODES = (NORMAL, SLOW, ERROR, MALFORMED, WRONG_SHAPE, AUTH_REFUSED, QUOTA, DROP, FIXED)

    def __init__(
        self,
        population=DEFAULT_POPULATION,
        *,
        user_id: str = "satupintu-uji",
        password: str = "kata-sandi-uji",  # noqa: S107 (the fake's own test credential)
        ip_user: str = "127.0.0.1",
        https: bool = False,
        transaction_ids: bool = False,
        slow_seconds: float = 2.0,
        path: str = "/verify",
        port: int = 0,
    ):
        self.port = port
        self.population = {person.nik: person for person in population}
        self.user_id = user_id
        self.password = password
        self.ip_user = ip_user
        self.https = https
        self.transaction_ids = transaction_ids
        self.slow_seconds = slow_seconds
        self.path = path
        self.requests: list[Received] = []
        self.ca_bundle = ""
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._mode = (self.NORMAL, {})
        self._mode_times: int | None = None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._tempdir: tempfile.TemporaryDirectory | None = None

    # --- control -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeDukcapil is not running")
        scheme = "https" if self.https else "http"
        return f"{scheme}://127.0.0.1:{self._server.server_address[1]}{self.path}"

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self.requests)

    @property
    def last_request(self) -> Received | None:
        with self._lock:
            return self.requests[-1] if self.requests else None

    def add(self, person: Person) -> None:
        with self._lock:
            self.population[person.nik] = person

    def set_mode(self, mode: str, *, status: int = 500, body=None, times: int | None = None):
        """Answer the next `times` requests (all, when None) this way, then normally again."""
        if mode not in self.MODES:
            raise ValueError(f"unknown mode {mode!r}")
        with self._lock:
            self._mode = (mode, {"status": status, "body": body})
            self._mode_times = times

    def settings(self, **overrides) -> dict:
        """A SATUPINTU_DUKCAPIL dict pointing at this fake, with timeouts small enough for
        tests (the read timeout is well under `slow_seconds`)."""
        config = {
            "URL": self.url,
            "USER_ID": self.user_id,
            "PASSWORD": self.password,
            "IP_USER": self.ip_user,
            "CA_BUNDLE": self.ca_bundle,
            "THRESHOLD": 90,
            "CONNECT_TIMEOUT": 1.0,
            "READ_TIMEOUT": 0.5,
            "RETRIES": 2,
            "BACKOFF": 0.01,
            "BACKOFF_MAX": 0.05,
            "BREAKER_FAILURES": 3,
            "BREAKER_COOLDOWN": 30,
        }
        config.update(overrides)
        return config

    def start(self) -> FakeDukcapil:
        self._stopping.clear()
        server = _Server(("127.0.0.1", self.port), _Handler)
        server.fake = self
        if self.https:
            self._tempdir = tempfile.TemporaryDirectory(prefix="fake-dukcapil-")
            cert, key, ca = _self_signed(Path(self._tempdir.name))
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert, key)
            # The handshake happens in the handler thread, not in the accepting one.
            server.socket = context.wrap_socket(
                server.socket, server_side=True, do_handshake_on_connect=False
            )
            self.ca_bundle = str(ca)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes SLOW handlers
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._tempdir is not None:
            self._tempdir.cleanup()
        self._server = self._thread = self._tempdir = None

    def __enter__(self) -> FakeDukcapil:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # --- answering -----------------------------------------------------------------------

    def _take_mode(self) -> tuple[str, dict]:
        with self._lock:
            mode = self._mode
            if self._mode_times is not None:
                self._mode_times -= 1
                if self._mode_times <= 0:
                    self._mode, self._mode_times = (self.NORMAL, {}), None
            return mode

    def _record(self, payload, headers) -> int:
        with self._lock:
            self.requests.append(Received(payload, headers))
            return len(self.requests)

    def answer(self, payload) -> tuple[int, dict]:
        """The normal answer to one request: (HTTP status, JSON object)."""
        if not isinstance(payload, dict) or any(
            not isinstance(payload.get(key), str | int) for key in REQUIRED_KEYS
        ):
            return 400, _respon("Parameter tidak lengkap")
        threshold = payload["TRESHOLD"]
        if not isinstance(threshold, int) or not 0 <= threshold <= 100:
            return 400, _respon("TRESHOLD tidak sah")
        if (payload["user_id"], payload["password"]) != (self.user_id, self.password):
            return 200, _respon("User ID atau password salah")
        if payload["IP_USER"] != self.ip_user:
            return 200, _respon("IP Address tidak terdaftar")
        with self._lock:
            person = self.population.get(payload["NIK"])
        if person is None:
            return 200, _respon("Data Tidak Ditemukan")
        truth = {
            "NIK": person.nik,
            "NAMA_LGKP": person.full_name,
            "TGL_LHR": person.birth_date.strftime("%d-%m-%Y"),
            "TMPT_LHR": person.birth_place,
            "NAMA_LGKP_IBU": person.mother_name,
            "PROP_NAME": person.prop_name,
            "KAB_NAME": person.kab_name,
        }
        row = {}
        for key, expected in truth.items():
            if key not in payload:
                continue
            if key in SCORED_KEYS:
                row[key] = _scored(str(payload[key]), expected, threshold)
            else:
                row[key] = "Sesuai" if payload[key] == expected else "Tidak Sesuai"
        return 200, {"content": [row]}


def _respon(text: str) -> dict:
    return {"content": [{"RESPON": text}]}


def _scored(sent: str, expected: str, threshold: int) -> str:
    score = round(
        difflib.SequenceMatcher(None, normalise_name(sent), normalise_name(expected)).ratio()
        * 100
    )
    if score >= 100:
        return "Sesuai"
    return f"Sesuai ({score})" if score >= threshold else f"Tidak Sesuai ({score})"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeDukcapil

    def handle_error(self, request, client_address):
        # Clients that gave up (timeouts) or refused our certificate: expected, not news.
        if not isinstance(sys.exc_info()[1], ConnectionError | ssl.SSLError | TimeoutError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    timeout = 10  # a client that never sends its request does not hold a thread forever

    def log_message(self, *args):  # the test output is no place for a request log
        pass

    def do_GET(self):
        self._send(405, b"", "text/plain")

    def do_POST(self):
        fake = self.server.fake
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = None
        number = fake._record(payload, dict(self.headers.items()))
        mode, options = fake._take_mode()
        if self.path != fake.path:
            self._json(404, _respon("Not Found"))
            return
        if mode == fake.DROP:
            self.close_connection = True
            return
        if mode == fake.SLOW and fake._stopping.wait(fake.slow_seconds):
            return
        if mode == fake.ERROR:
            status = options["status"]
            self._send(status, f"<html><body>{status}</body></html>".encode(), "text/html")
        elif mode == fake.MALFORMED:
            self._send(200, b'{"content": [{"NIK": "Sesuai",', "application/json")
        elif mode == fake.WRONG_SHAPE:
            self._json(200, {"content": {"NIK": "Sesuai"}, "lastPage": True})
        elif mode == fake.AUTH_REFUSED:
            self._json(200, _respon("User ID atau password salah"))
        elif mode == fake.QUOTA:
            self._json(200, _respon("Kuota akses hari ini telah habis"))
        elif mode == fake.FIXED:
            self._json(200, options["body"])
        else:
            status, body = fake.answer(payload)
            if fake.transaction_ids and status == 200:
                body = {**body, "transaction_id": f"FAKE-{number:06d}"}
            self._json(status, body)

    def _json(self, status: int, body) -> None:
        self._send(status, json.dumps(body).encode(), "application/json")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (ConnectionError, ssl.SSLError, TimeoutError):
            self.close_connection = True


def _self_signed(directory: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a certificate for 127.0.0.1/localhost signed by it: (cert, key, ca)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Fake Dukcapil test CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, key_cert_sign=True, crl_sign=True,
                content_commitment=False, key_encipherment=False, data_encipherment=False,
                key_agreement=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                ]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = directory / "cert.pem", directory / "key.pem", directory / "ca.pem"
    paths[0].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    paths[2].write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    return paths


@contextmanager
def fake_dukcapil(settings, **kwargs):
    """Run a FakeDukcapil and point `settings` (pytest-django's fixture, or any object whose
    attributes are Django settings and are restored afterwards) at it.

    Selects the "dukcapil" backend and resets the shared circuit breaker before and after, so
    one test's outages never make another fail fast. Keyword arguments go to FakeDukcapil;
    `config=` (a dict) overrides keys of its `settings()`.
    """
    from .dukcapil import reset_breaker

    config = kwargs.pop("config", {})
    with FakeDukcapil(**kwargs) as fake:
        settings.SATUPINTU_REGISTRY_BACKEND = "dukcapil"
        settings.SATUPINTU_DUKCAPIL = fake.settings(**config)
        reset_breaker()
        try:
            yield fake
        finally:
            reset_breaker()
