"""Demo services and notices of the kind citizens search for most: a lost KTP, a business
permit, a child's immunisation.

Their requirements and legal bases are the national ones every regency applies (the laws
are cited by number); what is local (days, places, schedules) is marked "(contoh)", as is
every title, so nobody mistakes the demo for the regency's official service standard. They
give the search benchmark queries of the issue ("ktp hilang", "izin usaha", "jadwal
vaksin") something real to find in a fresh demo.
"""

import datetime

from django.utils import timezone

from satupintu.announcements.models import AnnouncementIndexPage, AnnouncementPage
from satupintu.news.models import NewsIndexPage, NewsPage
from satupintu.opd.models import OPD
from satupintu.services.models import ServiceIndexPage, ServicePage

from .seed import DEMO_AUTHOR, _publish, _slug

COMPLAINTS = (
    "<p>(Contoh) Sampaikan melalui SP4N-LAPOR! (lapor.go.id), kotak pengaduan di kantor, "
    "atau petugas pengaduan pada jam layanan.</p>"
)

SERVICES = {
    "disdukcapil": [
        {
            "title": "Penggantian KTP elektronik yang hilang atau rusak (contoh)",
            "summary": "Penerbitan ulang KTP-el bagi penduduk yang KTP-elnya hilang atau rusak.",
            "requirements": (
                "<ul><li>Surat keterangan kehilangan dari kepolisian, bila KTP-el hilang</li>"
                "<li>KTP-el yang rusak, bila KTP-el rusak</li>"
                "<li>Kartu Keluarga (KK)</li></ul>"
            ),
            "procedure": (
                "<ol><li>Pemohon datang ke kantor Disdukcapil atau kecamatan</li>"
                "<li>Petugas memeriksa data pada basis data kependudukan</li>"
                "<li>KTP-el dicetak dan diserahkan kepada pemohon</li></ol>"
            ),
            "duration": "(contoh) 1 hari kerja bila blangko tersedia",
            "fee": "Gratis",
            "product": "KTP elektronik",
            "legal_basis": (
                "<ul><li>UU 24/2013 tentang Perubahan atas UU 23/2006 tentang "
                "Administrasi Kependudukan</li><li>Perpres 96/2018 tentang Persyaratan dan "
                "Tata Cara Pendaftaran Penduduk dan Pencatatan Sipil</li></ul>"
            ),
        },
        {
            "title": "Penerbitan Kartu Keluarga baru atau perubahan data (contoh)",
            "summary": "Kartu Keluarga untuk keluarga baru, pindah datang, atau perubahan susunan.",
            "requirements": (
                "<ul><li>Buku nikah atau akta perkawinan, untuk keluarga baru</li>"
                "<li>Surat keterangan pindah, bila pindah datang</li>"
                "<li>Kartu Keluarga lama, bila perubahan data</li></ul>"
            ),
            "procedure": (
                "<ol><li>Pemohon mengisi formulir F-1.01 biodata keluarga</li>"
                "<li>Petugas memverifikasi dan memproses data</li>"
                "<li>Kartu Keluarga dicetak</li></ol>"
            ),
            "duration": "(contoh) 1 hari kerja",
            "fee": "Gratis",
            "product": "Kartu Keluarga (KK)",
            "legal_basis": (
                "<ul><li>UU 24/2013 tentang Perubahan atas UU 23/2006 tentang "
                "Administrasi Kependudukan</li></ul>"
            ),
        },
    ],
    "dpmptsp": [
        {
            "title": "Perizinan berusaha: Nomor Induk Berusaha (NIB) untuk usaha mikro dan kecil "
            "(contoh)",
            "summary": (
                "Pendampingan pendaftaran izin usaha melalui OSS: NIB sebagai identitas dan "
                "perizinan tunggal usaha mikro dan kecil berisiko rendah."
            ),
            "requirements": (
                "<ul><li>KTP elektronik pemilik usaha</li><li>NPWP, bila ada</li>"
                "<li>Alamat dan jenis kegiatan usaha (KBLI)</li></ul>"
            ),
            "procedure": (
                "<ol><li>Pemohon datang ke Mal Pelayanan Publik atau mendaftar sendiri di "
                "oss.go.id</li><li>Petugas membantu memilih KBLI dan mengisi data usaha</li>"
                "<li>NIB terbit melalui sistem OSS</li></ol>"
            ),
            "duration": "(contoh) Saat itu juga bila data lengkap",
            "fee": "Gratis",
            "product": "Nomor Induk Berusaha (NIB)",
            "legal_basis": (
                "<ul><li>PP 5/2021 tentang Penyelenggaraan Perizinan Berusaha Berbasis "
                "Risiko</li></ul>"
            ),
            "online_url": "https://oss.go.id/",
        },
    ],
    "dinkes": [
        {
            "title": "Imunisasi dasar lengkap dan vaksinasi di puskesmas (contoh)",
            "summary": "Imunisasi dasar bagi bayi dan balita serta vaksinasi di puskesmas.",
            "requirements": "<ul><li>Buku KIA atau kartu imunisasi anak</li></ul>",
            "procedure": (
                "<ol><li>Datang ke puskesmas atau posyandu sesuai jadwal</li>"
                "<li>Petugas memeriksa kesehatan anak</li><li>Vaksin diberikan dan dicatat di "
                "buku KIA</li></ol>"
            ),
            "duration": "(contoh) Sekitar 30 menit",
            "fee": "Gratis",
            "product": "Imunisasi tercatat di buku KIA",
            "legal_basis": (
                "<ul><li>Permenkes 12/2017 tentang Penyelenggaraan Imunisasi</li></ul>"
            ),
        },
    ],
}


def seed_services() -> int:
    """Publishes the services above and a schedule notice and a news item to match."""
    created = 0
    today = timezone.localdate()
    for slug, services in SERVICES.items():
        opd = OPD.objects.filter(slug=slug, home_page__isnull=False).first()
        if opd is None:
            continue  # another regency's OPD list: nothing to attach them to
        index = ServiceIndexPage.objects.child_of(opd.home_page).first()
        for fields in services:
            page = ServicePage(slug=_slug(fields["title"]), complaints=COMPLAINTS, **fields)
            created += _publish(index, page)[1]
    dinkes = OPD.objects.filter(slug="dinkes", home_page__isnull=False).first()
    if dinkes is not None:
        notices = AnnouncementIndexPage.objects.child_of(dinkes.home_page).first()
        title = "Jadwal imunisasi dan vaksinasi di puskesmas bulan ini (contoh)"
        created += _publish(
            notices,
            AnnouncementPage(
                title=title,
                slug=_slug(title),
                valid_from=today.replace(day=1),
                valid_until=today.replace(day=1) + datetime.timedelta(days=40),
                body=(
                    "<p>(Contoh) Jadwal vaksinasi dan imunisasi di puskesmas: Senin dan Kamis "
                    "pukul 08.00–11.00, dan di posyandu sesuai jadwal desa. Bawa buku KIA.</p>"
                ),
            ),
        )[1]
        news = NewsIndexPage.objects.child_of(dinkes.home_page).first()
        title = "Dinkes ajak orang tua lengkapi imunisasi anak di puskesmas (contoh)"
        created += _publish(
            news,
            NewsPage(
                title=title,
                slug=_slug(title),
                intro="Imunisasi dasar lengkap tersedia gratis di puskesmas dan posyandu.",
                author_name=DEMO_AUTHOR,
                date=today - datetime.timedelta(days=1),
                body=(
                    "<p>(Contoh) Dinas Kesehatan mengajak orang tua memeriksa jadwal vaksinasi "
                    "anak dan datang ke puskesmas terdekat. Berita contoh untuk demonstrasi "
                    "portal; bukan informasi resmi.</p>"
                ),
            ),
        )[1]
    return created
