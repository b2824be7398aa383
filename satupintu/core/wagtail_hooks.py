"""Rules for the shared page cache (wagtail-cache) that hold for every part of the portal."""

from wagtail import hooks

CREDENTIAL_HEADERS = ("HTTP_AUTHORIZATION", "HTTP_X_CKAN_API_KEY")


@hooks.register("is_request_cacheable")
def skip_requests_with_credentials(request, is_cacheable):
    """A request that carries an API token answers for its user (an OPD's own drafts through
    the data API): it must neither be served a response cached for the public nor leave its
    own in the cache for the next anonymous visitor. The cache key does not include these
    headers, so the only safe answer is to bypass the cache."""
    if any(request.META.get(header) for header in CREDENTIAL_HEADERS):
        return False
    return None
