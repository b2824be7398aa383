"""The Lamongan demo: OPDs, accounts and sample content, all safe to create twice.

Sample content is written to show what the portal does; the public site shows a demo banner
and every sample item names "Tim Demo Satu Pintu" as its author, so nobody takes it for
official information. OPD names come from data/opd_<code>.csv (what the regency's portal and
press confirm), the kecamatan from the loaded region data; heads, addresses and phone numbers
are left empty rather than invented.
"""

import csv
import datetime
import io
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw
from wagtail.documents.models import Document

from satupintu.announcements.models import AnnouncementIndexPage, AnnouncementPage
from satupintu.citizens.roles import ensure_counter_group
from satupintu.events.models import EventIndexPage, EventPage
from satupintu.media.models import PortalImage
from satupintu.news.models import NewsIndexPage, NewsPage
from satupintu.opd.models import OPD
from satupintu.opd.provisioning import ensure_kominfo_group, provision_opd
from satupintu.ppid.models import PPIDDocumentPage, PPIDIndexPage
from satupintu.regency.models import RegencySettings, Region
from satupintu.services.models import ServiceIndexPage, ServicePage

DATA = Path(__file__).parent / "data"
DEMO_AUTHOR = "Tim Demo Satu Pintu"
# OPDs that get demo accounts and the fuller set of sample content.
SHOWCASE = ["dinkes", "diskominfo", "disdukcapil"]


@dataclass
class Account:
    username: str
    role: str
    password: str


def credentials_path() -> Path:
    return Path(settings.DATA_DIR) / "demo-credentials.json"


def seed_opds(code: str) -> list[OPD]:
    """Create and provision the regency's confirmed OPDs and one OPD per kecamatan."""
    rows = []
    table = DATA / f"opd_{code}.csv"
    if table.is_file():
        with open(table, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    opds = []
    for row in rows:
        opd = OPD.objects.filter(slug=row["slug"]).first() or OPD(
            name=row["name"],
            acronym=row["acronym"],
            slug=row["slug"],
            type=row["type"],
            needs_verification=row["needs_verification"] == "1",
        )
        opds.append(opd)
    for district in Region.objects.filter(
        level=Region.Level.DISTRICT, kemendagri_code__startswith=code
    ):
        slug = f"kecamatan-{slugify(district.name)}"
        opd = OPD.objects.filter(slug=slug).first() or OPD(
            name=f"Kecamatan {district.name}",
            acronym=f"Kec. {district.name}",
            slug=slug,
            type=OPD.Type.KECAMATAN,
            region=district,
        )
        opds.append(opd)
    for opd in opds:
        if opd.pk is None or not opd.is_provisioned:
            provision_opd(opd)
    return opds


def seed_accounts() -> list[Account]:
    """Demo accounts with random passwords, kept in var/ so a second run prints the same ones."""
    path = credentials_path()
    saved = json.loads(path.read_text()) if path.is_file() else {}
    User = get_user_model()
    kominfo = ensure_kominfo_group()
    wanted = [("kominfo", "Kominfo (admin platform)", None)]
    for slug in SHOWCASE[:2]:
        opd = OPD.objects.get(slug=slug)
        wanted.append((f"operator.{slug}", f"Operator {opd.acronym}", opd.operator_group))
        wanted.append((f"verifikator.{slug}", f"Verifikator {opd.acronym}", opd.verifier_group))
    wanted.append(("petugas.loket", "Petugas loket Disdukcapil", ensure_counter_group()))
    accounts = []
    for username, role, group in wanted:
        password = saved.get(username) or secrets.token_urlsafe(12)
        user, created = User.objects.get_or_create(username=username)
        if created or not user.check_password(password):
            user.set_password(password)
        user.first_name = role
        user.email = f"{username}@demo.invalid"
        if group is None:
            user.is_superuser = user.is_staff = True
            user.save()
            user.groups.add(kominfo)
        else:
            user.save()
            user.groups.add(group)
        saved[username] = password
        accounts.append(Account(username, role, password))
    path.write_text(json.dumps(saved, indent=2))
    path.chmod(0o600)
    return accounts


def _banner(text: str, colour: str) -> ContentFile:
    image = Image.new("RGB", (1200, 675), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 520, 1140, 620), fill="#ffffff")
    draw.text((80, 550), text[:60], fill="#111111", font_size=44)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name=f"{slugify(text)[:40] or 'gambar'}.png")


def _pdf(title: str) -> ContentFile:
    """A one-page PDF that says it is a demo document."""
    text = f"Dokumen contoh Satu Pintu: {title}".encode("latin-1", "replace")
    stream = b"BT /F1 14 Tf 50 780 Td (" + text.replace(b"(", b"[").replace(b")", b"]") + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return ContentFile(out.getvalue(), name=f"{slugify(title)[:40]}.pdf")


def _slug(title: str, limit: int = 80) -> str:
    """A slug within `limit` that keeps a trailing "-bagian-N", so numbered titles differ."""
    slug = slugify(title)
    head, sep, part = slug.rpartition("-bagian-")
    if len(slug) <= limit or not sep:
        return slug[:limit]
    return head[: limit - len(sep + part)].rstrip("-") + sep + part


def _publish(parent, page):
    existing = type(page).objects.child_of(parent).filter(slug=page.slug).first()
    if existing:
        return existing, False
    page.owner = None
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


NEWS_TOPICS = {
    "dinas": [
        (
            "Sosialisasi program kerja {acronym} tahun {year} kepada masyarakat",
            "Program kerja tahun ini dipaparkan kepada perwakilan desa dan kelurahan.",
        ),
        (
            "{acronym} membuka layanan konsultasi setiap hari kerja",
            "Warga dapat berkonsultasi langsung di kantor pada jam layanan.",
        ),
        (
            "Rapat koordinasi {acronym} bersama camat se-{regency}",
            "Koordinasi lintas kecamatan untuk menyelaraskan jadwal kegiatan.",
        ),
    ],
    "kecamatan": [
        (
            "Musrenbang {name} tahun {year}",
            "Musyawarah perencanaan pembangunan tingkat kecamatan membahas usulan desa.",
        ),
        (
            "Pelayanan administrasi di kantor {name} tetap buka saat libur sekolah",
            "Jam layanan tidak berubah selama libur sekolah.",
        ),
    ],
}
DEFAULT_TOPICS = NEWS_TOPICS["dinas"]


def _news_for(opd, count, regency_name, year, start_index=0):
    topics = NEWS_TOPICS.get(opd.type, DEFAULT_TOPICS)
    for i in range(start_index, start_index + count):
        title_t, intro = topics[i % len(topics)]
        title = title_t.format(acronym=opd.acronym, name=opd.name, regency=regency_name, year=year)
        if i >= len(topics):
            title = f"{title} (bagian {i // len(topics) + 1})"
        yield title, intro


def seed_content(opds, news_per_opd: int = 3) -> int:
    """Sample pages for every OPD, fuller for the showcase OPDs. Returns pages created."""
    regency = RegencySettings.load()
    today = timezone.localdate()
    created = 0
    for opd in opds:
        home = opd.home_page
        news_index = NewsIndexPage.objects.child_of(home).first()
        count = news_per_opd * (2 if opd.slug in SHOWCASE else 1)
        for n, (title, intro) in enumerate(_news_for(opd, count, regency.name, today.year)):
            image = None
            if opd.slug in SHOWCASE and n < 2:
                image = PortalImage.objects.filter(title=title, collection=opd.collection).first()
                if image is None:
                    image = PortalImage(
                        title=title,
                        collection=opd.collection,
                        description=f"Gambar ilustrasi contoh bertuliskan {opd.acronym}",
                        file=_banner(opd.acronym, regency.primary_colour),
                    )
                    image.save()
            page = NewsPage(
                title=title,
                slug=_slug(title),
                intro=intro,
                # The showcase OPDs' news (with pictures) are the newest on the home page.
                date=today - datetime.timedelta(days=n * 3 + (0 if opd.slug in SHOWCASE else 1)),
                author_name=DEMO_AUTHOR,
                image=image,
                body=(
                    f"<p>{intro}</p><p>Ini adalah berita contoh untuk demonstrasi portal "
                    f"Satu Pintu di bagian {opd.name}. Isinya bukan informasi resmi.</p>"
                ),
            )
            created += _publish(news_index, page)[1]
        if opd.slug not in SHOWCASE:
            continue
        created += _seed_showcase(opd, home, today)
    return created


def _seed_profile(home, opd):
    """A sample profile, so the demo shows every part of an OPD page; marked as sample."""
    home = home.specific
    if home.introduction:
        return
    home.introduction = (
        f"Contoh profil {opd.name} untuk demonstrasi portal; teks resmi diisi operator OPD."
    )
    home.vision = "<p>(Contoh) Pelayanan publik yang cepat, terbuka, dan mudah dijangkau warga.</p>"
    home.mission = (
        "<ol><li>(Contoh) Mempermudah warga mendapatkan layanan.</li>"
        "<li>(Contoh) Membuka informasi kinerja secara berkala.</li></ol>"
    )
    home.duties = (
        "<p>(Contoh) Melaksanakan urusan pemerintahan daerah di bidangnya sesuai "
        "peraturan daerah tentang susunan perangkat daerah.</p>"
    )
    home.save_revision().publish()


def _seed_showcase(opd, home, today) -> int:
    created = 0
    _seed_profile(home, opd)
    announcements = AnnouncementIndexPage.objects.child_of(home).first()
    for title, start, end in [
        (
            f"Jadwal pelayanan {opd.acronym} selama bulan ini",
            today - datetime.timedelta(days=2),
            today + datetime.timedelta(days=28),
        ),
        (
            f"Penutupan layanan {opd.acronym} untuk pemeliharaan sistem (sudah lewat)",
            today - datetime.timedelta(days=40),
            today - datetime.timedelta(days=30),
        ),
    ]:
        created += _publish(
            announcements,
            AnnouncementPage(
                title=title,
                slug=_slug(title),
                valid_from=start,
                valid_until=end,
                body="<p>Pengumuman contoh untuk demonstrasi; bukan informasi resmi.</p>",
            ),
        )[1]
    events = EventIndexPage.objects.child_of(home).first()
    start = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=7), datetime.time(9))
    )
    title = f"Forum konsultasi publik {opd.acronym}"
    created += _publish(
        events,
        EventPage(
            title=title,
            slug=_slug(title),
            start=start,
            end=start + datetime.timedelta(hours=3),
            location=f"Aula {opd.name}",
            summary="Kegiatan contoh untuk demonstrasi portal.",
        ),
    )[1]
    services = ServiceIndexPage.objects.child_of(home).first()
    title = f"Layanan pengaduan dan informasi {opd.acronym}"
    created += _publish(
        services,
        ServicePage(
            title=title,
            slug=_slug(title),
            summary="Contoh layanan untuk demonstrasi standar pelayanan.",
            requirements="<ul><li>Identitas pemohon</li><li>Uraian permohonan</li></ul>",
            procedure=(
                "<ol><li>Pemohon datang atau mengisi formulir</li><li>Petugas memeriksa</li>"
                "<li>Jawaban diberikan</li></ol>"
            ),
            duration="3 hari kerja",
            fee="Gratis",
            product="Jawaban tertulis",
            legal_basis="<ul><li>UU 25/2009 tentang Pelayanan Publik</li></ul>",
            complaints="<p>Sampaikan melalui SP4N-LAPOR! atau datang ke kantor.</p>",
            featured=True,
        ),
    )[1]
    ppid = PPIDIndexPage.objects.child_of(home).first()
    title = f"Rencana kerja {opd.acronym} {today.year} (contoh)"
    if not PPIDDocumentPage.objects.child_of(ppid).filter(slug=_slug(title)).exists():
        document = Document(title=title, collection=opd.collection, file=_pdf(title))
        document._set_document_file_metadata()
        document.save()
        created += _publish(
            ppid,
            PPIDDocumentPage(
                title=title,
                slug=_slug(title),
                category=PPIDDocumentPage.Category.BERKALA,
                year=today.year,
                summary="Dokumen contoh untuk demonstrasi.",
                document=document,
            ),
        )[1]
    return created


def seed_scaled_news(factor: int) -> int:
    """Add news until every OPD has `factor` times its demo share (for the page benchmark)."""
    regency = RegencySettings.load()
    today = timezone.localdate()
    created = 0
    for opd in OPD.objects.filter(home_page__isnull=False).select_related("home_page"):
        news_index = NewsIndexPage.objects.child_of(opd.home_page).first()
        have = NewsPage.objects.child_of(news_index).count()
        want = 3 * factor * (2 if opd.slug in SHOWCASE else 1)
        for title, intro in _news_for(
            opd, max(0, want - have), regency.name, today.year, start_index=have
        ):
            with transaction.atomic():
                created += _publish(
                    news_index,
                    NewsPage(
                        title=title,
                        slug=_slug(title),
                        intro=intro,
                        author_name=DEMO_AUTHOR,
                        date=today - datetime.timedelta(days=created % 700),
                        body=f"<p>{intro}</p><p>Berita contoh untuk pengukuran kinerja.</p>",
                    ),
                )[1]
    return created


WORDPRESS_OPD = "dinkes"


def seed_wordpress(posts: int = 200):
    """Import the sample WordPress export into one OPD, as a migrated site would be.

    The export and its uploads folder are written under DATA_DIR, so the demo shows old
    links (/dinkes/?p=10, /dinkes/2019/01/berita-1-babat/) landing on imported pages.
    """
    import re

    from satupintu.wordpress import sample
    from satupintu.wordpress.importer import import_wordpress

    opd = OPD.objects.filter(slug=WORDPRESS_OPD).first()
    if opd is None:
        return None
    folder = Path(settings.DATA_DIR) / "demo-wordpress"
    export = folder / "ekspor-dinkes.xml"
    uploads = folder / "uploads"
    text = sample.build(posts=posts)
    if not export.is_file() or export.read_text(encoding="utf-8") != text:
        folder.mkdir(parents=True, exist_ok=True)
        export.write_text(text, encoding="utf-8")
    for url in re.findall(r"<wp:attachment_url>([^<]+)</wp:attachment_url>", text):
        target = uploads / url.split("/wp-content/uploads/", 1)[1]
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            banner = _banner(target.stem, "#1f5f8b")
            image = Image.open(io.BytesIO(banner.read()))
            image.convert("RGB").save(target, format="JPEG", quality=70)
    return import_wordpress(opd, export, uploads_dir=uploads, publish=True)


# --- Citizens: a synthetic population registry and one ready account -------------------------

DEMO_REGISTRY_ROWS = 5000


@dataclass
class DemoCitizen:
    nik: str
    name: str
    birth_date: datetime.date
    note: str
    password: str = ""


def seed_registry(code: str) -> list[DemoCitizen]:
    """Import a synthetic extract (made-up people, see registry.synthetic) as the local
    registry, once; returns the documented demo people, whose data the README explains."""
    from satupintu.registry.importer import import_registry
    from satupintu.registry.models import RegistryExtract
    from satupintu.registry.synthetic import DEMO_PEOPLE, demo_people, write_csv

    source = f"demo-registry-{code}.csv"
    active = RegistryExtract.objects.filter(status=RegistryExtract.Status.ACTIVE).first()
    if active is None or active.source_name != source:
        path = Path(settings.DATA_DIR) / source
        write_csv(path, code, DEMO_REGISTRY_ROWS)
        result = import_registry(path, imported_by="demo")
        path.unlink()  # The extract lives on only as keyed hashes.
        if not result.ok:
            raise RuntimeError(f"demo registry import failed: {result.error_count} errors")
    return [
        DemoCitizen(
            nik=row["NIK"],
            name=row["NAMA_LGKP"],
            birth_date=datetime.datetime.strptime(row["TGL_LHR"], "%d-%m-%Y").date(),
            note=person.note,
        )
        for row, person in zip(demo_people(code), DEMO_PEOPLE, strict=True)
    ]


def seed_citizen(person: DemoCitizen) -> DemoCitizen:
    """The first demo person gets an account with two-step verification by e-mail (the codes
    appear in the terminal running the demo); the others are left to sign up."""
    from satupintu.citizens.accounts import create_citizen
    from satupintu.citizens.models import Citizen
    from satupintu.identity.nik import parse

    path = credentials_path()
    saved = json.loads(path.read_text()) if path.is_file() else {}
    password = saved.get("warga.demo") or secrets.token_urlsafe(12)
    citizen = Citizen.objects.by_nik(person.nik).select_related("user").first()
    if citizen is None:
        citizen = create_citizen(
            nik=person.nik,
            full_name=person.name.title(),
            birth_date=person.birth_date,
            sex=parse(person.nik).sex,
            verdict_row=None,
            contact={"email": "warga.demo@demo.invalid"},
            level=Citizen.IdentityLevel.REGISTRY,
            source="registry:local (demo)",
        )
        citizen.resident = True
        citizen.two_step = Citizen.TwoStep.EMAIL
        citizen.save()
    if not citizen.user.check_password(password):
        citizen.user.set_password(password)
        citizen.user.save(update_fields=["password"])
    saved["warga.demo"] = password
    path.write_text(json.dumps(saved, indent=2))
    path.chmod(0o600)
    person.password = password
    return person


# --- Single sign-on: the example app in examples/oidc-client ---------------------------------

EXAMPLE_CLIENT_ID = "contoh-aplikasi-daerah"
EXAMPLE_BASE_URL = "http://127.0.0.1:8001"


def register_example_client(secret, base_url=EXAMPLE_BASE_URL, owner=None, catalogue=True):
    """The example's OpenID Connect client, registered as Kominfo would: the client, a policy
    naming its purpose and back-channel logout URI, and (with `catalogue`) an entry of its OPD
    (Diskominfo by default) in the app catalogue. Tests call it with the example's real
    address."""
    from oauth2_provider.models import Application

    from satupintu.appcatalog.models import App, AppCategory
    from satupintu.sso.models import ClientPolicy

    client = Application.objects.filter(client_id=EXAMPLE_CLIENT_ID).first()
    if client is None:
        client = Application(client_id=EXAMPLE_CLIENT_ID)
    client.name = "Contoh Aplikasi Daerah"
    client.client_type = Application.CLIENT_CONFIDENTIAL
    client.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
    client.algorithm = Application.RS256_ALGORITHM
    client.redirect_uris = f"{base_url}/callback"
    client.post_logout_redirect_uris = f"{base_url}/"
    client.skip_authorization = False
    client.client_secret = secret  # hashed on save
    client.save()
    owner = owner or OPD.objects.filter(slug="diskominfo").first()
    ClientPolicy.objects.update_or_create(
        application=client,
        defaults={
            "opd_name": owner.name if owner else "",
            "purpose": (
                "Contoh untuk pengembang aplikasi OPD: menampilkan data yang diterima aplikasi "
                "setelah warga masuk dengan akun Satu Pintu."
            ),
            "allowed_scopes": ["openid", "profile", "email", "identity"],
            "backchannel_logout_uri": f"{base_url}/backchannel-logout",
        },
    )
    if catalogue and owner is not None:
        App.objects.update_or_create(
            slug="contoh-aplikasi-daerah",
            defaults={
                "name": "Contoh Aplikasi Daerah",
                "description": (
                    "Contoh (demo): aplikasi kecil di examples/oidc-client yang masuk lewat "
                    "Satu Pintu."
                ),
                "owner": owner,
                "audience": App.Audience.CITIZENS,
                "category": AppCategory.objects.order_by("sort_order").first(),
                "url": "",
                "client": client,
            },
        )
    return client


def seed_example_client():
    """The demo's client for examples/oidc-client. The secret is random per installation (kept
    with the other demo credentials) because the provider stores only its hash."""
    path = credentials_path()
    saved = json.loads(path.read_text()) if path.is_file() else {}
    secret = saved.get("oidc-example") or secrets.token_urlsafe(24)
    client = register_example_client(secret)
    saved["oidc-example"] = secret
    path.write_text(json.dumps(saved, indent=2))
    path.chmod(0o600)
    return client.client_id, secret
