"""Links of the search page that keep the rest of the query string."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.formats import number_format

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, name, value):
    """The search URL with one parameter set (or removed when `value` is empty), back to the
    first page: a new filter or sort starts the list again."""
    request = context["request"]
    params = request.GET.copy()
    params.pop("halaman", None)
    params.pop(name, None)
    if value not in ("", None):
        params[name] = value
    return f"{reverse('search')}?{params.urlencode()}"


@register.simple_tag
def click_url(query):
    return f"{reverse('search_click')}?{urlencode({'q': query})}"


@register.filter
def intcomma_id(number):
    return number_format(number, force_grouping=True)
