import json
import logging

import pytest
from django.test import override_settings

from satupintu.operations.logs import JsonFormatter, RequestIdFilter, TextFormatter

NIK = "3524011203900001"  # a made-up number in the shape of a NIK


def record(message, *args, **extra):
    rec = logging.LogRecord("satupintu.test", logging.WARNING, __file__, 1, message, args, None)
    for name, value in extra.items():
        setattr(rec, name, value)
    RequestIdFilter().filter(rec)
    return rec


def test_json_lines_mask_personal_data_in_message_arguments_and_extras():
    line = JsonFormatter().format(
        record(
            "NIK %s tidak cocok; hubungi %s",
            NIK,
            "warga@example.id",
            phone="081234567890",
            note=f"nik={NIK}",
        )
    )
    data = json.loads(line)
    assert NIK not in line and "warga@example.id" not in line and "081234567890" not in line
    assert data["message"] == "NIK [NIK] tidak cocok; hubungi [email]"
    assert data["phone"] == "[telepon]" and data["note"] == "nik=[NIK]"
    assert data["level"] == "WARNING" and data["logger"] == "satupintu.test" and "time" in data


def test_tracebacks_are_masked_too():
    try:
        raise ValueError(f"bad {NIK}")
    except ValueError:
        import sys

        rec = record("failed")
        rec.exc_info = sys.exc_info()
    assert NIK not in JsonFormatter().format(rec)
    assert NIK not in TextFormatter().format(rec)


def test_ordinary_numbers_are_left_alone():
    text = TextFormatter().format(record("took %s ms for 1234567890 rows of 2026", 15))
    assert "1234567890 rows of 2026" in text


@pytest.mark.django_db
@override_settings(SATUPINTU_ACCESS_LOG=True)
def test_one_access_line_per_request_without_the_query_string(client, caplog):
    with caplog.at_level(logging.INFO, logger="satupintu.access"):
        response = client.get("/cari/", {"q": "rahasia pribadi"}, HTTP_X_REQUEST_ID="abcdef123456")
    assert response["X-Request-ID"] == "abcdef123456"
    (line,) = [r for r in caplog.records if r.name == "satupintu.access"]
    assert line.path == "/cari/" and line.route == "cari/" and line.status == 200
    assert line.request_id == "abcdef123456"
    assert "rahasia" not in JsonFormatter().format(line)


@pytest.mark.django_db
def test_a_forged_request_id_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="<script>\n")
    assert len(response["X-Request-ID"]) == 32 and response["X-Request-ID"].isalnum()
