from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class VisitsConfig(AppConfig):
    """The one app of the project: visits, the people and bodies around them, and their sources."""

    name = "visits"
    verbose_name = "Diplomatic visits"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals
        from .choices import forget_country_choices
        from .models import Agreement, Country, Meeting, Organization, Person, Visit

        for model in (Visit, Meeting, Agreement, Organization, Person, Country):
            post_save.connect(forget_country_choices, sender=model, dispatch_uid=f"cc-{model}")
            post_delete.connect(forget_country_choices, sender=model, dispatch_uid=f"cd-{model}")
        m2m_changed.connect(
            forget_country_choices,
            sender=Agreement.party_countries.through,
            dispatch_uid="cm-agreement-parties",
        )
        signals.connect()
