"""JSON text spliced into a response as it is: the published packages are stored encoded, and
decoding 100 of them only to encode them again would be most of a search's cost."""

import datetime
import decimal
import json
import uuid


class RawJSON:
    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


def _default(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def encode(value) -> str:
    """JSON text of `value`, where any RawJSON inside is copied verbatim."""
    if isinstance(value, RawJSON):
        return value.text
    if isinstance(value, dict):
        if not any(isinstance(v, dict | list | RawJSON) for v in value.values()):
            return json.dumps(value, ensure_ascii=False, default=_default)
        return (
            "{"
            + ",".join(
                json.dumps(str(k), ensure_ascii=False) + ":" + encode(v) for k, v in value.items()
            )
            + "}"
        )
    if isinstance(value, list | tuple):
        if not any(isinstance(v, dict | list | RawJSON) for v in value):
            return json.dumps(value, ensure_ascii=False, default=_default)
        return "[" + ",".join(encode(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False, default=_default)
