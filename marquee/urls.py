from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.static import serve

from marquee.pages import views as pages
from marquee.pages.sitemaps import SITEMAPS

admin.site.site_header = f"{settings.SITE_NAME} editors"
admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    path("", pages.home, name="home"),
    path("", include("marquee.catalog.urls")),
    path("", include("marquee.people.urls")),
    path("", include("marquee.reviews.urls")),
    path("", include("marquee.members.urls")),
    path("", include("marquee.search.urls")),
    path("robots.txt", pages.robots_txt, name="robots"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap-index"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("admin/", admin.site.urls),
    # Posters and photos editors upload. A site with heavy traffic lets its web server answer
    # /media/ instead; for a self-hosted catalog this is enough.
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
]

handler400 = "marquee.pages.views.bad_request"
handler404 = "marquee.pages.views.page_not_found"
