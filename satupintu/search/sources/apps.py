"""Apps of the regency's catalogue: every one is public, retired ones weigh little."""

from django.urls import reverse

from ..index import Doc
from ..models import Kind

PREFIX = "app:"


def doc(app) -> Doc:
    from satupintu.appcatalog.models import App

    retired = app.status == App.Status.RETIRED
    owner = app.owner
    return Doc(
        key=f"{PREFIX}{app.pk}",
        kind=Kind.APLIKASI,
        title=app.name,
        url=reverse("appcatalog:detail", args=[app.slug]),
        summary=app.description,
        body=" ".join(
            filter(
                None,
                [
                    app.description,
                    app.category.name if app.category else "",
                    str(app.get_audience_display()),
                    str(app.get_status_display()),
                ],
            )
        ),
        keywords=f"{app.slug.replace('-', ' ')} aplikasi",
        context=f"{owner.name} {owner.acronym}",
        opd_id=owner.pk,
        boost=0.3 if retired else 1.15,
    )


def all_docs():
    from satupintu.appcatalog.models import App

    for app in App.objects.select_related("owner", "category").order_by("pk"):
        yield doc(app)
