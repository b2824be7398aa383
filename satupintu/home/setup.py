"""Make sure the site root is the regency home page, replacing Wagtail's welcome page."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from satupintu.regency.models import RegencySettings

from .models import InfoPage, RegencyHomePage

ACCESSIBILITY_SLUG = "aksesibilitas"


def accessibility_statement(regency_name: str) -> str:
    """The accessibility statement, as the UK public-sector rule (WCAG 2.2 AA) asks for one.

    Stored content, so always written in the portal's language, whatever the caller's.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _statement_text() % {"name": regency_name}


def _statement_text() -> str:
    return _(
        "<p>%(name)s berkomitmen agar portal ini dapat digunakan oleh semua warga, termasuk "
        "penyandang disabilitas, sesuai UU 8/2016 dan PP 42/2020. Portal ini dirancang untuk "
        "memenuhi WCAG 2.2 tingkat AA.</p>"
        "<h2>Yang sudah kami lakukan</h2><ul>"
        '<li>Setiap halaman punya tautan "Langsung ke konten utama", judul yang berurutan, '
        "dan penanda wilayah (landmark) untuk pembaca layar.</li>"
        "<li>Semua fungsi dapat dipakai dengan papan ketik, dengan penanda fokus yang jelas.</li>"
        "<li>Warna teks memenuhi rasio kontras minimal 4,5:1.</li>"
        "<li>Setiap gambar wajib memiliki teks alternatif.</li>"
        "<li>Halaman ringan dan tetap berfungsi tanpa JavaScript, agar terbuka di ponsel "
        "sederhana dan jaringan lambat.</li>"
        "<li>Tidak ada pelacak pihak ketiga.</li></ul>"
        "<h2>Yang belum sempurna</h2><ul>"
        "<li>Dokumen PDF lama dari OPD mungkin belum dapat dibaca pembaca layar.</li>"
        "<li>Sebagian halaman admin (Wagtail) baru sebagian diterjemahkan ke Bahasa "
        "Indonesia.</li></ul>"
        "<h2>Laporkan hambatan</h2><p>Bila Anda menemui hambatan, hubungi pengelola portal "
        "melalui kontak di bagian bawah halaman. Kami menanggapi dalam 10 hari kerja.</p>"
    )


@transaction.atomic
def ensure_site() -> RegencyHomePage:
    config = RegencySettings.load()
    title = str(config.display_title) if config.name else _("Portal Resmi")
    home = RegencyHomePage.objects.first()
    root = Page.get_first_root_node()
    if home is None:
        home = RegencyHomePage(title=title, slug="beranda")
        root.add_child(instance=home)
        home.save_revision().publish()
    elif home.title != title and config.name:
        home.title = title
        home.save_revision().publish()

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True, root_page=home)
    site.root_page = home
    site.site_name = config.name or title
    site.save()
    # Wagtail's "Welcome to your new Wagtail site!" page is nobody's content.
    for page in root.get_children().exclude(pk=home.pk).not_type(RegencyHomePage):
        if page.specific_class is Page and not page.get_children().exists():
            page.delete()

    if config.name:
        _ensure_accessibility_statement(home, config.name)
    return home


def _ensure_accessibility_statement(home, regency_name):
    """Publish the statement; re-word it for a new regency unless an editor has changed it."""
    statement = InfoPage.objects.child_of(home).filter(slug=ACCESSIBILITY_SLUG).first()
    wanted = accessibility_statement(regency_name)
    if statement is None:
        statement = InfoPage(
            title=_("Pernyataan Aksesibilitas"),
            slug=ACCESSIBILITY_SLUG,
            body=wanted,
            show_in_menus=True,
        )
        home.add_child(instance=statement)
        statement.save_revision().publish()
        return
    edited_by_someone = statement.revisions.filter(user__isnull=False).exists()
    if not edited_by_someone and statement.body != wanted and not statement.has_unpublished_changes:
        statement.body = wanted
        statement.save_revision().publish()
