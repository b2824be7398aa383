"""gunicorn for Satu Pintu (systemd: deploy/systemd/satupintu-web.service).

Sized to the machine: sync workers, 2 x cores + 1 by default (WEB_CONCURRENCY overrides), the
usual rule for a CPU-bound Django app whose slow paths are the database, not the network.
Workers are recycled after a few thousand requests (with jitter, so they never restart all at
once) to cap slow memory growth. Metrics from all workers add up through
PROMETHEUS_MULTIPROC_DIR, which is emptied at start and cleaned when a worker exits.

Two pools run from this file. `web` (satupintu-web, 127.0.0.1:8000) serves the public.
`accounts` (SATUPINTU_POOL=accounts, satupintu-web-accounts, 127.0.0.1:8001) serves what
people sign in for, which nginx sends it: the admin (/admin/) and citizens' accounts (/akun/).
That work is slow in ways public pages must not queue behind: a password check costs ~40-60
ms of a core and 46 MB (Argon2id at OWASP's cost, satupintu/citizens/hashers.py), a sign-up
waits on the population registry, an admin page renders for ~60 ms and a dataset upload loads
its table for up to a minute. In its own pool, at a lower CPU priority, a rush of sign-ins or
a long upload waits there while public pages keep their workers and their cores (bench/load
measures both pools under the mixed load).
"""

import multiprocessing
import os
import shutil
from pathlib import Path

pool = os.environ.get("SATUPINTU_POOL", "web")
if pool == "accounts":
    bind = os.environ.get("GUNICORN_ACCOUNTS_BIND", "127.0.0.1:8001")
    # One more than cores: password checks are CPU-bound, admin pages wait on the database.
    workers = int(os.environ.get("ACCOUNTS_CONCURRENCY", multiprocessing.cpu_count() + 1))
    # A positive niceness: under contention the public workers get the cores first. systemd's
    # CPUWeight (deploy/systemd/satupintu-web-accounts.service) does the same between units.
    niceness = int(os.environ.get("ACCOUNTS_NICE", "5"))
else:
    bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
    workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
    niceness = 0
worker_class = "sync"
# Loading a 200 MB dataset file into its table takes about a minute.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "90"))
graceful_timeout = 30
keepalive = 5  # nginx keeps upstream connections open (deploy/nginx/)
max_requests = 5000
max_requests_jitter = 500
# Not preloaded: `systemctl reload` (HUP) then starts workers on the new code one by one,
# which an upgrade needs; a preloaded app would keep serving the old code until a restart.
preload_app = False
# Django writes one JSON access line per request without the query string
# (SATUPINTU_ACCESS_LOG); gunicorn's own would carry it, so it stays off.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "satupintu" if pool == "web" else f"satupintu-{pool}"
# gunicorn's control socket (gunicornc) defaults to ~/.gunicorn/gunicorn.ctl, which two
# instances of one user would share; systemd gives each its runtime folder.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True, exist_ok=True)


def post_fork(server, worker):
    if niceness:
        os.nice(niceness)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
