"""The OPD registry, each OPD's home page, and the base class of the pages an OPD owns.

An OPD's public content is modelled as pages under its home page, so that Wagtail's page
permissions, workflow, explorer, history and search scope it for free (see
docs in ../shared/reference/wagtail.md): snippets or model viewsets would leak across OPDs by URL.
"""

import re
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from satupintu.core.pages import PortalPage
from satupintu.core.validators import reject_markup

# Paths the portal itself answers at the top level; an OPD section cannot take them.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "django-admin",
        "documents",
        "dokumen",
        "static",
        "media",
        "cari",
        "search",
        "feeds",
        "umpan",
        "sitemap",
        "robots",
        "en",
        "id",
        "bahasa",
        "api",
        "accounts",
        "akun",
        "aplikasi",
        "sso",
        "masuk",
        "keluar",
        "berita",
        "pengumuman",
        "agenda",
        "layanan",
        "ppid",
        "opd",
        "aksesibilitas",
        "tentang",
        "kontak",
        "favicon",
        "well-known",
        "healthz",
        "data",
        "dataset",
        "datastore",
        "catalog",
        "organization",
        "group",
    }
)

slug_validator = RegexValidator(
    re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
    _('Slug hanya boleh berisi huruf kecil a–z, angka dan tanda hubung, misalnya "dinkes".'),
    code="invalid_slug",
)


def validate_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _('Slug "%(slug)s" sudah dipakai oleh portal; pilih yang lain.') % {"slug": value},
            code="reserved_slug",
        )


def _provisioned(to, related_name):
    """A link to something provisioning made; only provisioning sets it."""
    return models.OneToOneField(
        to,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


class OPD(models.Model):
    """An organisation of the regional government (perangkat daerah) with its section."""

    class Type(models.TextChoices):
        SEKRETARIAT = "sekretariat", _("Sekretariat")
        BAGIAN = "bagian", _("Bagian")
        INSPEKTORAT = "inspektorat", _("Inspektorat")
        BADAN = "badan", _("Badan")
        DINAS = "dinas", _("Dinas")
        SATUAN = "satuan", _("Satuan")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")
        RSUD = "rsud", _("RSUD")
        LAINNYA = "lainnya", _("Lainnya")

    # Stable identity for machines: the CKAN organization id that central portals keep.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(
        _("nama resmi"), max_length=200, unique=True, validators=[reject_markup]
    )
    acronym = models.CharField(_("singkatan"), max_length=40, validators=[reject_markup])
    slug = models.CharField(
        _("slug"),
        max_length=50,
        unique=True,
        validators=[slug_validator, validate_not_reserved],
        help_text=_("Alamat bagian OPD di portal: /<slug>/. Huruf kecil, angka, tanda hubung."),
    )
    type = models.CharField(_("jenis"), max_length=20, choices=Type.choices)
    region = models.ForeignKey(
        "regency.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        limit_choices_to={"level": "district"},
        verbose_name=_("wilayah kecamatan"),
        help_text=_("Untuk OPD kecamatan: kecamatan yang dilayani."),
    )
    head_name = models.CharField(
        _("nama pimpinan"), max_length=150, blank=True, validators=[reject_markup]
    )
    head_title = models.CharField(
        _("jabatan pimpinan"), max_length=150, blank=True, validators=[reject_markup]
    )
    address = models.TextField(_("alamat"), blank=True)
    phone = models.CharField(_("telepon"), max_length=50, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    opening_hours = models.TextField(
        _("jam layanan"),
        blank=True,
        help_text=_('Satu baris per hari atau rentang, misalnya "Senin–Kamis 07.30–15.30".'),
    )
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    needs_verification = models.BooleanField(
        _("perlu verifikasi"),
        default=False,
        help_text=_("Centang bila keberadaan atau nama OPD ini belum dipastikan dari Perda SOTK."),
    )

    # What provisioning created; kept so that re-provisioning repairs instead of duplicating.
    home_page = _provisioned("opd.OPDHomePage", "+")
    collection = _provisioned("wagtailcore.Collection", "opd")
    operator_group = _provisioned("auth.Group", "operator_of")
    verifier_group = _provisioned("auth.Group", "verifier_of")
    workflow = _provisioned("wagtailcore.Workflow", "opd")
    provisioned_at = models.DateTimeField(_("diprovisikan"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("acronym"),
                FieldPanel("slug"),
                FieldPanel("type"),
                FieldPanel("region"),
                FieldPanel("needs_verification"),
            ],
            heading=_("Identitas"),
        ),
        MultiFieldPanel([FieldPanel("head_name"), FieldPanel("head_title")], heading=_("Pimpinan")),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("opening_hours"),
                FieldPanel("latitude"),
                FieldPanel("longitude"),
            ],
            heading=_("Kontak dan lokasi"),
        ),
    ]

    class Meta:
        ordering = ["type", "name"]
        verbose_name = _("perangkat daerah")
        verbose_name_plural = _("perangkat daerah")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.slug and (self.home_page_id is None or self.home_page.slug != self.slug):
            from wagtail.models import Site

            site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
            taken = site and site.root_page.get_children().filter(slug=self.slug)
            if taken and taken.exclude(pk=self.home_page_id).exists():
                raise ValidationError(
                    {
                        "slug": _("Alamat /%(slug)s/ sudah dipakai halaman lain.")
                        % {"slug": self.slug}
                    }
                )
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya."))
        if self.latitude is not None and not (
            -11 <= self.latitude <= 6 and 94 <= self.longitude <= 142
        ):
            raise ValidationError(_("Koordinat berada di luar wilayah Indonesia."))

    @property
    def is_provisioned(self) -> bool:
        return bool(
            self.home_page_id
            and self.collection_id
            and self.operator_group_id
            and self.verifier_group_id
            and self.workflow_id
        )

    @property
    def opening_hours_lines(self) -> list[str]:
        return [line.strip() for line in self.opening_hours.splitlines() if line.strip()]


class OPDOwnedPage(PortalPage):
    """A page that belongs to one OPD because it sits inside that OPD's section.

    `opd` is derived from the tree on every save (and after a move); it is stored so that
    lists across OPDs, feeds, audit and search facets filter and label by OPD without walking
    the tree per row.
    """

    opd = models.ForeignKey(
        OPD,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    search_fields = PortalPage.search_fields + [index.FilterField("opd")]

    class Meta:
        abstract = True

    def find_opd_id(self):
        if not self.path:
            return None
        ancestors = [self.path[:i] for i in range(self.steplen, len(self.path) + 1, self.steplen)]
        return (
            OPDHomePage.objects.filter(path__in=ancestors).values_list("opd_id", flat=True).first()
        )

    def save(self, *args, **kwargs):
        self.opd_id = self.find_opd_id()
        return super().save(*args, **kwargs)


class OPDHomePage(PortalPage):
    """An OPD's section at /<slug>/: its profile, and the lists of what it publishes."""

    opd = models.OneToOneField(
        OPD,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    introduction = models.TextField(_("pengantar"), blank=True, max_length=600)
    vision = RichTextField(_("visi"), blank=True, features=["bold", "italic", "link"])
    mission = RichTextField(_("misi"), blank=True, features=["bold", "italic", "ol", "ul", "link"])
    duties = RichTextField(
        _("tugas dan fungsi"), blank=True, features=["h3", "bold", "italic", "ol", "ul", "link"]
    )
    structure_image = models.ForeignKey(
        "media.PortalImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("bagan struktur organisasi"),
    )
    structure = RichTextField(
        _("struktur organisasi (teks)"),
        blank=True,
        features=["h3", "bold", "ol", "ul"],
        help_text=_("Uraian struktur dalam teks, agar terbaca juga oleh pembaca layar."),
    )
    head_photo = models.ForeignKey(
        "media.PortalImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("foto pimpinan"),
    )

    content_panels = PortalPage.content_panels + [
        FieldPanel("introduction"),
        MultiFieldPanel([FieldPanel("vision"), FieldPanel("mission")], heading=_("Visi dan misi")),
        FieldPanel("duties"),
        MultiFieldPanel(
            [FieldPanel("structure_image"), FieldPanel("structure")],
            heading=_("Struktur organisasi"),
        ),
        FieldPanel("head_photo"),
    ]
    search_fields = PortalPage.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("vision"),
        index.SearchField("mission"),
        index.SearchField("duties"),
        index.FilterField("opd"),
    ]

    parent_page_types = ["home.RegencyHomePage"]
    subpage_types = [
        "news.NewsIndexPage",
        "announcements.AnnouncementIndexPage",
        "events.EventIndexPage",
        "services.ServiceIndexPage",
        "ppid.PPIDIndexPage",
        "home.InfoPage",
    ]
    # Only provisioning creates an OPD section; that is what gives it groups and a workflow.
    is_creatable = False

    class Meta:
        verbose_name = _("beranda OPD")
        verbose_name_plural = _("beranda OPD")

    @cached_property
    def sections(self) -> dict:
        """The OPD's index pages by model name, for links and 'see all' buttons."""
        return {p.specific_class._meta.model_name: p for p in self.get_children().live().specific()}

    def get_context(self, request, *args, **kwargs):
        from satupintu.home.listings import latest_for_opd

        context = super().get_context(request, *args, **kwargs)
        context.update(latest_for_opd(self))
        return context


class OPDIndexPage(OPDOwnedPage):
    """The list of one kind of item in an OPD's section (e.g. /dinkes/berita/).

    Provisioning creates one of each; operators add items under it. Subclasses name the item
    model and the listing order.
    """

    introduction = models.TextField(_("pengantar"), blank=True, max_length=600)

    content_panels = PortalPage.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["opd.OPDHomePage"]
    max_count_per_parent = 1
    is_creatable = False
    paginate_by = 12

    class Meta:
        abstract = True

    # The name of the function in satupintu.home.listings that lists this index's items.
    listing = ""

    def get_items(self):
        from satupintu.home import listings

        return getattr(listings, self.listing)(self.opd)

    def get_context(self, request, *args, **kwargs):
        from satupintu.home.listings import paginate

        context = super().get_context(request, *args, **kwargs)
        context["items"] = paginate(request, self.get_items(), self.paginate_by)
        return context
