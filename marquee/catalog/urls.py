from django.urls import path

from marquee.catalog import views

app_name = "catalog"
urlpatterns = [
    path("movies/", views.movie_list, name="movie-list"),
    path("movies/<slug:slug>/", views.movie_detail, name="movie-detail"),
    path("movies/<slug:slug>/cast/", views.movie_credits, name="movie-credits"),
    path("genres/<slug:slug>/", views.genre_detail, name="genre-detail"),
    path("countries/<str:code>/", views.country_detail, name="country-detail"),
    path("years/<int:year>/", views.year_detail, name="year-detail"),
    path("decades/<int:decade>s/", views.decade_detail, name="decade-detail"),
]
