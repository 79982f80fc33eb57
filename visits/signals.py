"""Every signal receiver of the app, connected once by VisitsConfig.ready().

- After every migrate, the database triggers that move the data version are installed where
  missing (visits.caching): nothing else needs to tell the caches that records changed.
- Text fields lose control characters before any record is saved (visits.text).
- Each visit's search text follows the records it is built from: the visit, its delegation,
  the names of its head, of the delegation's body and of its countries, and the other names
  of its head, members, body and places (a fixture's rows too: loaddata saves them raw).
- Every other name keeps its folded key, however it is saved (loaddata saves raw).
"""

from django.apps import apps
from django.db.models import Q
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save

from .caching import install_triggers
from .models import (
    AlternateName,
    Country,
    Delegation,
    DelegationMember,
    Organization,
    OrganizationName,
    Person,
    PersonName,
    PlaceName,
    Visit,
)
from .names import name_key
from .text import strip_control_characters


def visit_saved(sender, instance, **kwargs):
    Visit.objects.filter(pk=instance.pk).refresh_search_text()


def delegation_changed(sender, instance, **kwargs):
    Visit.objects.filter(pk=instance.visit_id).refresh_search_text()


def person_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        Visit.objects.filter(delegation__head=instance).refresh_search_text()


def organization_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        Visit.objects.filter(delegation__organization=instance).refresh_search_text()


def country_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        Visit.objects.involving(instance).refresh_search_text()


def name_keyed(sender, instance, **kwargs):
    instance.key = name_key(instance.name)
    if isinstance(instance, PlaceName):
        instance.place_key = name_key(instance.place)


def person_name_changed(sender, instance, **kwargs):
    members = DelegationMember.objects.filter(person=instance.person_id)
    Visit.objects.filter(
        Q(delegation__head=instance.person_id) | Q(pk__in=members.values("delegation__visit"))
    ).refresh_search_text()


def organization_name_changed(sender, instance, **kwargs):
    Visit.objects.filter(delegation__organization=instance.organization_id).refresh_search_text()


def place_name_changed(sender, instance, **kwargs):
    Visit.objects.filter(
        host_country=instance.country_id, places__icontains=instance.place
    ).refresh_search_text()


NAME_RECEIVERS = {
    PersonName: person_name_changed,
    OrganizationName: organization_name_changed,
    PlaceName: place_name_changed,
}


def connect(app_config):
    post_migrate.connect(install_triggers, sender=app_config, dispatch_uid="visits-triggers")
    for model in apps.get_app_config("visits").get_models():
        if not model._meta.db_table.startswith("visits_historical"):
            pre_save.connect(
                strip_control_characters, sender=model, dispatch_uid=f"text-{model.__name__}"
            )
    post_save.connect(visit_saved, sender=Visit, dispatch_uid="search-visit")
    post_save.connect(delegation_changed, sender=Delegation, dispatch_uid="search-delegation")
    post_delete.connect(delegation_changed, sender=Delegation, dispatch_uid="search-delegation-d")
    post_save.connect(person_saved, sender=Person, dispatch_uid="search-person")
    post_save.connect(organization_saved, sender=Organization, dispatch_uid="search-organization")
    post_save.connect(country_saved, sender=Country, dispatch_uid="search-country")
    for model in apps.get_app_config("visits").get_models():
        if issubclass(model, AlternateName):
            pre_save.connect(name_keyed, sender=model, dispatch_uid=f"key-{model.__name__}")
    for model, receiver in NAME_RECEIVERS.items():
        uid = f"search-{model.__name__}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-d")
