"""The Redis cache goes away and comes back, for real: a private redis-server per test."""

import shutil
import socket
import subprocess
import time

import pytest

from satupintu.operations.cache import ResilientRedisCache

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="needs redis-server (installed on CI machines)"
)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Redis:
    def __init__(self):
        self.port = _free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603
            [
                shutil.which("redis-server"),
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(5)


@pytest.fixture
def redis():
    server = Redis()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def make_cache(port, **options):
    return ResilientRedisCache(
        f"redis://127.0.0.1:{port}/0",
        {"KEY_PREFIX": "t", "OPTIONS": {"RETRY_AFTER": 0.2, **options}},
    )


def test_serves_from_memory_while_redis_is_down_and_forgets_stale_keys_after(redis):
    cache = make_cache(redis.port)
    cache.set("page", "old")
    assert cache.get("page") == "old" and cache.ping()

    redis.stop()
    assert cache.get("page") is None  # no exception: a miss, then the page is built again
    cache.set("page", "while-down")
    assert cache.get("page") == "while-down"  # the process's own memory
    assert cache.is_down and not cache.ping()
    cache.delete("session")  # a sign-out during the outage

    redis.start()
    time.sleep(0.25)  # RETRY_AFTER
    # What Redis held before the outage may be stale (the purge and the sign-out never
    # reached it), so it is cleared on reconnect rather than served.
    assert cache.get("page") is None
    assert not cache.is_down
    cache.set("page", "new")
    assert cache.get("page") == "new"


def test_counters_keep_counting_during_an_outage(redis):
    cache = make_cache(redis.port)
    redis.stop()
    cache.set("attempts", 0)
    assert cache.incr("attempts") == 1
    assert cache.get_many(["attempts"]) == {"attempts": 1}


def test_a_dead_redis_costs_one_connect_timeout_not_one_per_call():
    port = _free_port()  # nothing listens here
    cache = make_cache(port, RETRY_AFTER=30)
    started = time.perf_counter()
    for _ in range(200):
        cache.get("x")
    # 200 calls each waiting for a connect would take many seconds; the mark-down makes
    # all but the first go straight to memory. (A loose bound, not a benchmark.)
    assert time.perf_counter() - started < 2


def test_clear_by_prefix_leaves_other_prefixes_alone(redis):
    mine = make_cache(redis.port, CLEAR="prefix")
    other = ResilientRedisCache(
        f"redis://127.0.0.1:{redis.port}/0", {"KEY_PREFIX": "u", "OPTIONS": {"CLEAR": "prefix"}}
    )
    mine.set("a", 1)
    other.set("a", 2)
    mine.clear()
    assert mine.get("a") is None
    assert other.get("a") == 2
