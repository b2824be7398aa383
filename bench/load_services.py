"""The processes of bench/load: a private PostgreSQL cluster and Redis, gunicorn, nginx, the worker.

Everything runs on 127.0.0.1 and belongs to the benchmark alone, so the fault phase can restart
PostgreSQL and stop Redis without touching the servers other sessions use (5432, 6379). The
cluster and the seeded data live in bench/results/load/ (git-ignored) and are reused by later
runs; the nginx configuration, its cache and the logs of one run go to a temporary folder.
"""

import base64
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
STATE = ROOT / "bench" / "results" / "load"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
HOST = "127.0.0.1"
PG_PORT = 5440
REDIS_PORT = 6390
REDIS_DB = 7  # the page cache uses the next one (8)
GUNICORN_PORT = 8100
ACCOUNTS_PORT = 8101  # the accounts pool (SATUPINTU_POOL=accounts)
NGINX_PORT = 8180
PURGE_PORT = 8181
DB = "sp_load"


def log(text):
    print(f"  .. {text}", file=__import__("sys").stderr, flush=True)


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kwargs)


def port_open(port, host=HOST):
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def wait_for(predicate, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up within {seconds} s")


# --- PostgreSQL: a private cluster -----------------------------------------------------------
class Postgres:
    """A cluster of its own on port 5440 (initdb once, reused), run as the postgres user."""

    def __init__(self):
        self.data = STATE / "pg"
        self.run_dir = STATE / "run"
        self.log = self.run_dir / "pg.log"
        self.started_here = False

    def _as_postgres(self, *cmd):
        return run(["runuser", "-u", "postgres", "--", *cmd], cwd=STATE)

    def ensure(self):
        self.run_dir.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.run_dir, "postgres")
        if not (self.data / "PG_VERSION").is_file():
            log(f"initdb of a private PostgreSQL cluster in {self.data}")
            self.data.mkdir(parents=True, exist_ok=True)
            shutil.chown(self.data, "postgres", "postgres")
            self.data.chmod(0o700)
            self._as_postgres(
                str(PG_BIN / "initdb"),
                "-D",
                str(self.data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            )
        self.log.touch()
        shutil.chown(self.log, "postgres")
        if not self.ready():
            self.start()

    def options(self):
        return (
            f"-p {PG_PORT} -k {self.run_dir} -c listen_addresses={HOST} "
            "-c max_connections=200 -c shared_buffers=256MB"
        )

    def _pg_ctl(self, *args):
        self._as_postgres(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            self.options(),
            "-w",
            "-t",
            "60",
            *args,
        )

    def start(self):
        self._pg_ctl("start")
        self.started_here = True

    def restart(self):
        """What `systemctl restart postgresql` does: fast shutdown (open sessions cut), start."""
        self._pg_ctl("-m", "fast", "restart")

    def stop(self):
        if self.ready() or (self.data / "postmaster.pid").exists():
            subprocess.run(
                [
                    "runuser",
                    "-u",
                    "postgres",
                    "--",
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-m",
                    "fast",
                    "-w",
                    "stop",
                ],
                cwd=STATE,
                capture_output=True,
            )

    def ready(self):
        return (
            subprocess.run(
                [str(PG_BIN / "pg_isready"), "-q", "-h", HOST, "-p", str(PG_PORT)]
            ).returncode
            == 0
        )

    def psql(self, sql, db=DB):
        return run(
            ["psql", "-h", HOST, "-p", str(PG_PORT), "-U", "postgres", "-d", db, "-tAc", sql]
        ).stdout.strip()

    def db_exists(self, name=DB):
        return (
            self.psql(
                f"SELECT 1 FROM pg_database WHERE datname = '{name}'",  # noqa: S608
                db="postgres",
            )
            == "1"
        )

    def create_db(self, name=DB):
        run(["createdb", "-h", HOST, "-p", str(PG_PORT), "-U", "postgres", name])

    def drop_db(self, name=DB):
        run(
            [
                "dropdb",
                "-h",
                HOST,
                "-p",
                str(PG_PORT),
                "-U",
                "postgres",
                "--force",
                "--if-exists",
                name,
            ]
        )

    def pids(self):
        """The postmaster and all its backends (for CPU accounting)."""
        pid_file = self.data / "postmaster.pid"
        try:
            master = int(pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return []
        return [master, *children(master)]


# --- Redis: a private server -----------------------------------------------------------------
class Redis:
    def __init__(self):
        self.pid_file = STATE / "run" / "redis.pid"
        self.log = STATE / "run" / "redis.log"

    def ping(self):
        return (
            subprocess.run(
                ["redis-cli", "-h", HOST, "-p", str(REDIS_PORT), "ping"],
                capture_output=True,
                text=True,
            ).stdout.strip()
            == "PONG"
        )

    def start(self):
        run(
            [
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                HOST,
                "--port",
                str(REDIS_PORT),
                "--save",
                "",
                "--appendonly",
                "no",
                "--pidfile",
                str(self.pid_file),
                "--logfile",
                str(self.log),
            ]
        )
        wait_for(self.ping, 15, "redis-server on port 6390")

    def ensure(self):
        if not self.ping():
            self.start()

    def stop(self):
        """SHUTDOWN NOSAVE: nothing persisted, as a crashed or restarted cache server."""
        subprocess.run(
            ["redis-cli", "-h", HOST, "-p", str(REDIS_PORT), "shutdown", "nosave"],
            capture_output=True,
        )
        wait_for(lambda: not port_open(REDIS_PORT), 15, "redis-server stopping")

    def flush(self):
        for db in (REDIS_DB, REDIS_DB + 1):
            subprocess.run(
                ["redis-cli", "-h", HOST, "-p", str(REDIS_PORT), "-n", str(db), "flushdb"],
                capture_output=True,
            )

    def pids(self):
        try:
            return [int(self.pid_file.read_text().split()[0])]
        except (OSError, ValueError, IndexError):
            return []


# --- The environment of the site -------------------------------------------------------------
def secret_key():
    while True:  # production.py refuses keys containing "secret", "insecure", ...
        key = secrets.token_urlsafe(48)[:50]
        if not re.search(r"insecure|dev-only|changeme|secret", key.lower()):
            return key


RSA_KEY_SCRIPT = (
    "from cryptography.hazmat.primitives import serialization as s;"
    "from cryptography.hazmat.primitives.asymmetric import rsa;"
    "k = rsa.generate_private_key(public_exponent=65537, key_size=2048);"
    "print(k.private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption()).decode(),"
    " end='')"
)


def load_secrets():
    """Keys kept beside the cluster: NIKs are encrypted and hashed with them, so the citizens
    created by one run must be read with the same keys by the next."""
    path = STATE / "secrets.env"
    if path.is_file():
        text = path.read_text()
        values = dict(line.split("=", 1) for line in text.split("\n\x00\n") if "=" in line)
        if len(values) == 5:
            return values
    values = {
        "SECRET_KEY": secret_key(),
        "SATUPINTU_IDENTITY_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "SATUPINTU_IDENTITY_HASH_KEYS": secrets.token_urlsafe(32),
        "SATUPINTU_OIDC_PRIVATE_KEY": run([str(VENV_BIN / "python"), "-c", RSA_KEY_SCRIPT]).stdout,
        "SATUPINTU_OIDC_PAIRWISE_KEY": secrets.token_urlsafe(32),
    }
    STATE.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\x00\n".join(f"{k}={v}" for k, v in values.items()))
    path.chmod(0o600)
    return values


def site_env(keys, run_dir, page_cache=True, production=True):
    env = dict(os.environ)
    for name in (
        "DATABASE_URL",
        "REDIS_URL",
        "REDIS_PAGES_URL",
        "DEBUG",
        "LOG_LEVEL",
        "SATUPINTU_PAGE_CACHE",
        "CSRF_TRUSTED_ORIGINS",
        "WEB_CONCURRENCY",
        "DATABASE_CONN_MAX_AGE",
        "SATUPINTU_REGISTRY_BACKEND",
    ):
        env.pop(name, None)
    env.update(keys)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": (
                "satupintu.settings.production" if production else "satupintu.settings.dev"
            ),
            "DATABASE_URL": f"postgres://postgres@{HOST}:{PG_PORT}/{DB}",
            "REDIS_URL": f"redis://{HOST}:{REDIS_PORT}/{REDIS_DB}",
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "SATUPINTU_BASE_URL": f"http://{HOST}:{NGINX_PORT}",
            "SECURE_SSL_REDIRECT": "0",
            "SATUPINTU_FRONTEND_CACHE_URL": f"http://{HOST}:{PURGE_PORT}",
            "SATUPINTU_DATA_DIR": str(STATE / "data"),
            "PROMETHEUS_MULTIPROC_DIR": str(run_dir / "prometheus"),
            "SATUPINTU_PAGE_CACHE": "1" if page_cache else "0",
            "SATUPINTU_DEMO": "1",
            "DEBUG": "0",
            # As deploy/satupintu.env.example: INFO writes Django's JSON access line per request.
            "LOG_LEVEL": "INFO",
            "LOG_FORMAT": "json",
            "SATUPINTU_REGISTRY_BACKEND": "local",
            "PYTHONUNBUFFERED": "1",
            "GUNICORN_BIND": f"{HOST}:{GUNICORN_PORT}",
        }
    )
    return env


# --- Processes of the site -------------------------------------------------------------------
class Process:
    """One long-running child in a session of its own, stopped by its process group id."""

    def __init__(self, name, cmd, env, log_path, cwd=ROOT):
        self.name, self.cmd, self.env, self.cwd = name, cmd, env, cwd
        self.log_path = log_path
        self.proc = None

    def start(self):
        with open(self.log_path, "a") as out:
            out.write(f"\n==== {time.strftime('%H:%M:%S')} {' '.join(map(str, self.cmd))}\n")
        out = open(self.log_path, "a")  # noqa: SIM115 (inherited by the child)
        self.proc = subprocess.Popen(
            self.cmd,
            cwd=self.cwd,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        out.close()
        return self

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM, wait=30):
        if not self.alive():
            return
        try:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        except ProcessLookupError:
            pass

    def kill9(self):
        """kill -9 of the process alone (not its group): an OOM kill or a crash."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


def gunicorn(env, run_dir, pool="web"):
    """A pool of deploy/gunicorn.conf.py: `web`, or `accounts` as deploy/systemd/
    satupintu-web-accounts.service runs it (its own metrics folder and log)."""
    name = "gunicorn"
    if pool == "accounts":
        name = "gunicorn-accounts"
        env = {
            **env,
            "SATUPINTU_POOL": "accounts",
            "GUNICORN_ACCOUNTS_BIND": f"{HOST}:{ACCOUNTS_PORT}",
            "PROMETHEUS_MULTIPROC_DIR": str(run_dir / "prometheus-accounts"),
        }
    return Process(
        name,
        [
            str(VENV_BIN / "gunicorn"),
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "satupintu.wsgi:application",
        ],
        env,
        run_dir / f"{name}.log",
    )


def worker(env, run_dir):
    # The command line of deploy/systemd/satupintu-worker.service.
    return Process(
        "worker",
        [str(VENV_BIN / "satupintu"), "worker", "--queue-name", "*", "--interval", "1"],
        env,
        run_dir / "worker.log",
    )


def nginx_config(run_dir):
    """nginx.conf for the bench: the production http-level file, brotli and the locations
    snippet unchanged; the server block is deploy/nginx/satupintu.conf's without TLS."""
    deploy = ROOT / "deploy" / "nginx"
    conf = run_dir / "nginx"
    (conf / "snippets").mkdir(parents=True, exist_ok=True)
    for snippet in (deploy / "snippets").glob("*.conf"):
        shutil.copy(snippet, conf / "snippets" / snippet.name)
    http = (deploy / "satupintu-http.conf").read_text()
    http, n1 = re.subn(r"server 127\.0\.0\.1:8000;", f"server {HOST}:{GUNICORN_PORT};", http)
    http, n2 = re.subn(
        r"proxy_cache_path /var/cache/nginx/satupintu", f"proxy_cache_path {conf / 'cache'}", http
    )
    http, n3 = re.subn(r"server 127\.0\.0\.1:8001;", f"server {HOST}:{ACCOUNTS_PORT};", http)
    http, n4 = re.subn(
        r"server 127\.0\.0\.1:8000 backup;", f"server {HOST}:{GUNICORN_PORT} backup;", http
    )
    if (n1, n2, n3, n4) != (1, 1, 1, 1):
        raise RuntimeError("deploy/nginx/satupintu-http.conf changed: update bench/load")
    (conf / "satupintu-http.conf").write_text(http)
    shutil.copy(deploy / "brotli.conf", conf / "brotli.conf")
    production = (deploy / "satupintu.conf").read_text()
    purge = re.search(r"location / \{\s*proxy_cache_purge[^}]*\}", production)
    if not purge:
        raise RuntimeError("the purge server of deploy/nginx/satupintu.conf changed")
    data = STATE / "data"
    modules = sorted(Path("/etc/nginx/modules-enabled").glob("*.conf"))
    (conf / "nginx.conf").write_text(
        "\n".join(
            [
                *(f"include {m};" for m in modules),
                "worker_processes auto;",
                f"pid {conf / 'nginx.pid'};",
                f"error_log {run_dir / 'nginx-error.log'} warn;",
                "events { worker_connections 4096; }",
                "http {",
                "  include /etc/nginx/mime.types;",
                "  default_type application/octet-stream;",
                "  sendfile on; tcp_nopush on;",
                "  gzip on;  # as Debian's nginx.conf",
                *(f"  {d}_temp_path {conf / d};" for d in ("client_body", "proxy")),
                *(f"  {d}_temp_path {conf / d};" for d in ("fastcgi", "uwsgi", "scgi")),
                "  include satupintu-http.conf;",
                "  include brotli.conf;",
                "  server {",
                f"    listen {HOST}:{NGINX_PORT};",
                f"    server_name {HOST} localhost;",
                f"    set $satupintu_data {data};",
                f"    access_log {run_dir / 'nginx-access.log'} satupintu;",
                "    include snippets/satupintu-locations.conf;",
                "  }",
                "  server {",
                f"    listen {HOST}:{PURGE_PORT};",
                "    allow 127.0.0.1;",
                "    deny all;",
                "    access_log off;",
                f"    {purge.group(0)}",
                "  }",
                "}",
            ]
        )
        + "\n"
    )
    # nginx's workers run as nobody: they must reach the cache and the static files.
    for path in (run_dir, conf):
        path.chmod(0o755)
    return conf / "nginx.conf"


class Nginx:
    def __init__(self, run_dir):
        self.conf = nginx_config(run_dir)
        self.pid_file = self.conf.parent / "nginx.pid"

    def start(self):
        run(["nginx", "-t", "-q", "-c", str(self.conf)])
        run(["nginx", "-c", str(self.conf)])
        wait_for(lambda: port_open(NGINX_PORT), 10, "nginx")

    def stop(self):
        if self.pid_file.is_file():
            subprocess.run(["nginx", "-c", str(self.conf), "-s", "quit"], capture_output=True)
            deadline = time.monotonic() + 10
            while self.pid_file.is_file() and time.monotonic() < deadline:
                time.sleep(0.1)

    def pids(self):
        try:
            master = int(self.pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return []
        return [master, *children(master)]


# --- /proc accounting ------------------------------------------------------------------------
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid):
    """CPU of a process and its children, including children that have exited and been
    reaped (cutime, cstime): gunicorn recycles workers, PostgreSQL's backends come and go."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    own = sum(int(v) for v in fields[11:15]) / CLOCK_TICKS
    for child in children(pid):
        try:
            f = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited meanwhile: counted in the parent's cutime once reaped
        own += sum(int(v) for v in f[11:15]) / CLOCK_TICKS
    return own


def children(ppid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == ppid:
                    found.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return found


def rss_kb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_kb(pid):
    """Proportional set size: shared pages (preload_app's copy-on-write Django) counted once
    across the workers, so the sum over processes is the real memory they take."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def machine_busy_seconds():
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / CLOCK_TICKS


class Stack:
    """The whole production profile, started in order and stopped in reverse."""

    def __init__(self, keys, run_dir):
        self.keys, self.run_dir = keys, run_dir
        self.postgres, self.redis = Postgres(), Redis()
        self.nginx = Nginx(run_dir)
        self.web = self.accounts = self.work = None
        self.page_cache = True
        self.supervisor = None
        self.stopping = threading.Event()
        self.worker_exits = []

    def env(self, page_cache=True):
        return site_env(self.keys, self.run_dir, page_cache=page_cache)

    def start_web(self, page_cache=True):
        self.page_cache = page_cache
        self.web = gunicorn(self.env(page_cache), self.run_dir).start()
        wait_for(lambda: port_open(GUNICORN_PORT) or not self.web.alive(), 90, "gunicorn")
        if not self.web.alive():
            raise RuntimeError(f"gunicorn exited; see {self.run_dir / 'gunicorn.log'}")
        # The workers fork after the master binds: wait until all of them run.
        expected = int(self.env().get("WEB_CONCURRENCY") or os.cpu_count() * 2 + 1)
        wait_for(lambda: len(children(self.web.proc.pid)) >= expected, 60, "gunicorn workers")

    def restart_web(self, page_cache):
        self.web.stop()
        wait_for(lambda: not port_open(GUNICORN_PORT), 30, "gunicorn stopping")
        self.start_web(page_cache)

    def start_worker(self):
        """The worker under a supervisor that does what deploy/systemd/satupintu-worker.service
        does (Restart=always, RestartSec=2): an exit is recorded and the worker started again."""
        self.work = worker(self.env(), self.run_dir).start()
        if self.supervisor is None:
            self.supervisor = threading.Thread(target=self._supervise, daemon=True)
            self.supervisor.start()

    def _supervise(self):
        while not self.stopping.is_set():
            current = self.work
            if current is not None and not current.alive():
                self.worker_exits.append({"at": time.time(), "returncode": current.proc.returncode})
                log(f"the worker exited ({current.proc.returncode}); restarting it in 2 s")
                if self.stopping.wait(2):
                    return
                self.work = worker(self.env(), self.run_dir).start()
            self.stopping.wait(0.2)

    def start_accounts(self):
        self.accounts = gunicorn(self.env(), self.run_dir, pool="accounts").start()
        wait_for(
            lambda: port_open(ACCOUNTS_PORT) or not self.accounts.alive(), 90, "gunicorn-accounts"
        )
        if not self.accounts.alive():
            raise RuntimeError(
                f"gunicorn-accounts exited; see {self.run_dir}/gunicorn-accounts.log"
            )
        wait_for(lambda: len(children(self.accounts.proc.pid)) > os.cpu_count(), 60, "workers")

    def start(self):
        self.start_web()
        self.start_accounts()
        self.nginx.start()
        self.start_worker()

    def stop(self):
        self.stopping.set()
        if self.supervisor is not None:
            self.supervisor.join(5)
        for step in (
            lambda: self.work and self.work.stop(),
            lambda: self.nginx.stop(),
            lambda: self.web and self.web.stop(),
            lambda: self.accounts and self.accounts.stop(),
        ):
            try:
                step()
            except Exception as error:  # noqa: BLE001 (stop the rest whatever happens)
                log(f"while stopping: {error}")

    def groups(self):
        """pid lists per part of the profile, for CPU and memory accounting."""
        web = (
            [self.web.proc.pid, *children(self.web.proc.pid)]
            if self.web and self.web.alive()
            else []
        )
        accounts = (
            [self.accounts.proc.pid, *children(self.accounts.proc.pid)]
            if self.accounts and self.accounts.alive()
            else []
        )
        work = [self.work.proc.pid] if self.work and self.work.alive() else []
        return {
            "gunicorn": web,
            "accounts": accounts,
            "worker": work,
            "nginx": self.nginx.pids(),
            "postgres": self.postgres.pids(),
            "redis": self.redis.pids(),
        }


class CPUMeter:
    """Cores each part of the profile, the load generator and the rest of the machine used."""

    def __init__(self, stack):
        self.stack = stack
        self.start = self._sample()

    def _sample(self):
        # Each part by its first (master) process and everything under it, read afresh.
        masters = {k: v[:1] for k, v in self.stack.groups().items()}
        return (
            {k: sum(map(tree_cpu_seconds, v)) for k, v in masters.items()},
            machine_busy_seconds(),
            time.monotonic(),
        )

    def stop(self, loadgen_cpu):
        parts, busy, wall = self._sample()
        start_parts, start_busy, start_wall = self.start
        wall -= start_wall
        cores = {k: max(0.0, parts[k] - start_parts[k]) / wall for k in parts}
        cores["loadgen"] = loadgen_cpu / wall
        cores["others"] = max(0.0, (busy - start_busy) / wall - sum(cores.values()))
        return cores
