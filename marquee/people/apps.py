from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "marquee.people"
    label = "people"
    verbose_name = "People"
