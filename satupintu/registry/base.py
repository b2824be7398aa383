"""One interface for asking the population registry "is this person who they say they are".

Three adapters answer it, chosen by `SATUPINTU_REGISTRY_BACKEND`:

* `local`: a verification table imported from the regency's own SIAK extract (`local.py`);
* `dukcapil`: Disdukcapil's per-field verification web service (`dukcapil.py`);
* `upstream`: no typed verification at all; identity is proven by signing in at an upstream
  OpenID provider such as INApas (`satupintu.citizens.upstream`), keyed on (issuer, subject).

Every adapter answers match / no match per field and, where the registry says so, whether the
person's domicile is in this regency. Registry data never flows back to the citizen or to us
beyond that verdict ("zero data sharing"), and only the verdict is stored (`RegistryCheck`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

# The fields a claim may carry, in the order forms show them.
FIELDS = ("nik", "full_name", "birth_date", "birth_place", "mother_name")


class RegistryUnavailable(Exception):
    """The registry could not answer. Never treated as a match; the citizen is told to retry."""

    message = _("Layanan verifikasi kependudukan sedang tidak tersedia. Silakan coba lagi nanti.")


class RegistryNotConfigured(RegistryUnavailable):
    pass


@dataclass(frozen=True)
class Claim:
    """What a person says about themselves. `nik` is the 16 normalised digits."""

    nik: str
    full_name: str
    birth_date: datetime.date
    birth_place: str = ""
    mother_name: str = ""

    def __repr__(self):  # Tracebacks and logs must never carry the NIK or the name.
        return "Claim(<redacted>)"

    def sent_fields(self) -> list[str]:
        return [
            name
            for name in FIELDS
            if name in ("nik", "full_name", "birth_date") or getattr(self, name)
        ]


@dataclass(frozen=True)
class Verdict:
    backend: str
    transaction_id: str
    checked_at: datetime.datetime
    # One boolean per field sent: True = the registry says it matches.
    fields: dict[str, bool] = field(default_factory=dict)
    # Domicile in this regency, as the registry answered; None when it gave no answer on it.
    resident: bool | None = None
    # Kemendagri code of the domicile desa/kelurahan (or kecamatan), when the registry gives it.
    domicile_code: str = ""

    @property
    def matched(self) -> bool:
        return bool(self.fields) and all(self.fields.values())


class Verifier:
    """Base class of the adapters. `verify` raises RegistryUnavailable rather than guess."""

    name = ""

    def verify(self, claim: Claim) -> Verdict:
        raise NotImplementedError

    @property
    def accepts_typed_claims(self) -> bool:
        return True


BACKENDS = {
    "local": "satupintu.registry.local.LocalRegistryVerifier",
    "dukcapil": "satupintu.registry.dukcapil.DukcapilVerifier",
    "upstream": "satupintu.registry.base.UpstreamOnlyVerifier",
}


class UpstreamOnlyVerifier(Verifier):
    """When identity is proven only at an upstream provider, typed data proves nothing."""

    name = "upstream"

    @property
    def accepts_typed_claims(self) -> bool:
        return False

    def verify(self, claim: Claim) -> Verdict:
        raise RegistryNotConfigured()


def get_verifier() -> Verifier:
    backend = settings.SATUPINTU_REGISTRY_BACKEND
    try:
        path = BACKENDS[backend]
    except KeyError as exc:
        raise RegistryNotConfigured() from exc
    return import_string(path)()
