from django.urls import path

from marquee.reviews import views

app_name = "reviews"
urlpatterns = [
    path("movies/<slug:slug>/rate/", views.rate_movie, name="rate"),
    path("movies/<slug:slug>/review/", views.edit_review, name="edit"),
    path("movies/<slug:slug>/review/delete/", views.confirm_delete_review, name="delete"),
    path("movies/<slug:slug>/reviews/", views.movie_reviews, name="list"),
    path("movies/<slug:slug>/reviews/<int:pk>/", views.review_detail, name="detail"),
    path("movies/<slug:slug>/reviews/<int:pk>/helpful/", views.mark_helpful, name="helpful"),
    path("movies/<slug:slug>/reviews/<int:pk>/report/", views.report_review, name="report"),
]
