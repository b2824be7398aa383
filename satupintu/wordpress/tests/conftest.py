import io
import re

import pytest
from PIL import Image

from satupintu.wordpress import sample


@pytest.fixture
def export(tmp_path):
    text = sample.build(posts=40, pages=3)
    path = tmp_path / "dinkes.xml"
    path.write_text(text, encoding="utf-8")
    uploads = tmp_path / "uploads"
    for url in re.findall(r"<wp:attachment_url>([^<]+)</wp:attachment_url>", text):
        target = uploads / url.split("/wp-content/uploads/", 1)[1]
        target.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        Image.new("RGB", (64, 36), "#2a6f97").save(buffer, format="JPEG")
        target.write_bytes(buffer.getvalue())
    return path, uploads
