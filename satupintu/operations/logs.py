"""Structured logs that never carry personal data.

Production logs are one JSON object per line (python-json-logger), ready for Loki,
Elasticsearch or `jq`, each with the request's id so the lines of one request can be found
together. Whatever a message or its extra fields hold, the formatter masks the personal data
that must never reach a log (UU 27/2022 on personal data; see DEVELOPERS.md): sixteen-digit
runs (a NIK or a KK number), e-mail addresses and Indonesian mobile numbers. Masking the
finished line, not the arguments, also covers tracebacks and third-party loggers.
"""

import contextvars
import logging
import re

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from satupintu.identity.reporting import NIK_RUN

request_id = contextvars.ContextVar("satupintu_request_id", default="")

_PERSONAL = [
    (NIK_RUN, "[NIK]"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    (re.compile(r"(?<![\d+])(?:\+?62|0)8\d{7,11}(?!\d)"), "[telepon]"),
]


def mask(text: str) -> str:
    for pattern, replacement in _PERSONAL:
        text = pattern.sub(replacement, text)
    return text


class RequestIdFilter(logging.Filter):
    """Adds the current request's id (set by the metrics middleware) to every record."""

    def filter(self, record):
        if not getattr(record, "request_id", ""):
            record.request_id = request_id.get()
        return True


class JsonFormatter(_JsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "{asctime}{levelname}{name}{message}{request_id}")
        kwargs.setdefault("style", "{")
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        kwargs.setdefault("datefmt", "%Y-%m-%dT%H:%M:%S%z")
        super().__init__(*args, **kwargs)

    def format(self, record):
        return mask(super().format(record))


class TextFormatter(logging.Formatter):
    """The console format of the embedded mode, masked the same way."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        super().__init__(*args, **kwargs)

    def format(self, record):
        return mask(super().format(record))
