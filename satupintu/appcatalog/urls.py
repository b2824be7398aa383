from django.urls import path

from . import views

app_name = "appcatalog"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("saya/", views.my_apps, name="mine"),
    path("saya/lupakan/", views.forget_recent, name="forget_recent"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/buka/", views.launch, name="launch"),
]
