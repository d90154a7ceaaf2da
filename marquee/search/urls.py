from django.urls import path

from marquee.search import views

app_name = "search"
urlpatterns = [
    path("search/", views.results, name="results"),
    path("search/suggest/", views.suggestions, name="suggestions"),
]
