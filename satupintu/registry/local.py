"""The `local` registry: verification against the regency's own imported SIAK extract.

The table holds keyed hashes only (see importer.py), so a claim is checked by hashing what the
citizen typed the same way and comparing. The record is looked up under every configured hash
key, so lookups keep working while the keys are being rotated; the fields are then compared
under the key that found the record (the one the extract was imported with).

One query answers both "is there an active extract" and "is this NIK in it" (a LEFT JOIN from
the active extract to the matching record), so a known and an unknown NIK cost the same
queries, and the hashes of every sent field are computed either way: neither the query log nor
the timing tells whether a NIK is in the registry.
"""

from __future__ import annotations

import hmac
import uuid

from django.db.models import FilteredRelation, Q
from django.utils import timezone

from satupintu.identity import nik as nik_rules
from satupintu.identity.protection import lookup_hashes, nik_lookup_hashes, normalise_name

from .base import Claim, RegistryUnavailable, Verdict, Verifier
from .models import RegistryExtract

# Claim field -> (hash label, record column).
_FIELDS = {
    "full_name": ("name", "name_hash"),
    "birth_date": ("birth_date", "birth_date_hash"),
    "birth_place": ("birth_place", "birth_place_hash"),
    "mother_name": ("mother_name", "mother_name_hash"),
}


def _claim_value(claim: Claim, name: str) -> str:
    value = getattr(claim, name)
    if name == "birth_date":
        return value.isoformat()
    return normalise_name(value)


def _same(stored, candidate: str) -> bool:
    """A stored digest (bytes, or a memoryview on PostgreSQL) against a hex keyed hash."""
    return bool(stored) and hmac.compare_digest(bytes(stored), bytes.fromhex(candidate))


class LocalRegistryVerifier(Verifier):
    name = "local"

    def verify(self, claim: Claim) -> Verdict:
        digits = nik_rules.normalise(claim.nik)
        nik_hashes = [bytes.fromhex(h) for h in nik_lookup_hashes(digits)]
        sent = claim.sent_fields()
        # Every sent field hashed under every key, before the lookup and whatever it finds.
        candidates = {
            name: lookup_hashes(_FIELDS[name][0], _claim_value(claim, name))
            for name in sent
            if name != "nik"
        }
        columns = [f"rec__{column}" for _label, column in _FIELDS.values()]
        matching = FilteredRelation("records", condition=Q(records__nik_hash__in=nik_hashes))
        rows = list(
            RegistryExtract.objects.filter(status=RegistryExtract.Status.ACTIVE)
            .annotate(rec=matching)
            .values("pk", "rec__nik_hash", "rec__domicile_code", *columns)
        )
        if not rows:
            raise RegistryUnavailable()
        record = next((row for row in rows if row["rec__nik_hash"] is not None), None)
        fields = dict.fromkeys(sent, False)
        if record is not None:
            key_index = nik_hashes.index(bytes(record["rec__nik_hash"]))
            fields["nik"] = True
            for name, hashes in candidates.items():
                column = f"rec__{_FIELDS[name][1]}"
                fields[name] = _same(record[column], hashes[key_index])
        matched = record is not None and all(fields.values())
        return Verdict(
            backend=self.name,
            transaction_id=uuid.uuid4().hex,
            checked_at=timezone.now(),
            fields=fields,
            # The extract is this regency's own population: a full match is a resident.
            resident=True if matched else None,
            domicile_code=record["rec__domicile_code"] if matched else "",
        )
