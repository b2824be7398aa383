"""A deterministic sample WordPress export in Indonesian, for tests, the demo and the benchmark.

It is written for this project (no real site's content): posts with categories, tags,
featured images, [caption] and [gallery] shortcodes, an unknown shortcode, pages, drafts and
attachments, in the shape WordPress 6 exports (WXR 1.2).
"""

import datetime
from xml.sax.saxutils import escape

TOPICS = [
    (
        "Posyandu serentak di {place}",
        "kesehatan",
        "Kader posyandu menimbang balita dan memberi vitamin A.",
    ),
    (
        "Sosialisasi sampah terpilah di {place}",
        "lingkungan",
        "Warga diajak memilah sampah organik dan anorganik.",
    ),
    (
        "Pelatihan operator desa di {place}",
        "pemerintahan",
        "Operator desa belajar memperbarui data kependudukan.",
    ),
    (
        "Pasar murah menjelang hari raya di {place}",
        "ekonomi",
        "Bahan pokok dijual di bawah harga pasar.",
    ),
    (
        "Lomba kebersihan kampung di {place}",
        "lingkungan",
        "Kampung terbersih mendapat penghargaan dari kecamatan.",
    ),
]
PLACES = [
    "Babat",
    "Paciran",
    "Brondong",
    "Sukodadi",
    "Turi",
    "Deket",
    "Glagah",
    "Ngimbang",
    "Modo",
    "Sugio",
]
SITE = "https://dinkes.lamongankab.go.id"


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _item(fields: str) -> str:
    return f"\t<item>\n{fields}\t</item>\n"


def build(posts: int = 300, pages: int = 5, site: str = SITE) -> str:
    """The export as a string; `posts` news posts, every fifth with an image."""
    start = datetime.datetime(2019, 1, 7, 8, 30)
    # Three days apart, closer for big exports, so every date stays within 2019–2025.
    step = datetime.timedelta(hours=min(72, max(1, 57_000 // max(posts, 1))))
    parts = [
        '<?xml version="1.0" encoding="UTF-8" ?>\n',
        '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n',
        "\t<title>Dinas Kesehatan Kabupaten Lamongan (contoh)</title>\n",
        f"\t<link>{site}</link>\n",
        "\t<language>id-ID</language>\n\t<wp:wxr_version>1.2</wp:wxr_version>\n",
        f"\t<wp:base_site_url>{site}</wp:base_site_url>\n",
        f"\t<wp:base_blog_url>{site}</wp:base_blog_url>\n",
    ]
    next_id = 1000
    for n in range(posts):
        title_t, category, sentence = TOPICS[n % len(TOPICS)]
        place = PLACES[(n // len(TOPICS)) % len(PLACES)]
        title = title_t.format(place=place) + (f" ({n // 50 + 1})" if n >= 50 else "")
        when = start + step * n + datetime.timedelta(minutes=n % 7)
        slug = f"berita-{n + 1}-{place.lower()}"
        post_id = 10 + n
        body = [
            f"<p>{escape(sentence)}</p>",
            f"Kegiatan di {place} diikuti warga.\n\nSemua berjalan lancar.",
        ]
        meta = ""
        if n % 5 == 0:
            next_id += 1
            image_id = next_id
            image_url = f"{site}/wp-content/uploads/{when:%Y/%m}/foto-{n + 1}.jpg"
            body.insert(
                0,
                f'[caption id="attachment_{image_id}" align="aligncenter" width="640"]'
                f'<img class="size-large wp-image-{image_id}" src="{image_url}" alt="Kegiatan di {place}" '
                f'width="640" height="360" /> Suasana kegiatan di {place}[/caption]',
            )
            meta = (
                "\t\t<wp:postmeta>\n\t\t\t<wp:meta_key>_thumbnail_id</wp:meta_key>\n"
                f"\t\t\t<wp:meta_value>{_cdata(str(image_id))}</wp:meta_value>\n\t\t</wp:postmeta>\n"
            )
            parts.append(
                _item(
                    f"\t\t<title>foto-{n + 1}</title>\n"
                    f"\t\t<link>{site}/?attachment_id={image_id}</link>\n"
                    f"\t\t<wp:post_id>{image_id}</wp:post_id>\n"
                    f"\t\t<wp:post_date>{when:%Y-%m-%d %H:%M:%S}</wp:post_date>\n"
                    f"\t\t<wp:post_name>foto-{n + 1}</wp:post_name>\n"
                    "\t\t<wp:status>inherit</wp:status>\n"
                    f"\t\t<wp:post_parent>{post_id}</wp:post_parent>\n"
                    "\t\t<wp:post_type>attachment</wp:post_type>\n"
                    f"\t\t<wp:attachment_url>{image_url}</wp:attachment_url>\n"
                    f"\t\t<content:encoded>{_cdata('')}</content:encoded>\n"
                    f"\t\t<excerpt:encoded>{_cdata(f'Kegiatan di {place}')}</excerpt:encoded>\n"
                )
            )
        if n % 17 == 0:
            body.append('[contact-form-7 id="12" title="Kontak"]')
        if n % 23 == 0:
            body.append('[gallery ids="1001,1006"]')
        status = "draft" if n % 97 == 96 else "publish"
        parts.append(
            _item(
                f"\t\t<title>{escape(title)}</title>\n"
                f"\t\t<link>{site}/{when:%Y/%m}/{slug}/</link>\n"
                f"\t\t<pubDate>{when:%a, %d %b %Y %H:%M:%S} +0000</pubDate>\n"
                f"\t\t<dc:creator>{_cdata('admin-dinkes')}</dc:creator>\n"
                f'\t\t<guid isPermaLink="false">{site}/?p={post_id}</guid>\n'
                f"\t\t<content:encoded>{_cdata(chr(10).join(body))}</content:encoded>\n"
                f"\t\t<excerpt:encoded>{_cdata('')}</excerpt:encoded>\n"
                f"\t\t<wp:post_id>{post_id}</wp:post_id>\n"
                f"\t\t<wp:post_date>{_cdata(f'{when:%Y-%m-%d %H:%M:%S}')}</wp:post_date>\n"
                f"\t\t<wp:post_name>{_cdata(slug)}</wp:post_name>\n"
                f"\t\t<wp:status>{_cdata(status)}</wp:status>\n"
                "\t\t<wp:post_parent>0</wp:post_parent>\n"
                f"\t\t<wp:post_type>{_cdata('post')}</wp:post_type>\n"
                f'\t\t<category domain="category" nicename="{category}">{_cdata(category.title())}</category>\n'
                f'\t\t<category domain="post_tag" nicename="{place.lower()}">{_cdata(place)}</category>\n'
                + meta
            )
        )
    for p in range(pages):
        page_id = 5000 + p
        title = ["Profil", "Visi dan Misi", "Struktur Organisasi", "Layanan", "Kontak"][p % 5]
        parts.append(
            _item(
                f"\t\t<title>{title}</title>\n"
                f"\t\t<link>{site}/{title.lower().replace(' ', '-')}/</link>\n"
                f"\t\t<content:encoded>{_cdata(f'<p>Halaman {title} (contoh).</p>')}</content:encoded>\n"
                f"\t\t<wp:post_id>{page_id}</wp:post_id>\n"
                f"\t\t<wp:post_name>{title.lower().replace(' ', '-')}</wp:post_name>\n"
                "\t\t<wp:status>publish</wp:status>\n\t\t<wp:post_parent>0</wp:post_parent>\n"
                "\t\t<wp:post_type>page</wp:post_type>\n"
            )
        )
    parts.append("</channel>\n</rss>\n")
    return "".join(parts)
