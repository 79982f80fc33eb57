from django.apps import AppConfig


class VisitsConfig(AppConfig):
    """The one app of the project: visits, the people and bodies around them, and their sources."""

    name = "visits"
    verbose_name = "Diplomatic visits"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals

        signals.connect(self)
