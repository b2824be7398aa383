"""Synthetic Indonesian corpus for the Satu Pintu search benchmark (standard library only).

Why synthetic: the benchmark needs millions of portal items (news, announcements, services,
PPID documents, ...) with a known term distribution, so that query cost can be measured at
scale and rare/common terms can be chosen with known document frequencies.

Why sentence pools: building every body word by word in Python would cost minutes per million
items. Instead, a few tens of thousands of sentences are composed once per seed from templates
and Zipf-weighted slot fillers (per topic and per writing register), and bodies are drawn from
those pools with one ``Random.choices`` call. Titles, lead sentences, dates and rare-term
injections are composed per item so that items stay distinct.

    python bench/search_corpus.py [n]     # statistics over n items (default 100000)
"""

import bisect
import datetime
import itertools
import random
import re
import sys
import time
from collections.abc import Iterator

KINDS = (
    "berita", "pengumuman", "layanan", "dokumen", "agenda", "dataset", "aplikasi", "opd",
    "halaman",
)
_KIND_SHARE = {
    "pengumuman": 0.12, "dokumen": 0.12, "agenda": 0.08, "layanan": 0.04, "dataset": 0.05,
    "halaman": 0.03, "aplikasi": 0.005, "opd": 0.005,
}
# Body length bounds in words, from the brief; dokumen imitates extracted PDF text.
_BODY_WORDS = {
    "berita": (150, 600), "pengumuman": (60, 250), "dokumen": (200, 1500), "agenda": (40, 200),
    "layanan": (40, 200), "dataset": (40, 200), "aplikasi": (40, 200), "opd": (40, 200),
    "halaman": (40, 200),
}
_REGISTER = {
    "berita": "berita", "pengumuman": "pengumuman", "dokumen": "dokumen", "agenda": "agenda",
    "layanan": "layanan", "dataset": "dataset", "aplikasi": "profil", "opd": "profil",
    "halaman": "profil",
}

KECAMATAN = (
    "Babat", "Brondong", "Paciran", "Lamongan", "Deket", "Turi", "Sukodadi", "Pucuk", "Sugio",
    "Kedungpring", "Modo", "Ngimbang", "Sambeng", "Mantup", "Tikung", "Sarirejo", "Kembangbahu",
    "Kalitengah", "Karangbinangun", "Glagah", "Karanggeneng", "Sekaran", "Maduran", "Laren",
    "Solokuro", "Bluluk", "Sukorame",
)
_DESA_HEAD = (
    "Sido", "Karang", "Sumber", "Banjar", "Tanjung", "Kedung", "Wono", "Tlogo", "Sugih", "Jati",
    "Mojo", "Kali", "Guci", "Gedang", "Made", "Bulu", "Pule", "Ngayung", "Dadap", "Tenggir",
    "Rejo", "Waru", "Sambi", "Kemantren", "Centini", "Balong", "Dukuh", "Pelang", "Plosowahyu",
)
_DESA_TAIL = (
    "mulyo", "rejo", "agung", "asri", "wangi", "harjo", "kerto", "dadi", "lor", "kidul", "anyar",
    "sari", "jaya", "makmur", "tani", "rukun", "asih", "kumpul", "baru", "wetan", "kulon",
)
_FIRST = (
    "Ahmad", "Budi", "Siti", "Sri", "Dwi", "Agus", "Eko", "Nur", "Moh.", "Hadi", "Endang", "Rina",
    "Yuli", "Slamet", "Wahyu", "Retno", "Anik", "Taufik", "Hendra", "Dian", "Lilik", "Bambang",
    "Fitri", "Imam", "Rudi", "Suci", "Joko", "Umi", "Heri", "Lukman",
)
_LAST = (
    "Santoso", "Wibowo", "Rahayu", "Hidayat", "Prasetyo", "Susanti", "Kurniawan", "Setiawan",
    "Handayani", "Fauzi", "Rohmah", "Hariyanto", "Mustofa", "Wahyuni", "Sulistyo", "Arifin",
    "Ismail", "Maghfiroh", "Nugroho", "Rosyid",
)
_DEGREE = ("", "", "", ", S.Pd.", ", S.H.", ", M.Si.", ", S.E.", ", M.M.", ", S.T.", ", S.Kep.")
_ROLES = (
    "Kepala", "Sekretaris", "Kepala Bidang", "Kepala Seksi", "Plt. Kepala", "Kepala UPT",
)
_MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)
_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII")

# (name, short name, topic). Kecamatan offices complete the regency's 60 OPDs.
_OPD_BASE = (
    ("Dinas Kesehatan", "Dinkes", "kesehatan"),
    ("Dinas Pendidikan", "Dinas Pendidikan", "pendidikan"),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", "kependudukan"),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", "perizinan"),
    ("Badan Penanggulangan Bencana Daerah", "BPBD", "bencana"),
    ("Dinas Ketahanan Pangan dan Pertanian", "Dinas Pertanian", "pertanian"),
    ("Dinas Perikanan", "Dinas Perikanan", "perikanan"),
    ("Dinas Pekerjaan Umum Bina Marga", "Dinas PU Bina Marga", "infrastruktur"),
    ("Dinas Pekerjaan Umum Sumber Daya Air", "Dinas PU SDA", "infrastruktur"),
    ("Dinas Sosial", "Dinsos", "sosial"),
    ("Dinas Koperasi dan Usaha Mikro", "Diskopum", "ekonomi"),
    ("Dinas Perindustrian dan Perdagangan", "Disperindag", "ekonomi"),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", "keuangan"),
    ("Badan Pendapatan Daerah", "Bapenda", "keuangan"),
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda", "pemerintahan"),
    ("Dinas Komunikasi dan Informatika", "Diskominfo", "pemerintahan"),
    ("Dinas Lingkungan Hidup", "DLH", "lingkungan"),
    ("Dinas Kebudayaan dan Pariwisata", "Disbudpar", "pariwisata"),
    ("Dinas Tenaga Kerja", "Disnaker", "ekonomi"),
    ("Dinas Perhubungan", "Dishub", "infrastruktur"),
    ("RSUD dr. Soegiri", "RSUD dr. Soegiri", "kesehatan"),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", "pemerintahan"),
    ("Inspektorat Daerah", "Inspektorat", "keuangan"),
    ("Satuan Polisi Pamong Praja", "Satpol PP", "pemerintahan"),
    ("Dinas Pemberdayaan Masyarakat dan Desa", "DPMD", "sosial"),
    ("Dinas Perumahan Rakyat dan Kawasan Permukiman", "Disperkim", "infrastruktur"),
    ("Dinas Pemuda dan Olahraga", "Dispora", "pendidikan"),
    ("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "DP3A", "sosial"),
    ("Sekretariat Daerah", "Setda", "pemerintahan"),
    ("Sekretariat DPRD", "Setwan", "pemerintahan"),
    ("Badan Kesatuan Bangsa dan Politik", "Bakesbangpol", "pemerintahan"),
    ("Dinas Perpustakaan dan Kearsipan", "Dispusip", "pendidikan"),
    ("Dinas Peternakan dan Kesehatan Hewan", "Disnakeswan", "pertanian"),
)

# Topic vocabularies, most frequent first (rank drives the Zipf weight). Affixed families
# (layan/layanan/pelayanan/melayani, izin/perizinan/mengizinkan, ...) are spread across them on
# purpose so that a stemmer has work to do.
_TOPICS = {
    "kesehatan": {
        "nouns": (
            "pelayanan kesehatan", "posyandu", "puskesmas", "imunisasi", "vaksin", "stunting",
            "kesehatan ibu dan anak", "BPJS Kesehatan", "gizi balita", "tenaga kesehatan",
            "rumah sakit", "demam berdarah", "sanitasi", "air bersih", "jaminan kesehatan",
            "pemeriksaan kesehatan", "kader posyandu", "ibu hamil", "obat generik", "ambulans",
            "penyakit menular", "tuberkulosis", "klinik pratama", "rawat inap", "vaksinasi campak",
            "kesehatan jiwa", "donor darah", "pengobatan gratis", "sehat bersama", "apotek",
        ),
        "acts": (
            "menggelar pemeriksaan kesehatan gratis", "melaksanakan vaksinasi bagi balita",
            "menyehatkan lingkungan permukiman", "memperkuat pelayanan posyandu",
            "menekan angka stunting", "melayani pasien rawat jalan", "menyalurkan makanan tambahan",
            "memeriksakan kesehatan ibu hamil", "mendata balita yang mengalami gizi kurang",
            "memberikan penyuluhan kesehatan", "melakukan fogging di permukiman warga",
        ),
        "programs": (
            "Gerakan Masyarakat Hidup Sehat", "Pekan Imunisasi Nasional", "Posyandu Remaja",
            "Program Percepatan Penurunan Stunting", "Jaminan Kesehatan Nasional",
            "Bulan Timbang Balita", "Lamongan Sehat",
        ),
        "people": ("balita", "ibu hamil", "pasien", "kader posyandu", "lansia", "bidan desa"),
        "services": (
            "Pendaftaran Peserta BPJS Kesehatan", "Rujukan Pasien Rumah Sakit",
            "Vaksinasi Anak dan Balita", "Pemeriksaan Kesehatan Calon Pengantin",
            "Surat Keterangan Sehat", "Layanan Ambulans Gratis",
        ),
        "docs": ("Profil Kesehatan", "Laporan Kasus Stunting", "Rencana Aksi Kesehatan"),
    },
    "pendidikan": {
        "nouns": (
            "pendidikan", "beasiswa", "sekolah dasar", "guru honorer", "penerimaan peserta didik",
            "mahasiswa berprestasi", "pendidikan anak usia dini", "madrasah", "sekolah menengah",
            "perpustakaan desa", "literasi", "bantuan operasional sekolah", "ruang kelas",
            "pelajar", "kurikulum merdeka", "ujian sekolah", "olahraga pelajar", "kepramukaan",
            "tenaga pendidik", "pendidikan karakter", "seragam sekolah", "pendidikan inklusif",
        ),
        "acts": (
            "menyalurkan beasiswa kepada mahasiswa", "mendidik generasi muda",
            "membangun ruang kelas baru", "melatih guru sekolah dasar",
            "meningkatkan mutu pendidikan", "membuka pendaftaran peserta didik baru",
            "membagikan seragam sekolah gratis", "mengembangkan budaya literasi",
        ),
        "programs": (
            "Beasiswa Lamongan Cerdas", "Program Indonesia Pintar", "Gerakan Literasi Sekolah",
            "Penerimaan Peserta Didik Baru", "Sekolah Penggerak",
        ),
        "people": ("siswa", "mahasiswa", "guru", "pelajar", "kepala sekolah", "orang tua murid"),
        "services": (
            "Pendaftaran Peserta Didik Baru", "Pengajuan Beasiswa Mahasiswa",
            "Legalisir Ijazah", "Mutasi Siswa Antar Sekolah", "Izin Pendirian Satuan Pendidikan",
        ),
        "docs": ("Data Pokok Pendidikan", "Laporan Penyaluran Beasiswa", "Rencana Strategis"),
    },
    "kependudukan": {
        "nouns": (
            "KTP elektronik", "kartu keluarga", "akta kelahiran", "administrasi kependudukan",
            "data penduduk", "KK", "KTP", "identitas kependudukan digital", "akta kematian",
            "surat pindah", "perekaman KTP", "kartu identitas anak", "NIK", "pencatatan sipil",
            "akta perkawinan", "penduduk", "dokumen kependudukan", "jemput bola perekaman",
        ),
        "acts": (
            "melayani perekaman KTP elektronik", "mencetak kartu keluarga",
            "mendata penduduk yang pindah domisili", "menerbitkan akta kelahiran",
            "mengaktifkan identitas kependudukan digital", "melakukan jemput bola perekaman",
        ),
        "programs": (
            "Gerakan Indonesia Sadar Administrasi Kependudukan", "Layanan Dukcapil Keliling",
            "Kartu Identitas Anak",
        ),
        "people": ("penduduk", "pemohon", "warga", "pemilih pemula", "pelajar"),
        "services": (
            "Pembuatan KTP Elektronik", "Penerbitan Kartu Keluarga", "Pembuatan Akta Kelahiran",
            "Surat Keterangan Pindah", "Aktivasi Identitas Kependudukan Digital",
            "Pembuatan Akta Kematian", "Pencetakan Kartu Identitas Anak",
        ),
        "docs": ("Data Agregat Kependudukan", "Profil Perkembangan Kependudukan"),
    },
    "perizinan": {
        "nouns": (
            "perizinan", "izin usaha", "NIB", "PBG", "IMB", "SIUP", "investasi", "penanaman modal",
            "pelayanan terpadu satu pintu", "izin mendirikan bangunan", "OSS",
            "persetujuan bangunan gedung", "izin praktik", "izin reklame", "pelaku usaha",
            "iklim investasi", "sertifikat laik fungsi", "izin lingkungan",
        ),
        "acts": (
            "mempermudah perizinan berusaha", "menerbitkan nomor induk berusaha",
            "mengizinkan pembangunan gedung", "melayani perizinan secara daring",
            "mempercepat proses izin usaha", "mendampingi pelaku usaha mengurus NIB",
        ),
        "programs": (
            "Mal Pelayanan Publik", "Online Single Submission", "Klinik Investasi",
            "Forum Konsultasi Publik",
        ),
        "people": ("pelaku usaha", "investor", "pemohon izin", "pengusaha"),
        "services": (
            "Penerbitan Nomor Induk Berusaha", "Persetujuan Bangunan Gedung",
            "Izin Usaha Mikro Kecil", "Izin Praktik Tenaga Kesehatan", "Izin Reklame",
            "Perizinan Berusaha Berbasis Risiko",
        ),
        "docs": ("Laporan Realisasi Investasi", "Standar Pelayanan Perizinan"),
    },
    "bencana": {
        "nouns": (
            "banjir", "bencana", "tanggul", "kebakaran", "angin puting beliung", "kekeringan",
            "pengungsi", "air bersih", "Bengawan Solo", "Kali Lamong", "tanah longsor",
            "mitigasi bencana", "desa tangguh bencana", "logistik", "genangan air",
            "peringatan dini", "rumah rusak",
        ),
        "acts": (
            "menyalurkan bantuan air bersih", "mengevakuasi warga terdampak banjir",
            "memantau tinggi muka air Bengawan Solo", "memperbaiki tanggul yang jebol",
            "mendirikan dapur umum", "melatih relawan desa tangguh bencana",
        ),
        "programs": ("Desa Tangguh Bencana", "Satuan Pendidikan Aman Bencana", "Tim Reaksi Cepat"),
        "people": ("warga terdampak", "relawan", "pengungsi", "korban"),
        "services": ("Pelaporan Kejadian Bencana", "Permohonan Bantuan Air Bersih"),
        "docs": ("Kajian Risiko Bencana", "Rencana Kontinjensi Banjir"),
    },
    "pertanian": {
        "nouns": (
            "pupuk", "petani", "pupuk subsidi", "padi", "jagung", "irigasi", "panen raya",
            "kelompok tani", "gabah", "benih unggul", "alat mesin pertanian", "hama wereng",
            "ketahanan pangan", "sapi potong", "kartu tani", "lahan sawah", "penyuluh pertanian",
            "harga gabah", "kesehatan hewan", "vaksinasi ternak",
        ),
        "acts": (
            "menyalurkan pupuk subsidi kepada petani", "menggelar panen raya padi",
            "membagikan benih jagung unggul", "mengendalikan hama wereng",
            "memperbaiki saluran irigasi tersier", "mendampingi kelompok tani",
        ),
        "programs": ("Kartu Tani", "Gerakan Tanam Serentak", "Lamongan Lumbung Pangan"),
        "people": ("petani", "peternak", "kelompok tani", "penyuluh"),
        "services": ("Pengajuan Alokasi Pupuk Subsidi", "Pemeriksaan Kesehatan Hewan"),
        "docs": ("Data Produksi Padi", "Laporan Luas Tanam"),
    },
    "perikanan": {
        "nouns": (
            "nelayan", "tambak", "ikan bandeng", "pelabuhan perikanan", "udang", "budidaya ikan",
            "hasil tangkapan", "perahu nelayan", "Tempat Pelelangan Ikan", "pakan ikan",
            "asuransi nelayan", "ikan lele", "olahan ikan", "Pantai Utara",
        ),
        "acts": (
            "membagikan bantuan perahu kepada nelayan", "menebar benih ikan di waduk",
            "mendata hasil tangkapan nelayan", "melatih pengolahan hasil perikanan",
        ),
        "programs": ("Kartu Nelayan", "Asuransi Nelayan", "Kampung Budidaya"),
        "people": ("nelayan", "pembudidaya ikan", "pengolah ikan"),
        "services": ("Pendaftaran Kartu Nelayan", "Rekomendasi Bahan Bakar Nelayan"),
        "docs": ("Statistik Perikanan", "Laporan Produksi Perikanan"),
    },
    "infrastruktur": {
        "nouns": (
            "jalan", "jalan rusak", "pembangunan", "jembatan", "drainase", "irigasi",
            "penerangan jalan umum", "jalan desa", "rumah tidak layak huni", "saluran air",
            "pengaspalan jalan", "terminal", "lampu lalu lintas", "trotoar", "waduk",
            "betonisasi jalan", "perbaikan jembatan", "air minum", "permukiman kumuh",
        ),
        "acts": (
            "membangun jembatan penghubung antardesa", "memperbaiki jalan rusak",
            "melanjutkan pembangunan drainase", "mengaspal jalan poros desa",
            "merehabilitasi rumah tidak layak huni", "memasang penerangan jalan umum",
            "menormalisasi saluran irigasi",
        ),
        "programs": ("Bedah Rumah", "Jalan Mulus", "Program Kotaku", "Padat Karya Tunai"),
        "people": ("pengguna jalan", "warga", "kontraktor", "pengendara"),
        "services": (
            "Pengaduan Jalan Rusak", "Permohonan Penerangan Jalan Umum",
            "Uji Kendaraan Bermotor", "Izin Trayek Angkutan",
        ),
        "docs": ("Laporan Kondisi Jalan", "Rencana Induk Drainase", "Daftar Paket Pekerjaan"),
    },
    "sosial": {
        "nouns": (
            "bantuan sosial", "bansos", "bantuan", "keluarga penerima manfaat",
            "Program Keluarga Harapan", "penyandang disabilitas", "lansia", "anak yatim",
            "bantuan langsung tunai", "kemiskinan", "data terpadu kesejahteraan sosial",
            "perlindungan anak", "kekerasan terhadap perempuan", "dana desa", "rehabilitasi sosial",
            "pemberdayaan perempuan", "kartu sembako",
        ),
        "acts": (
            "menyalurkan bantuan sosial", "membantu keluarga kurang mampu",
            "memverifikasi data penerima bansos", "mendampingi korban kekerasan",
            "membagikan paket sembako", "memberdayakan perempuan desa",
        ),
        "programs": ("Program Keluarga Harapan", "Bantuan Pangan Non Tunai", "Kartu Sembako"),
        "people": ("keluarga penerima manfaat", "lansia", "penyandang disabilitas", "anak yatim"),
        "services": (
            "Pendaftaran Data Terpadu Kesejahteraan Sosial", "Surat Keterangan Tidak Mampu",
            "Pengaduan Bantuan Sosial",
        ),
        "docs": ("Data Penerima Bantuan Sosial", "Laporan Penanggulangan Kemiskinan"),
    },
    "ekonomi": {
        "nouns": (
            "UMKM", "usaha mikro", "pasar", "harga bahan pokok", "koperasi", "lowongan kerja",
            "pelatihan kerja", "produk lokal", "pameran", "pasar murah", "ekspor", "industri kecil",
            "tenaga kerja", "wingko", "soto Lamongan", "batik", "harga beras", "inflasi",
        ),
        "acts": (
            "menggelar pasar murah", "melatih pelaku UMKM", "memantau harga bahan pokok",
            "membuka bursa lowongan kerja", "memasarkan produk lokal secara daring",
            "mendaftarkan merek produk UMKM",
        ),
        "programs": ("Lamongan Expo", "Job Fair", "Gerakan Bangga Buatan Indonesia"),
        "people": ("pelaku UMKM", "pencari kerja", "pedagang", "pekerja"),
        "services": (
            "Pendaftaran Kartu Pencari Kerja", "Fasilitasi Sertifikasi Halal",
            "Pendaftaran Koperasi",
        ),
        "docs": ("Perkembangan Harga Bahan Pokok", "Data UMKM"),
    },
    "keuangan": {
        "nouns": (
            "pajak daerah", "anggaran", "APBD", "pajak bumi dan bangunan", "retribusi",
            "pendapatan asli daerah", "aset daerah", "belanja daerah", "laporan keuangan",
            "audit", "opini wajar tanpa pengecualian", "pengadaan barang dan jasa", "BPHTB",
        ),
        "acts": (
            "mengimbau wajib pajak membayar PBB", "menyusun laporan keuangan daerah",
            "mengoptimalkan pendapatan asli daerah", "menertibkan aset daerah",
        ),
        "programs": ("Pemutihan Denda Pajak", "Lamongan Bebas Tunggakan"),
        "people": ("wajib pajak", "bendahara", "aparatur"),
        "services": ("Pembayaran Pajak Bumi dan Bangunan", "Pengurusan BPHTB"),
        "docs": (
            "Laporan Keuangan", "Laporan Realisasi Anggaran", "Rencana Kerja dan Anggaran",
            "Neraca Daerah",
        ),
    },
    "pemerintahan": {
        "nouns": (
            "pemerintahan desa", "aparatur sipil negara", "pelayanan publik", "rapat koordinasi",
            "kepala desa", "musyawarah perencanaan pembangunan", "reformasi birokrasi",
            "keterbukaan informasi publik", "pemilihan kepala desa", "CPNS", "PPPK",
            "sistem pemerintahan berbasis elektronik", "ketertiban umum", "hari jadi Lamongan",
            "upacara", "pengaduan masyarakat", "PPID",
        ),
        "acts": (
            "menggelar rapat koordinasi", "melantik pejabat struktural",
            "mengumumkan hasil seleksi CPNS", "menertibkan pedagang kaki lima",
            "memperkuat keterbukaan informasi publik", "menyerap aspirasi masyarakat",
        ),
        "programs": ("Musrenbang", "Hari Jadi Lamongan", "Bupati Menyapa", "Lamongan Satu Data"),
        "people": ("aparatur sipil negara", "kepala desa", "perangkat desa", "camat"),
        "services": (
            "Permohonan Informasi Publik", "Pengaduan Masyarakat", "Legalisasi Dokumen",
            "Rekomendasi Izin Keramaian",
        ),
        "docs": (
            "Rencana Pembangunan Jangka Menengah Daerah", "Laporan Kinerja Instansi Pemerintah",
            "Daftar Informasi Publik", "Rencana Kerja",
        ),
    },
    "lingkungan": {
        "nouns": (
            "sampah", "bank sampah", "lingkungan hidup", "penghijauan", "tempat pembuangan akhir",
            "pencemaran sungai", "ruang terbuka hijau", "adipura", "kualitas udara",
            "pengelolaan sampah", "limbah",
        ),
        "acts": (
            "menanam ribuan bibit pohon", "mengelola sampah rumah tangga",
            "memantau kualitas air sungai", "membersihkan saluran dari sampah",
        ),
        "programs": ("Adipura", "Kampung Iklim", "Gerakan Lamongan Bersih"),
        "people": ("warga", "pengelola bank sampah", "pelajar"),
        "services": ("Pengangkutan Sampah", "Uji Kualitas Air"),
        "docs": ("Dokumen Informasi Kinerja Lingkungan Hidup", "Status Lingkungan Hidup"),
    },
    "pariwisata": {
        "nouns": (
            "wisata", "Wisata Bahari Lamongan", "makam Sunan Drajat", "festival budaya",
            "desa wisata", "kesenian", "cagar budaya", "wisata religi", "Waduk Gondang",
            "Goa Maharani", "kunjungan wisatawan", "pemuda", "olahraga",
        ),
        "acts": (
            "menggelar festival budaya", "mempromosikan desa wisata",
            "melestarikan kesenian tradisional", "menata kawasan wisata religi",
        ),
        "programs": ("Festival Sunan Drajat", "Lamongan Culture Festival", "Desa Wisata Award"),
        "people": ("wisatawan", "seniman", "pemuda", "atlet"),
        "services": ("Tanda Daftar Usaha Pariwisata", "Peminjaman Gedung Kesenian"),
        "docs": ("Data Kunjungan Wisatawan", "Kalender Event Pariwisata"),
    },
}
_TOPIC_NAMES = tuple(_TOPICS)

# Shared fillers. Order is rank: the first items are drawn far more often (Zipf).
_PLACES_GENERIC = (
    "alun-alun Lamongan", "Pendopo Lokatantra", "gedung Pemkab Lamongan", "balai desa",
    "kantor kecamatan", "Gedung Sasana Krida", "aula kantor", "Stadion Surajaya",
)
_CHANNELS = (
    "laman resmi Pemerintah Kabupaten Lamongan", "aplikasi Lamongan Satu Pintu",
    "nomor WhatsApp layanan", "media sosial resmi", "loket pelayanan", "call center 112",
    "surat elektronik",
)
_FUNDS = (
    "APBD Kabupaten Lamongan", "Dana Alokasi Khusus", "APBD Provinsi Jawa Timur",
    "dana desa", "APBN", "bantuan keuangan khusus",
)
_QUALITIES = ("kualitas", "mutu", "pemerataan", "akses", "kecepatan", "jangkauan")
_OFFICIALS = (
    "Bupati Lamongan", "Wakil Bupati Lamongan", "Sekretaris Daerah", "Ketua DPRD Lamongan",
    "Forkopimda", "para camat",
)
_DOCS_REQ = (
    "surat pengantar dari desa", "pas foto berwarna", "surat keterangan domisili",
    "fotokopi ijazah terakhir", "surat pernyataan bermaterai", "nomor pokok wajib pajak",
)
_GENERIC_DOCS = (
    "Laporan Kinerja", "Rencana Strategis", "Laporan Keuangan", "Rencana Kerja",
    "Laporan Penyelenggaraan Pemerintahan Daerah", "Standar Pelayanan", "Daftar Informasi Publik",
    "Laporan Tahunan PPID", "Perjanjian Kinerja", "Indikator Kinerja Utama",
)
_EVENTS = (
    "Sosialisasi", "Pelatihan", "Bimbingan Teknis", "Lomba", "Rapat Koordinasi", "Workshop",
    "Gerakan", "Lokakarya", "Festival", "Pameran",
)
_TITLE_VERBS = (
    "Resmikan", "Tinjau", "Luncurkan", "Salurkan", "Gelar", "Tingkatkan", "Percepat", "Perkuat",
    "Serahkan", "Evaluasi",
)
_APPS = (
    "SIPINTER", "Lamongan Sehat Mobile", "E-Dukcapil", "Sambat Online", "SIMPEL Pajak",
    "Lamongan Satu Data", "E-Lapor", "Si Jempol", "SIPANDU", "Antrean Puskesmas",
)
_SELEKSI = (
    "Administrasi CPNS", "PPPK Tenaga Teknis", "Calon Perangkat Desa", "Penerima Beasiswa",
    "Tenaga Pendamping", "Kompetensi Dasar", "Calon Penerima Bantuan", "Duta Wisata",
)
_STREETS = ("Basuki Rahmat", "Kombes Pol. M. Duryat", "Lamongrejo", "Panglima Sudirman",
            "Veteran", "Sunan Drajat", "Raya Babat")
_FREQ = ("tahunan", "semesteran", "triwulanan", "bulanan")
_SMALL_WORDS = frozenset(
    ("di", "dan", "ke", "dari", "untuk", "yang", "pada", "dengan", "tentang", "atau", "per",
     "dalam", "bagi", "oleh", "sampai")
)

# General vocabulary (affixed forms of common roots, Zipf-ranked) so the long tail of the
# corpus has a realistic size and a stemmer meets peN-/-an, ke-/-an, meN-, di- and ber- forms.
_W_NOUNS = """
pembangunan pengawasan pengelolaan pengembangan pemberdayaan penanganan pencegahan pemeriksaan
pemantauan pendataan pendampingan penyuluhan pelatihan pembinaan penataan penertiban perbaikan
peningkatan penguatan pemerataan penyediaan penyaluran penyusunan pelaksanaan penyelenggaraan
perencanaan penganggaran pelaporan pertanggungjawaban penilaian pengukuran pengujian pendaftaran
pencatatan penerbitan pengesahan penetapan pengadaan pembayaran penagihan pemungutan penerimaan
pengeluaran pembiayaan pendanaan penghargaan penghitungan pengiriman pengangkutan pengolahan
pemanfaatan pemasaran pemasangan pembersihan penanaman pemupukan pengairan penampungan
pengerukan pengecoran penggalian pemindahan penempatan pengangkatan pemberhentian pengembalian
penyerahan penandatanganan pembukaan penutupan peresmian pengenalan pemahaman pembelajaran
pengajaran pengajuan permohonan persetujuan perlindungan pertolongan perawatan pengobatan
penyembuhan pemulihan penyesuaian perubahan pergantian perpanjangan perluasan penambahan
pengurangan penghapusan pembatasan pengendalian penegakan penindakan penyelidikan pengaduan
penyelesaian penyampaian penyebaran penyiaran pemberitaan penerangan penjelasan pengumpulan
penyimpanan penggunaan pemakaian pembelian penjualan perdagangan peternakan perkebunan perumahan
permukiman perkotaan pedesaan perekonomian perindustrian keselamatan keamanan ketertiban
kebersihan keindahan kenyamanan kesejahteraan pengangguran kepegawaian kebudayaan kelautan
kehutanan kepemudaan ketahanan kemandirian kebutuhan kebijakan keputusan ketentuan kewajiban
kewenangan keterlambatan kerusakan kecelakaan kemacetan kekurangan kelebihan kemampuan
keterampilan kepedulian kebersamaan keterbukaan keadilan kemudahan ketepatan kelengkapan
keberhasilan kedudukan bangunan tanaman jaringan tagihan pungutan tunjangan catatan aturan
ukuran timbangan pinjaman simpanan tabungan kiriman usulan masukan tanggapan sambutan arahan
rancangan pertemuan persiapan pertimbangan perjanjian perjalanan persyaratan permasalahan
persediaan perlengkapan peralatan percepatan perwakilan persatuan perlombaan
"""
_W_VERBS = """
membangun memelihara mengawasi mengelola mengembangkan memberdayakan menangani mencegah
menanggulangi memeriksa memantau mendata mendampingi melatih membina menata memperbaiki
meningkatkan menguatkan menyediakan menyusun melaksanakan merencanakan melaporkan menilai
mengukur menguji mencatat menetapkan mengadakan membayar menagih memungut menerima mengeluarkan
membiayai menghargai menghitung mengirim mengangkut mengolah memanfaatkan memasang membersihkan
menanam memupuk mengairi menampung mengeruk menggali memindahkan menempatkan mengembalikan
menyerahkan menandatangani membuka menutup mengenalkan memahami mempelajari mengajar mengajukan
memohon menyetujui melindungi menolong merawat mengobati memulihkan menyesuaikan mengubah
mengganti memperpanjang memperluas menambah mengurangi menghapus membatasi mengendalikan
menegakkan menindak menyelesaikan menyebarkan menjelaskan mengumpulkan menyimpan menggunakan
membeli menjual membantu mendaftar
"""
_W_DI = """
dibangun dipelihara diawasi dikelola dikembangkan ditangani dicegah diperiksa dipantau didata
didampingi dilatih dibina ditata ditertibkan diperbaiki ditingkatkan diperkuat disediakan
disalurkan disusun dilaksanakan diselenggarakan direncanakan dilaporkan dinilai diukur diuji
didaftarkan dicatat diterbitkan disahkan ditetapkan diadakan dibayar ditagih dipungut diterima
dikeluarkan dibiayai dihitung dikirim diangkut diolah dimanfaatkan dipasarkan dipasang
dibersihkan ditanam diajukan disetujui dilindungi dirawat diobati diubah diganti diperpanjang
ditambah dikurangi dihapus dibatasi dikendalikan ditindak diselesaikan disebarkan dijelaskan
dikumpulkan disimpan digunakan dibeli dijual dibantu
"""
_W_BER = """
berjalan berlangsung berkembang bertambah berkurang berubah bertugas berperan berkoordinasi
berkolaborasi berpartisipasi berdampak bermanfaat berkelanjutan berkualitas berhasil berkumpul
bekerja belajar berdiskusi berkedudukan berlokasi
"""
_W_ADJ = """
baik cepat mudah aman nyaman bersih penting lengkap tepat jelas terbuka murah layak padat rawan
terpencil strategis optimal efektif efisien transparan akuntabel produktif inovatif kreatif
mandiri sejahtera maju makmur memadai terjangkau merata terpadu
"""

# (term, injected sentence, items per million). The terms are kept out of every other
# vocabulary list (checked at pool build time) so that their document frequency is exact.
_RARE = (
    ("kalibrasi", "Seluruh alat ukur di laboratorium telah menjalani kalibrasi berkala.", 1),
    ("geomembran", "Petambak memasang lapisan geomembran agar air tambak tidak merembes.", 1),
    ("vaname", "Tambak udang vaname di pesisir utara mulai dipanen pekan ini.", 2),
    ("biofloks", "Kolam bioflok atau biofloks dinilai hemat air bagi pembudidaya lele.", 2),
    ("piezometer", "Petugas memasang piezometer untuk memantau rembesan di tubuh tanggul.", 2),
    ("tensiometer", "Penyuluh membagikan tensiometer tanah kepada kelompok tani.", 3),
    ("fumigasi", "Gudang beras milik Bulog menjalani fumigasi untuk membasmi kutu.", 3),
    ("vertikultur", "Ibu-ibu PKK mengembangkan kebun vertikultur di pekarangan rumah.", 4),
    ("silase", "Peternak sapi diajari membuat silase dari batang jagung.", 4),
    ("azolla", "Tanaman azolla dipakai sebagai pakan tambahan itik petelur.", 5),
    ("gabion", "Tebing sungai yang tergerus diperkuat dengan susunan gabion.", 5),
    ("hemodialisa", "Unit hemodialisa rumah sakit kini melayani dua sif per hari.", 6),
    ("nefrologi", "Dokter spesialis nefrologi membuka praktik setiap Kamis.", 7),
    ("thalasemia", "Anak penyandang thalasemia mendapat transfusi darah rutin.", 8),
    ("leptospirosis", "Warga diimbau waspada leptospirosis setelah banjir surut.", 9),
    ("antraks", "Petugas memastikan tidak ada kasus antraks pada ternak warga.", 10),
    ("akuaponik", "Pemuda desa merintis usaha akuaponik di lahan sempit.", 11),
    ("rumpon", "Nelayan Brondong memasang rumpon untuk mengumpulkan ikan.", 13),
    ("Sendangduwur", "Masjid kuno Sendangduwur menjadi tujuan wisata religi.", 15),
    ("Pringgoboyo", "Perajin di Pringgoboyo memamerkan anyaman bambu.", 17),
    ("Kandangsemangkon", "Perahu nelayan Kandangsemangkon dicat ulang menjelang petik laut.", 19),
    ("Dradahblumbang", "Embung Dradahblumbang kembali terisi setelah hujan deras.", 21),
    ("Sidomlangean", "Pemuda Sidomlangean menggelar turnamen voli antardusun.", 24),
    ("Wudikromo", "Sanggar tari Wudikromo tampil pada malam pembukaan.", 27),
    ("Gumantuk", "Pasar hewan Gumantuk ramai menjelang Iduladha.", 30),
    ("Kemlagilor", "Kelompok wanita tani Kemlagilor memanen cabai rawit.", 34),
    ("Kawisrejo", "Warga Kawisrejo bergotong royong membersihkan makam.", 38),
    ("Tlogosadang", "Sumber mata air Tlogosadang dijaga oleh warga setempat.", 42),
    ("mikrohidro", "Pembangkit listrik mikrohidro skala kecil diuji coba di saluran irigasi.", 46),
    ("ekoenzim", "Siswa membuat ekoenzim dari sisa kulit buah.", 50),
)
RARE_TERMS: list[str] = [term for term, _, _ in _RARE]

# Verified by ``python bench/search_corpus.py``: each is in >= 10% of items.
COMMON_TERMS: list[str] = [
    "lamongan", "kabupaten", "masyarakat", "kecamatan", "pelayanan", "pemerintah", "daerah",
    "tahun", "desa", "kegiatan", "program", "informasi", "warga", "layanan", "pembangunan",
]
TWO_WORD_QUERIES: list[str] = [
    "izin usaha", "jadwal vaksin", "bantuan sosial", "jalan rusak", "beasiswa mahasiswa",
    "akta kelahiran", "kartu keluarga", "pajak daerah", "lowongan kerja", "pupuk subsidi",
    "banjir babat", "posyandu balita", "pendaftaran sekolah", "laporan keuangan",
    "data penduduk", "pelayanan kesehatan", "bpjs kesehatan", "ktp elektronik", "harga beras",
    "wisata religi", "nelayan brondong", "rumah sakit", "air bersih", "dana desa",
]
SUGGEST_PREFIXES: list[str] = [
    "izi", "pend", "ktp", "bea", "vak", "ban", "jal", "posy", "stun", "umk", "pup", "nel",
    "bpj", "lap", "pajak", "puske", "akt", "kk", "se", "lam", "bab", "dis", "pe", "peng",
]

_EPOCH_START = int(datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC).timestamp())
_EPOCH_END = int(datetime.datetime(2026, 11, 27, 23, 59, tzinfo=datetime.UTC).timestamp())
_WORD_RE = re.compile(r"[0-9a-z]+")


def _titlecase(phrase: str) -> str:
    """Portal titles capitalise words but keep acronyms (KTP, BPJS) and small words intact."""
    out = []
    for pos, word in enumerate(phrase.split()):
        if word.isupper() or (pos and word in _SMALL_WORDS) or word[0].isupper():
            out.append(word)
        else:
            out.append(word[0].upper() + word[1:])
    return " ".join(out)


class _Zipf:
    """Rank-weighted picker: weight 1/(rank+1)^s, drawn through a pre-expanded table.

    The table trades a little memory for a single ``random()`` per draw in the item loop.
    """

    __slots__ = ("table", "size")

    def __init__(self, items, s: float = 1.0, size: int = 2048):
        items = tuple(items)
        weights = [1.0 / (rank + 1) ** s for rank in range(len(items))]
        total = sum(weights)
        table: list = []
        acc = 0.0
        for item, weight in zip(items, weights, strict=True):
            acc += weight
            while len(table) < round(acc / total * size):
                table.append(item)
        self.table = table or list(items)
        self.size = len(self.table)

    def __call__(self, rnd) -> str:
        return self.table[int(rnd() * self.size)]


def _desa_names(rng: random.Random) -> list[str]:
    names = sorted({h + t for h in _DESA_HEAD for t in _DESA_TAIL})
    rng.shuffle(names)
    return names


def _opd_table(opd_count: int) -> list[tuple[str, str, str]]:
    rows = list(_OPD_BASE) + [(f"Kecamatan {k}", f"Kecamatan {k}", "pemerintahan")
                              for k in KECAMATAN]
    extra = 0
    while len(rows) < opd_count:
        kec = KECAMATAN[extra % len(KECAMATAN)]
        suffix = f" {extra // len(KECAMATAN) + 2}" if extra >= len(KECAMATAN) else ""
        rows.append((f"UPT Puskesmas {kec}{suffix}", f"Puskesmas {kec}{suffix}", "kesehatan"))
        extra += 1
    return rows[:opd_count]


class _Builder:
    """Everything derived from the seed once: fillers, sentence pools, title makers."""

    def __init__(self, rng: random.Random, opd_count: int):
        self.rng = rng
        rnd = rng.random
        self.opds = _opd_table(max(opd_count, 1))
        self.desa = _Zipf(_desa_names(rng), s=0.8)
        self.kec = _Zipf(KECAMATAN, s=0.6)
        people = [f"{a} {b}" for a in _FIRST for b in _LAST]
        rng.shuffle(people)
        self.person = _Zipf([p + _DEGREE[int(rnd() * len(_DEGREE))] for p in people[:300]], 0.7)
        self.topic = {name: {key: _Zipf(vals, s=0.9) for key, vals in data.items()}
                      for name, data in _TOPICS.items()}
        self.topic_title = {
            name: {"nouns": _Zipf([_titlecase(x) for x in data["nouns"]], s=0.9)}
            for name, data in _TOPICS.items()
        }
        self.z = {name: _Zipf(vals) for name, vals in (
            ("place", _PLACES_GENERIC), ("channel", _CHANNELS), ("fund", _FUNDS),
            ("quality", _QUALITIES), ("official", _OFFICIALS), ("docreq", _DOCS_REQ),
            ("gdoc", _GENERIC_DOCS), ("event", _EVENTS), ("tverb", _TITLE_VERBS),
            ("app", _APPS), ("seleksi", _SELEKSI), ("street", _STREETS), ("freq", _FREQ),
            ("role", _ROLES), ("wn1", _W_NOUNS.split()), ("wn2", _W_NOUNS.split()),
            ("wn3", _W_NOUNS.split()), ("wv1", _W_VERBS.split()), ("wv2", _W_VERBS.split()),
            ("wdi", _W_DI.split()), ("wber", _W_BER.split()), ("adj", _W_ADJ.split()),
        )}
        self._opds_by_topic = {
            name: [row for row in self.opds if row[2] == name] or self.opds for name in _TOPICS
        }
        # Bodies are drawn paragraph by paragraph (a handful of picks per item instead of
        # dozens); single sentences only top a body up to its minimum length.
        self.pools: dict[tuple[str, str], tuple[list[str], list[str], float]] = {}
        for topic in _TOPIC_NAMES:
            for register, size in (("berita", 900), ("pengumuman", 400), ("dokumen", 900),
                                   ("agenda", 250), ("layanan", 250), ("dataset", 200),
                                   ("profil", 250)):
                sents = [self._sentence(topic, register) for _ in range(size)]
                paras = [self._paragraph(sents, register) for _ in range(size)]
                words = sum(len(para.split()) for para in paras)
                self.pools[topic, register] = (sents, paras, words / size)
        self.word_count = {
            text: len(text.split())
            for sents, paras, _ in self.pools.values() for text in itertools.chain(sents, paras)
        }
        self._check_rare_terms_absent()

    def _check_rare_terms_absent(self) -> None:
        vocab: set[str] = set()
        for sents, _, _ in self.pools.values():
            for sent in sents:
                vocab.update(_WORD_RE.findall(sent.lower()))
        vocab.update(_WORD_RE.findall(" ".join(self.desa.table + self.person.table).lower()))
        clash = [t for t in RARE_TERMS if t.lower() in vocab]
        if clash:
            raise AssertionError(f"rare terms leak into the common vocabulary: {clash}")

    # -- slot fillers -------------------------------------------------------------------------
    def _fill(self, topic: str) -> "_Slots":
        return _Slots(self, topic)

    def _slot(self, slots: "_Slots", key: str) -> str:
        """Draw one slot value; only the slots a template names are ever drawn."""
        rnd = self.rng.random
        topic = slots.topic
        t = self.topic[topic]
        if key in _TOPIC_SLOTS:
            return t[_TOPIC_SLOTS[key]](rnd)
        if key in self.z:
            return self.z[key](rnd)
        if key in ("opd", "opd_short"):
            opd = self._opd_for_topic(topic)
            slots["opd"], slots["opd_short"] = opd[0], opd[1]
            return slots[key]
        if key in ("kec", "kec2"):
            return self.kec(rnd)
        if key == "desa":
            return self.desa(rnd)
        if key == "person":
            return self.person(rnd)
        if key == "year":
            return str(2015 + min(11, int(12 * rnd() ** 0.6)))
        if key == "year2":
            return str(min(2026, int(slots["year"]) + 1))
        if key == "num":
            return str(int(5 + 995 * rnd() ** 3))
        if key == "n":
            return str(1 + int(rnd() * 30))
        if key == "m":
            return str(1 + int(rnd() * 9))
        if key == "pct":
            return f"{40 + rnd() * 60:.1f}".replace(".", ",")
        if key == "money":
            return f"{int(rnd() * 900 + 10)}.{int(rnd() * 900 + 100)}.000"
        if key == "month":
            return _MONTHS[int(rnd() * 12)]
        if key == "day":
            return _DAYS[int(rnd() * 7)]
        if key == "date":
            return f"{1 + int(rnd() * 28)} {_MONTHS[int(rnd() * 12)]} {slots['year']}"
        if key == "time":
            return f"{7 + int(rnd() * 8):02d}.{(0, 30)[int(rnd() * 2)]:02d}"
        if key == "roman":
            return _ROMAN[int(rnd() * len(_ROMAN))]
        raise KeyError(key)

    def _opd_for_topic(self, topic: str) -> tuple[str, str, str]:
        matches = self._opds_by_topic[topic]
        return matches[int(self.rng.random() * len(matches))]

    def _sentence(self, topic: str, register: str) -> str:
        # Register-specific templates outweigh the shared ones 3:1 in frequency of use.
        templates = _TEMPLATES[register] * 3 + _TEMPLATES["umum"]
        text = templates[int(self.rng.random() * len(templates))].format_map(self._fill(topic))
        text = text[0].upper() + text[1:]
        return text + " "

    def _paragraph(self, sents: list[str], register: str) -> str:
        rnd = self.rng.random
        picked = [sents[int(rnd() * len(sents))] for _ in range(3 + int(rnd() * 5))]
        if register == "dokumen":
            # Extracted PDF text: hard line breaks between table rows, headings and sentences.
            return "".join(x[:-1] + "\n" if rnd() < 0.5 else x for x in picked)[:-1] + "\n"
        return "".join(picked)[:-1] + "\n\n"


_TEMPLATES = {
    "umum": (
        "Pemerintah Kabupaten Lamongan terus berupaya meningkatkan {quality} {noun} bagi "
        "masyarakat.",
        "Hal ini sejalan dengan program {program} yang telah dicanangkan sejak tahun {year}.",
        "Menurut {role} {opd_short}, {person}, {noun} menjadi salah satu prioritas pembangunan "
        "daerah.",
        "Masyarakat dapat memperoleh informasi lebih lanjut melalui {channel}.",
        "Upaya tersebut dilakukan dengan melibatkan pemerintah desa, kecamatan, dan masyarakat.",
        "Pelayanan kepada masyarakat harus dilaksanakan secara cepat, mudah, dan transparan.",
        "Di Kecamatan {kec}, {noun} juga mendapat perhatian dari warga dan perangkat desa.",
        "Menurutnya, {wn1} dan {wn2} merupakan kunci agar program ini {wber}.",
        "Petugas juga akan {wv1} serta {wv2} sesuai ketentuan yang berlaku.",
        "Seluruh berkas yang masuk akan {wdi} oleh petugas dalam waktu yang {adj}.",
        "Dalam rapat tersebut juga dibahas {wn1}, {wn2}, dan {wn3} di tingkat kecamatan.",
        "Kondisi di lapangan dinilai cukup {adj}, namun {wn1} masih perlu {wdi}.",
        "Warga berharap {wn1} dapat {wber} sehingga pelayanan menjadi lebih {adj}.",
    ),
    "berita": (
        "{opd_short} Kabupaten Lamongan terus {act} di Kecamatan {kec}.",
        "Kegiatan ini merupakan bagian dari program {program} yang telah berjalan sejak tahun "
        "{year}.",
        "\"Kami berharap masyarakat dapat memanfaatkan {noun} dengan sebaik-baiknya,\" ujar "
        "{person}.",
        "Sebanyak {num} {people} dari Desa {desa} dan sekitarnya mengikuti kegiatan tersebut.",
        "Selain itu, pihaknya juga akan {act2} secara bertahap hingga akhir tahun {year}.",
        "Anggaran yang dialokasikan untuk {noun} mencapai Rp {money} yang bersumber dari {fund}.",
        "Ia menambahkan bahwa {noun} di Desa {desa} perlu mendapat perhatian dari semua pihak.",
        "Kegiatan tersebut dihadiri oleh {official}, perwakilan {opd}, serta para kepala desa "
        "se-Kecamatan {kec}.",
        "Hingga bulan {month} {year}, capaian {noun} di Kabupaten Lamongan telah mencapai {pct} "
        "persen.",
        "{person} menjelaskan, {noun2} dan {noun3} saling berkaitan sehingga penanganannya "
        "harus terpadu.",
        "Warga Desa {desa} mengaku senang karena {noun} kini lebih mudah dijangkau.",
        "Pihaknya juga mengajak {people} untuk aktif berpartisipasi dalam {program}.",
        "Kepala Desa {desa} menyampaikan terima kasih kepada Pemkab Lamongan atas perhatian "
        "yang diberikan.",
        "Dalam kesempatan itu, {official} juga meninjau langsung {noun} di {place}.",
        "Pada tahun sebelumnya, kegiatan serupa diikuti oleh {num} peserta dari {n} kecamatan.",
        "Ke depan, pemerintah daerah akan melakukan evaluasi agar {noun} semakin tepat sasaran.",
        "{opd} bersama tim dari Kecamatan {kec2} melakukan pendataan ke rumah-rumah warga.",
    ),
    "pengumuman": (
        "Diberitahukan kepada seluruh masyarakat Kabupaten Lamongan bahwa {noun} akan "
        "dilaksanakan pada tanggal {date}.",
        "Pendaftaran dibuka mulai tanggal {date} sampai dengan batas waktu yang ditentukan "
        "melalui {channel}.",
        "Persyaratan yang harus dipenuhi antara lain fotokopi KTP, kartu keluarga, dan "
        "{docreq}.",
        "Peserta yang dinyatakan lolos seleksi administrasi akan diumumkan melalui laman resmi "
        "{opd_short}.",
        "Demikian pengumuman ini disampaikan untuk diketahui dan dipergunakan sebagaimana "
        "mestinya.",
        "Seluruh proses {noun} tidak dipungut biaya atau gratis.",
        "Informasi lebih lanjut dapat ditanyakan pada jam kerja di kantor {opd}, Jalan {street} "
        "Nomor {n}, Lamongan.",
        "Jadwal pelaksanaan {noun} di Kecamatan {kec} dapat berubah sesuai kondisi di lapangan.",
        "Bagi {people} yang belum terdaftar diharapkan segera mendaftarkan diri ke balai desa.",
        "Pengumuman hasil akhir akan disampaikan paling lambat tanggal {date}.",
        "Apabila di kemudian hari terdapat kekeliruan, akan dilakukan pembetulan sebagaimana "
        "mestinya.",
    ),
    "dokumen": (
        "BAB {roman}",
        "Halaman {n} dari {num}",
        "Pasal {n} ayat ({m}) menyatakan bahwa {noun} dilaksanakan oleh {opd} sesuai dengan "
        "ketentuan peraturan perundang-undangan.",
        "Tabel {m}.{n} Realisasi {noun} Tahun {year}",
        "{m}. {noun} {num} Rp {money} {pct}%",
        "Berdasarkan Peraturan Daerah Kabupaten Lamongan Nomor {n} Tahun {year}, {noun} "
        "merupakan urusan wajib pemerintah daerah.",
        "Realisasi anggaran {noun} pada tahun {year} sebesar Rp {money} atau {pct} persen dari "
        "target.",
        "Indikator kinerja utama {opd} meliputi {noun}, {noun2}, dan {noun3}.",
        "Sasaran strategis yang ingin dicapai adalah meningkatnya {quality} {noun} di Kabupaten "
        "Lamongan.",
        "Permasalahan yang dihadapi dalam pelaksanaan {noun} antara lain keterbatasan anggaran, "
        "sumber daya manusia, dan sarana prasarana.",
        "Sumber: {opd}, data diolah tahun {year2}.",
        "No. Kecamatan Jumlah Persentase Keterangan",
        "{m} {kec} {num} {pct} -",
        "Capaian kinerja tahun {year} dibandingkan dengan target jangka menengah menunjukkan "
        "tren yang meningkat.",
        "Dengan demikian, rekomendasi perbaikan diarahkan pada penguatan {noun2} dan "
        "pengawasan.",
    ),
    "agenda": (
        "Acara akan dilaksanakan pada hari {day}, {date} pukul {time} WIB bertempat di {place}.",
        "Kegiatan ini terbuka untuk umum dan tidak dipungut biaya.",
        "Peserta diharapkan hadir tepat waktu dan membawa kartu identitas.",
        "Narasumber kegiatan berasal dari {opd} dan akademisi.",
        "Agenda meliputi pembukaan, paparan {noun}, diskusi, dan penutup.",
    ),
    "layanan": (
        "Layanan ini diberikan kepada {people} yang berdomisili di Kabupaten Lamongan.",
        "Persyaratan: fotokopi KTP elektronik, kartu keluarga, dan {docreq}.",
        "Waktu penyelesaian layanan paling lama {n} hari kerja sejak berkas dinyatakan lengkap.",
        "Layanan {svc} tidak dipungut biaya.",
        "Permohonan dapat diajukan secara daring melalui {channel} atau datang langsung ke "
        "kantor {opd_short}.",
        "Pengaduan terkait pelayanan dapat disampaikan melalui {channel}.",
        "Prosedur: pemohon mengisi formulir, menyerahkan berkas, lalu menunggu verifikasi "
        "petugas.",
    ),
    "dataset": (
        "Dataset ini berisi data {noun} per kecamatan di Kabupaten Lamongan tahun {year} "
        "sampai {year2}.",
        "Sumber data: {opd}. Frekuensi pemutakhiran: {freq}.",
        "Format tersedia: CSV, XLSX, dan JSON dengan lisensi terbuka.",
        "Kolom data meliputi kode wilayah, nama kecamatan, nama desa, tahun, dan jumlah {noun}.",
        "Data ini merupakan bagian dari Lamongan Satu Data dan dapat digunakan kembali.",
    ),
    "profil": (
        "{opd} mempunyai tugas membantu Bupati dalam melaksanakan urusan pemerintahan di "
        "bidang {noun}.",
        "Alamat kantor: Jalan {street} Nomor {n}, Lamongan, Jawa Timur.",
        "Aplikasi {app} dikembangkan untuk mempermudah masyarakat dalam mengakses {noun}.",
        "Kabupaten Lamongan terdiri atas 27 kecamatan, 462 desa, dan 12 kelurahan.",
        "Jam pelayanan: Senin sampai Kamis pukul 07.30 hingga 15.30 WIB, Jumat pukul 07.30 "
        "hingga 14.00 WIB.",
        "Visi pembangunan daerah adalah terwujudnya Lamongan yang lebih sejahtera dan "
        "berdaya saing.",
        "Aplikasi dapat diunduh melalui Google Play Store dan digunakan tanpa biaya.",
    ),
}


_TOPIC_SLOTS = {
    "noun": "nouns", "noun2": "nouns", "noun3": "nouns", "act": "acts", "act2": "acts",
    "program": "programs", "people": "people", "svc": "services", "doc": "docs",
}


class _Slots(dict):
    """Template slots drawn on first use, so unused slots cost no random draws."""

    def __init__(self, builder: _Builder, topic: str):
        super().__init__()
        self.builder = builder
        self.topic = topic

    def __missing__(self, key: str) -> str:
        value = self.builder._slot(self, key)
        self[key] = value
        return value


def _fit_title(title: str) -> str:
    """Keep titles within the 5-14 word range the portal's editors actually produce."""
    if 4 <= title.count(" ") <= 13:
        return title
    words = title.split()
    if len(words) < 5:
        words += ["Kabupaten", "Lamongan"]
        if len(words) < 5:
            words.insert(0, "Informasi")
    return " ".join(words[:14])


def _summary(text: str) -> str:
    """First words of the lead, on one line, cut at a word boundary (pool text has no runs of
    spaces, only line breaks)."""
    text = text.replace("\n\n", " ").replace("\n", " ").rstrip()
    if len(text) <= 300:
        return text
    return text[:text.rfind(" ", 0, 298)] + "..."


def _rare_plan(rng: random.Random, n: int) -> dict[int, list[int]]:
    """Positions that receive a rare term: count = rate per million scaled to n, at least 1."""
    counts = [max(1, round(rate * n / 1_000_000)) for _, _, rate in _RARE] if n else []
    total = min(n, sum(counts))
    positions = rng.sample(range(n), total) if total else []
    plan: dict[int, list[int]] = {}
    it = iter(positions)
    for term_idx, count in enumerate(counts):
        for pos in itertools.islice(it, count):
            plan.setdefault(pos, []).append(term_idx)
    return plan


def generate(n: int, seed: int = 8, opd_count: int = 60) -> Iterator[dict]:
    """Yield ``n`` portal items; identical (n, seed, opd_count) give identical output."""
    rng = random.Random(seed)
    b = _Builder(rng, opd_count)
    plan = _rare_plan(random.Random(seed * 7919 + 1), n)
    rnd = rng.random
    choices = rng.choices
    utc = datetime.UTC
    fromts = datetime.datetime.fromtimestamp
    span = _EPOCH_END - _EPOCH_START

    cum, acc = [], 0.0
    kind_order = [k for k in KINDS if k != "berita"]
    for kind in kind_order:
        acc += _KIND_SHARE[kind]
        cum.append(acc)
    kind_order.append("berita")
    bisect_right = bisect.bisect_right

    opds = b.opds
    opd_pick = _Zipf(range(len(opds)), s=0.7, size=4096)
    topic_pick = _Zipf(_TOPIC_NAMES, s=0.5)
    kec, desa, person = b.kec, b.desa, b.person
    z = b.z
    pools = b.pools
    topics = b.topic
    ttopics = b.topic_title
    wcount = b.word_count.__getitem__

    for i in range(n):
        kind = kind_order[bisect_right(cum, rnd())]
        # Regency-wide items (Setda/Diskominfo editors) carry no OPD.
        if kind == "opd":
            opd = i % len(opds)
        elif rnd() < (0.18 if kind in ("berita", "halaman", "pengumuman") else 0.05):
            opd = None
        else:
            opd = opd_pick(rnd)
        if opd is None:
            topic = topic_pick(rnd)
            opd_name, opd_short = "Pemerintah Kabupaten Lamongan", "Pemkab Lamongan"
        else:
            opd_name, opd_short, topic = opds[opd]
        t = topics[topic]
        tt = ttopics[topic]

        if kind in ("layanan", "aplikasi", "opd") and rnd() < 0.6:
            published = None
        else:
            published = fromts(_EPOCH_START + int(span * rnd() ** 0.55), utc)

        k = kec(rnd)
        if kind == "berita":
            r = rnd()
            noun_t = tt["nouns"](rnd)
            if r < 0.3:
                title = f"{opd_short} {z['tverb'](rnd)} {noun_t} di Kecamatan {k}"
            elif r < 0.5:
                title = f"Bupati Lamongan {z['tverb'](rnd)} {noun_t} di Desa {desa(rnd)}"
            elif r < 0.65:
                title = f"Tingkatkan {noun_t}, {opd_short} Gelar {z['event'](rnd)} di {k}"
            elif r < 0.8:
                title = f"Warga Desa {desa(rnd)} Antusias Sambut {t['programs'](rnd)}"
            else:
                title = f"Pemkab Lamongan Perkuat {noun_t} Sepanjang Tahun " \
                        f"{published.year if published else 2025}"
            when = published or fromts(_EPOCH_START, utc)
            lead = (f"LAMONGAN – {opd_name} {t['acts'](rnd)} di Desa {desa(rnd)}, Kecamatan {k}, "
                    f"pada {_DAYS[when.weekday()]} ({when.day}/{when.month}/{when.year}). ")
        elif kind == "pengumuman":
            year = published.year if published else 2025
            r = rnd()
            if r < 0.35:
                title = f"Pengumuman {t['programs'](rnd)} Tahun {year}"
            elif r < 0.6:
                title = f"Pengumuman Hasil Seleksi {z['seleksi'](rnd)} {opd_short} Tahun {year}"
            elif r < 0.8:
                title = f"Jadwal {tt['nouns'](rnd)} Bulan {_MONTHS[int(rnd() * 12)]} {year}"
            else:
                title = f"Pemberitahuan Penutupan Sementara Layanan {tt['nouns'](rnd)}"
            lead = (f"Nomor: {int(rnd() * 900) + 100}/{int(rnd() * 90) + 10}/413.{int(rnd() * 99)}"
                    f"/{year}. Sehubungan dengan pelaksanaan {t['nouns'](rnd)}, {opd_name} "
                    f"menyampaikan pengumuman sebagai berikut. ")
        elif kind == "dokumen":
            year = (published.year if published else 2024) - (1 if rnd() < 0.5 else 0)
            r = rnd()
            if r < 0.45:
                title = f"{z['gdoc'](rnd)} {opd_name} Tahun {year}"
            elif r < 0.75:
                title = f"{t['docs'](rnd)} Kabupaten Lamongan Tahun {year}"
            else:
                title = (f"Peraturan Bupati Lamongan Nomor {1 + int(rnd() * 80)} Tahun {year} "
                         f"tentang {tt['nouns'](rnd)}")
            lead = (f"PEMERINTAH KABUPATEN LAMONGAN\n{opd_name.upper()}\n{title}\n"
                    f"KATA PENGANTAR\nPuji syukur kami panjatkan atas tersusunnya dokumen ini. ")
        elif kind == "agenda":
            title = (f"{z['event'](rnd)} {tt['nouns'](rnd)} di Kecamatan {k}" if rnd() < 0.6
                     else f"Rapat Koordinasi {tt['nouns'](rnd)} Tingkat Kabupaten Lamongan")
            lead = f"{opd_name} akan menyelenggarakan {title.lower()}. "
        elif kind == "layanan":
            svc = t["services"](rnd)
            r = rnd()
            title = (f"Pelayanan {svc}" if r < 0.4 else f"Persyaratan dan Prosedur {svc}"
                     if r < 0.7 else f"Layanan {svc} Secara Daring")
            lead = f"{svc} merupakan layanan yang diselenggarakan oleh {opd_name}. "
        elif kind == "dataset":
            year = published.year if published else 2025
            title = (f"Jumlah {tt['nouns'](rnd)} per Kecamatan Tahun {year}" if rnd() < 0.5
                     else f"Data {tt['nouns'](rnd)} Kabupaten Lamongan Tahun {year}")
            lead = f"Dataset {title.lower()} dipublikasikan oleh {opd_name}. "
        elif kind == "aplikasi":
            app = z["app"](rnd)
            title = f"Aplikasi {app} untuk Layanan {tt['nouns'](rnd)}"
            lead = f"{app} adalah aplikasi milik {opd_name} untuk layanan {t['nouns'](rnd)}. "
        elif kind == "opd":
            title = f"Profil dan Struktur Organisasi {opd_name}"
            lead = (f"{opd_name} dipimpin oleh {person(rnd)} dan berkantor di Jalan "
                    f"{z['street'](rnd)}, Lamongan. ")
        else:
            r = rnd()
            title = (f"Visi dan Misi {opd_name}" if r < 0.3 else
                     f"Kontak dan Alamat Kantor {opd_name}" if r < 0.55 else
                     f"Maklumat Pelayanan {opd_name}" if r < 0.75 else
                     f"Potensi Wisata dan Ekonomi Kecamatan {k}")
            lead = f"Halaman ini memuat {title.lower()}. "

        sents, paras, avg = pools[topic, _REGISTER[kind]]
        lo, hi = _BODY_WORDS[kind]
        words = lo + (hi - lo) * rnd() ** 1.6
        body_parts = choices(paras, k=max(1, int(words / avg)))
        # Paragraph lengths vary: trim by paragraph, then top up by sentence, so that bodies
        # stay inside the kind's word bounds.
        total = lead.count(" ") + sum(map(wcount, body_parts))
        while total > hi and len(body_parts) > 1:
            total -= wcount(body_parts.pop())
        while total < lo:
            extra = sents[int(rnd() * len(sents))]
            body_parts.append(extra)
            total += wcount(extra)
        rare = plan.get(i)
        if rare:
            for idx in rare:
                body_parts.insert(int(rnd() * len(body_parts)), _RARE[idx][1] + " ")
            if rnd() < 0.3:
                term = _RARE[rare[0]][0]
                title = f"{term[0].upper()}{term[1:]}: {title}"
        summary = _summary(lead + body_parts[0][:400])
        # One copy of the (long) body: strip the trailing break on the last, short part only.
        body_parts[-1] = body_parts[-1].rstrip()
        body_parts.insert(0, lead)
        body = "".join(body_parts)

        yield {
            "kind": kind,
            "title": _fit_title(title),
            "summary": summary,
            "body": body,
            "opd": opd,
            "published": published,
            "key": f"bench:{i}",
        }


def _main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    stats_mode = "--time-only" not in sys.argv
    started = time.perf_counter()
    if not stats_mode:
        count = sum(1 for _ in generate(n))
        elapsed = time.perf_counter() - started
        print(f"generated {count} items in {elapsed:.1f} s ({count / elapsed:,.0f} items/s)")
        return
    kinds: dict[str, int] = dict.fromkeys(KINDS, 0)
    words: dict[str, int] = dict.fromkeys(KINDS, 0)
    tracked = {t.lower() for t in COMMON_TERMS + RARE_TERMS}
    for q in TWO_WORD_QUERIES:
        tracked.update(q.split())
    df = dict.fromkeys(tracked, 0)
    query_df = dict.fromkeys(TWO_WORD_QUERIES, 0)
    gen_time = 0.0
    it = generate(n)
    while True:
        t0 = time.perf_counter()
        item = next(it, None)
        gen_time += time.perf_counter() - t0
        if item is None:
            break
        kinds[item["kind"]] += 1
        text = f"{item['title']} {item['body']}".lower()
        words[item["kind"]] += len(item["body"].split())
        present = tracked.intersection(_WORD_RE.findall(text))
        for term in present:
            df[term] += 1
        for q in TWO_WORD_QUERIES:
            a, c = q.split()
            if a in present and c in present:
                query_df[q] += 1
    print(f"n={n} seed=8: generation {gen_time:.1f} s ({n / gen_time:,.0f} items/s), "
          f"total with statistics {time.perf_counter() - started:.1f} s")
    total_words = sum(words.values())
    print(f"average body length: {total_words / n:.0f} words")
    for kind in KINDS:
        avg = words[kind] / kinds[kind] if kinds[kind] else 0
        print(f"  {kind:<11} {kinds[kind]:>8} ({kinds[kind] / n:6.2%})  avg body {avg:5.0f} words")
    print("COMMON_TERMS document frequency:")
    for term in COMMON_TERMS:
        print(f"  {term:<14} {df[term]:>8} ({df[term] / n:6.1%})")
    print("RARE_TERMS document frequency (items; per million):")
    for term in RARE_TERMS:
        d = df[term.lower()]
        print(f"  {term:<17} {d:>5} ({d * 1_000_000 / n:6.1f}/M)")
    print("TWO_WORD_QUERIES items containing both words:")
    for q in TWO_WORD_QUERIES:
        print(f"  {q:<22} {query_df[q]:>8} ({query_df[q] / n:6.2%})")


if __name__ == "__main__":
    _main()
