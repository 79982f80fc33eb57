"""Keep each visit's search text in step with the records it is built from."""

from .models import Delegation, Person, Visit


def visit_saved(sender, instance, **kwargs):
    Visit.objects.filter(pk=instance.pk).refresh_search_text()


def delegation_saved(sender, instance, **kwargs):
    Visit.objects.filter(pk=instance.visit_id).refresh_search_text()


def person_saved(sender, instance, created, **kwargs):
    if not created:
        Visit.objects.filter(delegation__head=instance).refresh_search_text()


def connect():
    from django.db.models.signals import post_delete, post_save

    post_save.connect(visit_saved, sender=Visit, dispatch_uid="search-visit")
    post_save.connect(delegation_saved, sender=Delegation, dispatch_uid="search-delegation")
    post_delete.connect(delegation_saved, sender=Delegation, dispatch_uid="search-delegation-d")
    post_save.connect(person_saved, sender=Person, dispatch_uid="search-person")
