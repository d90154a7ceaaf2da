from django.urls import path

from marquee.people import views

app_name = "people"
urlpatterns = [
    path("people/", views.person_list, name="person-list"),
    path("people/<slug:slug>/", views.person_detail, name="person-detail"),
    path("people/<slug:slug>/<slug:role>/", views.person_filmography, name="person-filmography"),
]
