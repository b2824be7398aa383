"""Invented people for the citizen tests and the browser test: a registry extract of three
and a NIK that is in no registry. None of them is a real person."""

import datetime
from types import SimpleNamespace

PEOPLE = {
    # A woman: 40 is added to the day of birth (10 -> 50).
    "siti": SimpleNamespace(
        nik="3524015008900003",
        name="Siti Aminah",
        birth=datetime.date(1990, 8, 10),
        place="Lamongan",
        mother="Sumiati",
        kec="01",
        kel="2001",
    ),
    # A resident whose NIK was first issued in Surabaya (3578...).
    "budi": SimpleNamespace(
        nik="3578031501850002",
        name="Budi Santoso",
        birth=datetime.date(1985, 1, 15),
        place="Surabaya",
        mother="Karsini",
        kec="02",
        kel="2001",
    ),
    # Listed in the registry but not yet 17.
    "dewi": SimpleNamespace(
        nik="3524024505120001",
        name="Dewi Lestari",
        birth=datetime.date(2012, 5, 5),
        place="Lamongan",
        mother="Siti Aminah",
        kec="01",
        kel="2001",
    ),
}
# Well-formed, not in the registry.
STRANGER_NIK = "3524011203770009"


def registry_csv(people) -> str:
    lines = ["NIK;NAMA_LGKP;TGL_LHR;TMPT_LHR;NAMA_LGKP_IBU;NO_PROP;NO_KAB;NO_KEC;NO_KEL"]
    for p in people:
        lines.append(
            f"{p.nik};{p.name.upper()};{p.birth:%d-%m-%Y};{p.place.upper()};"
            f"{p.mother.upper()};35;24;{p.kec};{p.kel}"
        )
    return "\n".join(lines) + "\n"


PASSWORD = "tiga kata acak sekali"  # noqa: S105 (test accounts only)


def make_citizen(person, email="warga@example.org", password=PASSWORD, two_step=""):
    """An account for one of the people above, as a matched sign-up would leave it."""
    from satupintu.identity import nik as nik_rules

    from .accounts import create_citizen
    from .models import Citizen

    citizen = create_citizen(
        nik=person.nik,
        full_name=person.name,
        birth_date=person.birth,
        sex=nik_rules.parse(person.nik).sex,
        verdict_row=None,
        contact={"email": email},
        level=Citizen.IdentityLevel.REGISTRY,
        source="test",
    )
    citizen.user.set_password(password)
    citizen.user.save()
    if two_step:
        citizen.two_step = two_step
        citizen.save()
    return citizen
