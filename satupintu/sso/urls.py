"""Mounted at /sso/ outside i18n_patterns: the issuer is `SATUPINTU_BASE_URL + /sso`.

DOT's endpoints keep their `oauth2_provider` namespace (its views reverse it); only those this
provider offers are routed: no device flow, no dynamic registration, no application editing.
"""

from django.urls import include, path, re_path
from oauth2_provider import views as dot_views

from . import views

provider_patterns = [
    path("authorize/", views.AuthorizeView.as_view(), name="authorize"),
    path("token/", views.TokenView.as_view(), name="token"),
    path("revoke_token/", dot_views.RevokeTokenView.as_view(), name="revoke-token"),
    re_path(
        r"^\.well-known/openid-configuration/?$",
        views.DiscoveryView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path(".well-known/jwks.json", dot_views.JwksInfoView.as_view(), name="jwks-info"),
    path("userinfo/", dot_views.UserInfoView.as_view(), name="user-info"),
    path("logout/", views.LogoutView.as_view(), name="rp-initiated-logout"),
]

# The citizen's "Aplikasi terhubung" pages live with the account, in both languages: mounted
# by satupintu/urls.py at /akun/aplikasi-terhubung/ inside i18n_patterns.
citizen_patterns = [
    path("", views.connected_apps, name="connected_apps"),
    path("<int:consent_id>/cabut/", views.revoke, name="revoke"),
]

urlpatterns = [
    path("", include((provider_patterns, "oauth2_provider"))),
]
