from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "marquee.members"
    label = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        from marquee.members import signals  # noqa: F401  (connects the receivers)
