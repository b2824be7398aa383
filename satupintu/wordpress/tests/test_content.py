"""WordPress bodies become clean rich text; shortcodes are translated or reported."""

from types import SimpleNamespace

import pytest

from satupintu.wordpress import content


def image(pk):
    return SimpleNamespace(pk=pk, default_alt_text="teks alternatif bawaan")


def convert(body, images=None, attachments=None):
    images = images or {}
    attachments = attachments or {}
    return content.to_rich_text(body, images.get, attachments.get)


def test_paragraphs_and_line_breaks_follow_wordpress():
    html, report = convert("Baris satu.\nBaris dua.\n\nParagraf kedua.")
    assert html == "<p>Baris satu.<br>Baris dua.</p>\n<p>Paragraf kedua.</p>"
    assert not report.unknown_shortcodes and not report.missing_images


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">klik</a>',
        '<iframe src="https://contoh.invalid"></iframe>',
        '<p onclick="alert(1)" style="color:red">teks</p>',
        "<style>body{display:none}</style>",
        "<!-- komentar -->",
        "<svg><script>alert(1)</script></svg>",
    ],
)
def test_hostile_markup_never_survives(hostile):
    html, _report = convert(f"Awal. {hostile} Akhir.")
    lowered = html.lower()
    for bad in (
        "<script",
        "onerror",
        "javascript:",
        "<iframe",
        "onclick",
        "style=",
        "<style",
        "<!--",
        "<svg",
    ):
        assert bad not in lowered
    assert "Awal." in html and "Akhir." in html


def test_caption_shortcode_becomes_an_image_with_its_caption():
    body = (
        '[caption id="attachment_5" align="alignright" width="640"]<img class="wp-image-5" '
        'src="https://dinkes.example/wp-content/uploads/a.jpg" alt="Kader posyandu" /> '
        "Kader menimbang balita[/caption]"
    )
    html, report = convert(
        body, images={"https://dinkes.example/wp-content/uploads/a.jpg": image(9)}
    )
    assert '<embed embedtype="image" id="9" format="right" alt="Kader posyandu"/>' in html
    assert "<p><i>Kader menimbang balita</i></p>" in html
    assert "[caption" not in html and not report.missing_images


def test_gallery_shortcode_becomes_images_and_reports_the_missing_ones():
    html, report = convert('[gallery ids="7,8"]', attachments={7: image(70)})
    assert '<embed embedtype="image" id="70" format="fullwidth"' in html
    assert report.missing_images == ["attachment 8"]


def test_inline_image_without_import_is_dropped_and_reported():
    html, report = convert('Teks <img src="https://lama.example/foto.jpg" alt="x"> lagi')
    assert "<img" not in html and "foto.jpg" not in html
    assert report.missing_images == ["https://lama.example/foto.jpg"]


def test_unknown_shortcodes_are_removed_and_counted_never_shown():
    html, report = convert(
        'Isi [contact-form-7 id="12" title="Kontak"] dan [embed]https://x[/embed] selesai.'
    )
    assert "[" not in html
    assert report.unknown_shortcodes == {"contact-form-7": 1, "embed": 1}


def test_square_brackets_in_prose_are_kept():
    html, report = convert("Lihat catatan [1] dan kata [sic] di sini.")
    assert "[1]" in html and "[sic]" in html
    assert not report.unknown_shortcodes


def test_headings_and_emphasis_map_to_what_the_editor_knows():
    html, _report = convert("<h1>Judul</h1><h4>Sub</h4><strong>tebal</strong> <em>miring</em>")
    assert "<h2>Judul</h2>" in html and "<h3>Sub</h3>" in html
    assert "<b>tebal</b>" in html and "<i>miring</i>" in html


def test_lists_and_wrappers():
    html, _report = convert("<ul>\n<li>satu</li>\n<li>dua</li>\n</ul>\n<div>dalam div</div>")
    assert "<ul>\n<li>satu</li>\n<li>dua</li>\n</ul>" in html
    assert "<p>dalam div</p>" in html


def test_safe_links_keep_their_address():
    html, _report = convert(
        '<a href="https://lamongankab.go.id/dinkes/">Dinkes</a> <a href="mailto:a@b.id">surel</a>'
    )
    assert '<a href="https://lamongankab.go.id/dinkes/">Dinkes</a>' in html
    assert '<a href="mailto:a@b.id">surel</a>' in html


def test_converted_images_render_on_the_public_site(portal):
    """The stored form is the one Wagtail expands: an <img> with the alt text appears."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image
    from wagtail.rich_text import expand_db_html

    from satupintu.media.models import PortalImage

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "#336699").save(buffer, format="PNG")
    stored = PortalImage.objects.create(
        title="Foto",
        description="Kader posyandu",
        collection=portal.a.collection,
        file=ContentFile(buffer.getvalue(), name="foto.png"),
    )
    html, _report = convert(
        '<img src="https://lama.example/foto.jpg" alt="Kader menimbang">',
        images={"https://lama.example/foto.jpg": stored},
    )
    rendered = expand_db_html(html)
    assert "<img" in rendered and 'alt="Kader menimbang"' in rendered
