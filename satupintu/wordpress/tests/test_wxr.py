"""The WXR reader: real exports parse item by item; hostile or broken files are refused."""

import pytest
from django.test import override_settings

from satupintu.wordpress import sample, wxr


@pytest.fixture
def export(tmp_path):
    def write(text, name="ekspor.xml"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def test_reads_site_and_items_of_a_sample_export(export):
    site, items = wxr.read(export(sample.build(posts=60, pages=3)))
    items = list(items)
    assert site.base_site_url == sample.SITE and site.wxr_version == "1.2"
    posts = [i for i in items if i.post_type == "post"]
    attachments = [i for i in items if i.post_type == "attachment"]
    pages = [i for i in items if i.post_type == "page"]
    assert (len(posts), len(attachments), len(pages)) == (60, 12, 3)
    first = posts[0]
    assert first.post_id == 10 and first.slug == "berita-1-babat"
    assert first.title == "Posyandu serentak di Babat"
    assert first.status == "publish" and first.creator == "admin-dinkes"
    assert first.categories == [("kesehatan", "Kesehatan")] and first.tags == [("babat", "Babat")]
    assert "[caption" in first.content and first.meta["_thumbnail_id"] == "1001"
    assert first.pub_date.year == 2019
    assert attachments[0].attachment_url.endswith("/foto-1.jpg")
    assert attachments[0].parent_id == 10


def test_items_stream_one_at_a_time(export):
    """The iterator is lazy: the first item arrives before the rest of the file is read."""
    _site, items = wxr.read(export(sample.build(posts=20)))
    first = next(items)
    assert first.post_id in (10, 1001)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss><channel><item><title>&lol3;</title></item></channel></rss>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss><channel><item><title>&xxe;</title></item></channel></rss>"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_hostile_xml_is_refused_with_a_message(export, text):
    _site, items = wxr.read(export(text))
    with pytest.raises(wxr.WxrError, match="DTD"):
        list(items)


def test_file_over_the_size_limit_is_refused_before_parsing(export):
    path = export(sample.build(posts=30))
    with (
        override_settings(SATUPINTU_WXR_MAX_BYTES=1024),
        pytest.raises(wxr.WxrError, match="terlalu besar"),
    ):
        wxr.read(path)


def test_a_two_gigabyte_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "besar.xml"
    with open(path, "wb") as handle:  # a sparse file: 2 GB on paper, nothing on disk
        handle.write(b"<?xml")
        handle.seek(2 * 1024**3)
        handle.write(b"\0")
    with pytest.raises(wxr.WxrError, match="terlalu besar"):
        wxr.read(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bukan xml sama sekali", "bukan ekspor WordPress"),
        ("<?xml version='1.0'?><html><body/></html>", "akar bukan <rss>"),
        ("<?xml version='1.0'?><rss><channel><item><title>x</item></channel></rss>", "baris 1"),
    ],
)
def test_broken_files_are_refused_with_a_clear_message(export, text, message):
    with pytest.raises(wxr.WxrError, match=message):
        _site, items = wxr.read(export(text))
        list(items)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(wxr.WxrError, match="tidak dapat dibaca"):
        wxr.read(tmp_path / "tidak-ada.xml")
