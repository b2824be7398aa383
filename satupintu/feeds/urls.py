from django.urls import path

from .feeds import AtomNewsFeed, NewsFeed
from .views import robots_txt

urlpatterns = [
    path("robots.txt", robots_txt, name="robots_txt"),
    path("feeds/berita.rss", NewsFeed(), name="feed_rss"),
    path("feeds/berita.atom", AtomNewsFeed(), name="feed_atom"),
    path("feeds/<slug:slug>/berita.rss", NewsFeed(), name="opd_feed_rss"),
    path("feeds/<slug:slug>/berita.atom", AtomNewsFeed(), name="opd_feed_atom"),
]
