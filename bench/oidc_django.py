"""Django-side helper of bench/oidc: runs inside the project with the benchmark's settings.

bench/oidc (the orchestrator) calls it with the project's venv Python and the same environment
gunicorn gets (DATABASE_URL, REDIS_URL, DJANGO_SETTINGS_MODULE, identity keys, OIDC key, ...).
Every subcommand prints one JSON object on the last line of stdout; anything else is chatter.

    accounts --count N --out FILE   create N citizen accounts (level 1, e-mail contact, two-step
                                    sign-in off) with a password each, hashed by the production
                                    hasher; writes [{"nik", "password", "user_id"}] to FILE
    client --redirect-uri URI       register the benchmark's relying party as Kominfo does
           --out FILE               (satupintu.appcatalog.admin_views.build_client: confidential,
                                    authorization code, RS256, hashed secret, consent not
                                    skipped by DOT), its ClientPolicy (trusted, with a legal
                                    basis, scopes openid/profile/email) and the catalogue App
                                    (aktif, warga, https URL) linked to it; writes the client id,
                                    secret and slug to FILE, and times the client-secret check
    verify --token FILE             check one ID token from the run: RS256 signature against the
                                    provider's key, iss, aud, nonce, exp, pairwise sub, acr/amr/
                                    sid/auth_time, the claims of the scopes
    usage --slug SLUG               what the database holds after the run: AppUsageDay sums of
                                    the app (after `satupintu fold-app-usage`), what is still
                                    unfolded in the cache, and the rows the exchanges left behind
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings.production")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

SCOPES = ["openid", "profile", "email"]


def emit(payload):
    print(json.dumps(payload, default=str))


# --- accounts: made by bench/signin_django.py's create_accounts -----------------------------
def cmd_accounts(args):
    from signin_django import create_accounts  # bench/ is this script's own folder

    started = time.perf_counter()
    people, users, _hashed = create_accounts(args.count, args.jobs)
    assert users[-1].check_password(people[-1]["password"])
    out = [
        {"nik": person["nik"], "password": person["password"], "user_id": user.pk}
        for person, user in zip(people, users, strict=True)
    ]
    Path(args.out).write_text(json.dumps(out))
    emit({"created": len(out), "seconds": time.perf_counter() - started})


# --- the relying party -----------------------------------------------------------------------
def cmd_client(args):
    from django.contrib.auth.hashers import check_password, identify_hasher
    from django.db import transaction

    from satupintu.appcatalog.admin_views import build_client
    from satupintu.appcatalog.models import App
    from satupintu.opd.models import OPD
    from satupintu.sso.models import ClientPolicy

    with transaction.atomic():
        opd, _created = OPD.objects.get_or_create(
            slug="bench-kominfo",
            defaults={
                "name": "Dinas Bench Komunikasi dan Informatika",
                "acronym": "Bench",
                "type": OPD.Type.DINAS,
            },
        )
        app = App(
            name="Layanan Bench",
            slug="layanan-bench",
            description="Aplikasi bench/oidc (bukan data resmi).",
            owner=opd,
            audience=App.Audience.CITIZENS,
            url="https://rp.bench.invalid/",
            status=App.Status.ACTIVE,
        )
        app.full_clean(exclude=["client"])
        # As Kominfo registers an app (admin_views.register_app): client first, then the app.
        client, secret = build_client(app, args.redirect_uri)
        app.client = client
        app.save()
        policy = ClientPolicy(
            application=client,
            opd_name=opd.name,
            purpose="Pengukuran kinerja (bench/oidc).",
            allowed_scopes=list(SCOPES),
            trusted=True,
            legal_basis="UU 27/2022 Pasal 20 ayat (2) huruf e (tugas pelayanan publik); bench.",
        )
        policy.full_clean()
        policy.save()
    client.refresh_from_db()
    stored = client.client_secret
    hasher = identify_hasher(stored)
    assert check_password(secret, stored)
    walls, cpus = [], []
    for _ in range(args.samples):
        cpu, wall = time.process_time(), time.perf_counter()
        check_password(secret, stored)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    Path(args.out).write_text(
        json.dumps(
            {
                "client_id": client.client_id,
                "client_secret": secret,
                "redirect_uri": args.redirect_uri,
                "slug": app.slug,
                "app_url": app.url,
                "app_id": app.pk,
            }
        )
    )
    emit(
        {
            "client_id": client.client_id,
            "secret_hasher": hasher.algorithm,
            "secret_hash_params": {
                k: str(v)
                for k, v in hasher.safe_summary(stored).items()
                if k not in ("salt", "hash")
            },
            "secret_check_ms": statistics.median(walls) * 1000,
            "secret_check_cpu_ms": statistics.median(cpus) * 1000,
            "samples": args.samples,
            "client_secret_hasher_setting": settings.OAUTH2_PROVIDER.get(
                "CLIENT_SECRET_HASHER", "default"
            ),
        }
    )


# --- one ID token, checked -------------------------------------------------------------------
def cmd_verify(args):
    from jwcrypto import jwk, jwt
    from oauth2_provider.models import Application

    from satupintu.sso import claims as claim_rules
    from satupintu.sso.models import policy_for

    sample = json.loads(Path(args.token).read_text())
    key = jwk.JWK.from_pem(settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"].encode())
    public = jwk.JWK()
    public.import_key(**key.export_public(as_dict=True))
    problems = []
    try:
        token = jwt.JWT(jwt=sample["id_token"], key=public, algs=["RS256"])
        claims = json.loads(token.claims)
        header = json.loads(token.header)
    except Exception as exc:  # noqa: BLE001 (reported, not raised)
        emit({"ok": False, "problems": [f"signature/format: {exc}"]})
        return
    client = Application.objects.get(client_id=sample["client_id"])
    policy = policy_for(client)
    issuer = settings.OAUTH2_PROVIDER["OIDC_ISS_ENDPOINT"]
    expected_sub = claim_rules.pairwise_sub(policy, SimpleNamespace(pk=sample["user_id"]))
    checks = {
        "alg RS256": header.get("alg") == "RS256",
        "iss": claims.get("iss") == issuer,
        "aud": claims.get("aud") in (client.client_id, [client.client_id]),
        "nonce": claims.get("nonce") == sample["nonce"],
        "exp in future": claims.get("exp", 0) > time.time(),
        "sub pairwise": claims.get("sub") == expected_sub
        and claims.get("sub") != str(sample["user_id"]),
        "acr/amr/sid/auth_time": all(k in claims for k in ("acr", "amr", "sid", "auth_time")),
        "name (profile)": claims.get("name", "").startswith("WARGA BENCH"),
        "no NIK": "nik" not in claims,
    }
    problems = [name for name, ok in checks.items() if not ok]
    emit(
        {
            "ok": not problems,
            "problems": problems,
            "issuer": issuer,
            "claims": sorted(claims),
            "acr": claims.get("acr"),
            "amr": claims.get("amr"),
        }
    )


# --- after the run ---------------------------------------------------------------------------
def cmd_usage(args):
    from django.db.models import Sum
    from oauth2_provider.models import AccessToken, Grant, IDToken, RefreshToken

    from satupintu.appcatalog import usage
    from satupintu.appcatalog.models import App, AppUsageDay
    from satupintu.sso.models import Consent, IssuedCode, Release

    app = App.objects.get(slug=args.slug)
    folded = AppUsageDay.objects.filter(app=app).aggregate(
        launches=Sum("launches"),
        sso_signins=Sum("sso_signins"),
        distinct_users=Sum("distinct_users"),
    )
    unfolded = {
        f"{day}:{field}": value
        for (app_id, day), fields in usage.pending(days=2).items()
        if app_id == app.pk
        for field, (_key, value) in fields.items()
    }
    emit(
        {
            "folded": {k: v or 0 for k, v in folded.items()},
            "usage_rows": AppUsageDay.objects.filter(app=app).count(),
            "unfolded": unfolded,
            "rows": {
                "IssuedCode": IssuedCode.objects.count(),
                "IssuedCode redeemed": IssuedCode.objects.filter(redeemed_at__isnull=False).count(),
                "IssuedCode replayed": IssuedCode.objects.filter(replayed_at__isnull=False).count(),
                "Grant (left)": Grant.objects.count(),
                "AccessToken": AccessToken.objects.count(),
                "RefreshToken": RefreshToken.objects.count(),
                "IDToken": IDToken.objects.count(),
                "Release": Release.objects.count(),
                "Consent": Consent.objects.count(),
            },
        }
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("accounts")
    p.add_argument("--count", type=int, default=16)
    p.add_argument("--out", required=True)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p = sub.add_parser("client")
    p.add_argument("--redirect-uri", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--samples", type=int, default=5)
    p = sub.add_parser("verify")
    p.add_argument("--token", required=True)
    p = sub.add_parser("usage")
    p.add_argument("--slug", required=True)
    args = parser.parse_args()
    commands = {
        "accounts": cmd_accounts,
        "client": cmd_client,
        "verify": cmd_verify,
        "usage": cmd_usage,
    }
    commands[args.command](args)


if __name__ == "__main__":
    main()
