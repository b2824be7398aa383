"""Search for the demo: the index rebuilt from the demo's content, Kominfo's synonyms and a
few best bets, as a new installation's Kominfo would start them."""

from . import sources
from .models import BestBet, Entry, SynonymGroup

# Abbreviations and everyday names people type for what the site calls otherwise. General
# Indonesian government vocabulary, valid for any regency: every installation gets them
# once (Kominfo edits them in the admin; an edited group is never overwritten).
SYNONYMS = [
    ("ktp, kartu tanda penduduk, e-ktp, ktp elektronik, ktp-el", "Dokumen kependudukan"),
    ("kk, kartu keluarga", "Dokumen kependudukan"),
    ("kia, kartu identitas anak", "Dokumen kependudukan"),
    ("akta lahir, akta kelahiran, akte kelahiran", "Dokumen kependudukan"),
    ("dukcapil, disdukcapil, kependudukan dan pencatatan sipil, catatan sipil", "Nama OPD"),
    ("dinkes, dinas kesehatan", "Nama OPD"),
    ("dpmptsp, perizinan terpadu, mal pelayanan publik, mpp", "Nama OPD"),
    ("puskesmas, pusat kesehatan masyarakat", "Fasilitas"),
    ("rsud, rumah sakit umum daerah, rumah sakit", "Fasilitas"),
    ("bpjs, jaminan kesehatan, jkn, kis, kartu indonesia sehat", "Program"),
    ("bansos, bantuan sosial", "Program"),
    ("umkm, usaha mikro kecil dan menengah, usaha kecil", "Program"),
    ("nib, nomor induk berusaha", "Perizinan"),
    ("imb, pbg, persetujuan bangunan gedung, izin mendirikan bangunan", "Perizinan"),
    ("siup, izin usaha, surat izin usaha perdagangan", "Perizinan"),
    ("vaksin, vaksinasi, imunisasi", "Kesehatan"),
    ("ppid, informasi publik, keterbukaan informasi", "Keterbukaan informasi"),
    ("apbd, anggaran pendapatan dan belanja daerah, anggaran daerah", "Keuangan"),
    ("pbb, pajak bumi dan bangunan", "Pajak"),
    ("cpns, pppk, asn, pegawai negeri", "Kepegawaian"),
    ("lowongan kerja, loker, bursa kerja, pencari kerja", "Ketenagakerjaan"),
    ("kartu kuning, kartu pencari kerja, ak1", "Ketenagakerjaan"),
    ("kominfo, diskominfo, komunikasi dan informatika", "Nama OPD"),
    ("damkar, pemadam kebakaran", "Nama OPD"),
    ("rtlh, rumah tidak layak huni", "Program"),
    ("pju, penerangan jalan umum, lampu jalan", "Fasilitas"),
]


def seed_synonyms() -> int:
    created = 0
    for terms, note in SYNONYMS:
        _, made = SynonymGroup.objects.get_or_create(terms=terms, defaults={"note": note})
        created += made
    return created


def seed_search() -> dict:
    seed_synonyms()
    counts = sources.rebuild()
    # Best bets only where the demo has the thing to pin; found by what it is, not by id.
    pins = [("ktp hilang\nktp rusak", "page:", "KTP")]
    for queries, prefix, title_word in pins:
        entry = (
            Entry.objects.filter(
                key__startswith=prefix, kind="layanan", title__icontains=title_word
            )
            .order_by("pk")
            .first()
        )
        if entry and not BestBet.objects.filter(entry=entry).exists():
            BestBet.objects.create(queries=queries, entry=entry, note="Contoh dari demo")
    return counts
