"""The public catalogue, an app's page, the citizen's launcher and the counted launch.

The catalogue and detail pages are public and may be cached like any page (the cache is
cleared when an app changes). "Aplikasi saya" and the launch are personal and never cached.
A citizen's recent launches are kept in their own session only (at most `RECENT` app ids),
so the order dies with the sign-in and no table links a person to the apps they use; the
citizen can also clear it from the page.
"""

from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST
from wagtailcache.cache import nocache_page

from satupintu.home.listings import paginate

from . import usage
from .models import App, AppCategory

PER_PAGE = 24
MAX_QUERY = 100
RECENT = 10
SESSION_KEY = "appcatalog_recent"


def _never_cached(view):
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    wrapped.__name__ = view.__name__
    return nocache_page(wrapped)


def catalogue(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    category = request.GET.get("kategori", "")
    audience = request.GET.get("pengguna", "")
    apps = App.objects.select_related("owner", "category").order_by(
        Case(When(status=App.Status.RETIRED, then=Value(1)), default=Value(0)), "name"
    )
    if query:
        # Plain ORM `icontains`: ~80 rows, no search index needed.
        apps = apps.filter(
            Q(name__icontains=query)
            | Q(description__icontains=query)
            | Q(owner__name__icontains=query)
            | Q(owner__acronym__icontains=query)
        )
    categories = list(AppCategory.objects.all())
    if category:
        apps = apps.filter(category__slug=category)
    if audience in App.Audience.values:
        apps = apps.filter(audience=audience)
    else:
        audience = ""
    return render(
        request,
        "appcatalog/catalogue.html",
        {
            "apps": paginate(request, apps, PER_PAGE),
            "query": query,
            "categories": categories,
            "category": category,
            "audiences": App.Audience.choices,
            "audience": audience,
            "filtered": bool(query or category or audience),
        },
    )


def detail(request, slug):
    app = get_object_or_404(App.objects.select_related("owner", "category"), slug=slug)
    return render(request, "appcatalog/detail.html", {"app": app})


def _is_citizen(user) -> bool:
    return user.is_authenticated and hasattr(user, "citizen")


@_never_cached
def my_apps(request):
    if not _is_citizen(request.user):
        return redirect(f"{reverse('citizens:signin')}?next={request.path}")
    recent = [pk for pk in request.session.get(SESSION_KEY, []) if isinstance(pk, int)]
    rank = Case(
        *[When(pk=pk, then=Value(i)) for i, pk in enumerate(recent)],
        default=Value(RECENT),
        output_field=IntegerField(),
    )
    sso_first = Case(When(client__isnull=False, then=Value(0)), default=Value(1))
    apps = (
        App.objects.filter(audience=App.Audience.CITIZENS, status=App.Status.ACTIVE)
        .exclude(url="")
        .select_related("owner", "category")
        .order_by(rank, sso_first, "name")
    )
    return render(request, "appcatalog/my_apps.html", {"apps": apps, "recent_ids": set(recent)})


@require_POST
@_never_cached
def forget_recent(request):
    request.session.pop(SESSION_KEY, None)
    return redirect("appcatalog:mine")


@_never_cached
def launch(request, slug):
    """Count and redirect. Only cache operations on the way: no database write."""
    app = App.objects.filter(slug=slug).only("pk", "url", "status", "slug").first()
    if app is None:
        raise Http404
    if not app.is_launchable:
        return redirect("appcatalog:detail", slug=app.slug)
    user = request.user
    usage.record_launch(app.pk, user.pk if user.is_authenticated else None)
    if _is_citizen(user):
        current = request.session.get(SESSION_KEY, [])
        if current[:1] != [app.pk]:
            rest = [pk for pk in current if pk != app.pk]
            request.session[SESSION_KEY] = [app.pk, *rest][:RECENT]
    return HttpResponseRedirect(app.url)
