import pytest
from django.test import override_settings


def scrape(client, **extra):
    return client.get("/metrics", **extra)


@pytest.mark.django_db
def test_requests_are_counted_by_url_pattern_never_by_path(client, portal):
    client.get("/cari/", {"q": "kartu keluarga hilang"})
    client.get("/data/")
    client.get("/tidak-ada-halaman-ini/")
    text = scrape(client).content.decode()
    assert 'route="cari/"' in text
    assert 'route="data/"' in text
    assert 'route="page"' in text  # Wagtail's page tree, 404 included, is one series
    assert "kartu" not in text and "tidak-ada" not in text
    assert "satupintu_http_request_duration_seconds_bucket" in text


@pytest.mark.django_db
def test_metrics_include_the_background_queue(client):
    text = scrape(client).content.decode()
    assert "satupintu_task_oldest_ready_seconds 0.0" in text
    assert "satupintu_workers_alive 0.0" in text


@pytest.mark.django_db
def test_metrics_are_only_for_allowed_networks_or_the_token(client):
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    assert scrape(client, **outside).status_code == 404
    with override_settings(SATUPINTU_METRICS_TOKEN="t" * 40):
        assert scrape(client, **outside, HTTP_AUTHORIZATION="Bearer " + "t" * 40).status_code == 200
        assert scrape(client, **outside, HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    with override_settings(SATUPINTU_METRICS_TOKEN=""):
        assert scrape(client, **outside, HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.django_db
def test_sign_ins_are_counted_by_kind(client, portal):
    before = _value(client, 'satupintu_signins_total{kind="staff",outcome="success"}')
    failed_before = _value(client, 'satupintu_signins_total{kind="any",outcome="failure"}')
    assert client.login(username="operator_a", password=portal.password)
    assert not client.login(username="operator_a", password="salah")
    assert _value(client, 'satupintu_signins_total{kind="staff",outcome="success"}') == before + 1
    assert (
        _value(client, 'satupintu_signins_total{kind="any",outcome="failure"}')
        == failed_before + 1
    )


def _value(client, series):
    for line in scrape(client).content.decode().splitlines():
        if line.startswith(series + " "):
            return float(line.split()[-1])
    return 0.0


@pytest.mark.django_db
def test_behind_nginx_the_visitor_address_counts_not_nginx(client):
    """nginx (127.0.0.1) forwards a stranger: /metrics must see the stranger and refuse."""
    forwarded = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert scrape(client, **forwarded).status_code == 404
    # A client cannot forge its way in: only a trusted peer's header is believed.
    forged = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "127.0.0.1"}
    assert scrape(client, **forged).status_code == 404
    assert scrape(client, REMOTE_ADDR="127.0.0.1").status_code == 200
