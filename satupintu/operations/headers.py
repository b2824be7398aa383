"""Browser security headers that Django 5.2's SecurityMiddleware does not send.

Django already sends X-Content-Type-Options, Referrer-Policy (SECURE_REFERRER_POLICY),
Cross-Origin-Opener-Policy (SECURE_CROSS_ORIGIN_OPENER_POLICY, "same-origin" by default),
X-Frame-Options (XFrameOptionsMiddleware) and, in production, HSTS. This middleware adds a
Content-Security-Policy and a Permissions-Policy, and never replaces a header a view set itself
(the sandboxed file preview of the data catalog keeps its own CSP).

The public policy allows scripts only from our own origin: the public templates have no inline
script and no event-handler attribute (tests/security checks every kind of page), so injected
markup cannot run script. It uses no nonces because whole public pages are cached
(wagtailcache): a nonce stored in a cached page would not match the next response's header.
Styles allow 'unsafe-inline' because the public templates carry the regency's colours in one
<style> block (base.html, values Kominfo edits) and the map legend colours swatches with
style attributes; CSS cannot run script, and with img-src, font-src and connect-src limited to
our origin an injected style cannot send anything to another host either.

The Wagtail admin (/admin/) gets its own, looser policy: Wagtail 7.4's own templates still
contain inline <script> blocks, so scripts there need 'unsafe-inline'. It is still kept to our
origin for everything it loads, and only signed-in staff see it.

form-action is left out on purpose: after the consent form and the sign-in form, the OpenID
provider redirects to the regency's apps on their own hosts, and browsers apply form-action to
those redirects, which would break single sign-on.
"""

_COMMON = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    # Same as X_FRAME_OPTIONS = "SAMEORIGIN": the admin previews pages in an iframe.
    "frame-ancestors": "'self'",
}

PUBLIC_POLICY = {
    **_COMMON,
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
}

ADMIN_POLICY = {
    **_COMMON,
    "script-src": "'self' 'unsafe-inline'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",  # image previews before upload
    "base-uri": "'self'",
}

# Nothing on the portal uses these; an injected script or a framed page cannot ask for them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    )
)


def serialise(policy: dict) -> str:
    return "; ".join(f"{name} {value}" for name, value in policy.items())


PUBLIC_CSP = serialise(PUBLIC_POLICY)
ADMIN_CSP = serialise(ADMIN_POLICY)
ADMIN_PREFIX = "/admin/"


class SecurityHeadersMiddleware:
    """Placed right after SecurityMiddleware, so it also sees responses served from the page
    cache and from WhiteNoise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        admin = request.path_info.startswith(ADMIN_PREFIX)
        response.headers.setdefault("Content-Security-Policy", ADMIN_CSP if admin else PUBLIC_CSP)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
