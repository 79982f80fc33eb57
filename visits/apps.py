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
        from .models import (
            Agreement,
            Country,
            Delegation,
            DelegationMember,
            Meeting,
            MeetingParticipant,
            Organization,
            Person,
            Signatory,
            Visit,
        )

        # Cached counts, timelines and country figures are keyed on a data version: any change
        # to a record they are built from, children included, starts a new version.
        children = (Delegation, DelegationMember, MeetingParticipant, Signatory)
        for model in (Visit, Meeting, Agreement, Organization, Person, Country, *children):
            post_save.connect(forget_country_choices, sender=model, dispatch_uid=f"cc-{model}")
            post_delete.connect(forget_country_choices, sender=model, dispatch_uid=f"cd-{model}")
        for through in (
            Agreement.party_countries.through,
            Agreement.party_organizations.through,
            Visit.sources.through,
        ):
            m2m_changed.connect(
                forget_country_choices, sender=through, dispatch_uid=f"cm-{through.__name__}"
            )
        signals.connect()
