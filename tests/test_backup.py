"""Nothing lost: a `dumpdata` of the records with natural keys, loaded into an emptied database,
gives back every record and every link between them."""

import json

import pytest
from django.apps import apps
from django.core.management import call_command

from tests import factories
from visits.management.commands.dump_records import record_labels
from visits.models import (
    Agreement,
    Country,
    CountryName,
    Meeting,
    Organization,
    Person,
    PlaceName,
    Source,
    Visit,
)

pytestmark = pytest.mark.django_db


def key(record):
    """A record as a backup names it: by its natural key (the primary key for a model without
    one, which no model here is)."""
    return tuple(record.natural_key()) if hasattr(record, "natural_key") else ("pk", record.pk)


def backed_up(model):
    """A model's records a backup holds (the countries' ISO 3166 names are given by migrate)."""
    queryset = model._default_manager.select_related()
    if model is CountryName:
        queryset = queryset.exclude(origin=CountryName.Origin.ISO)
    return queryset


def canonical():
    """Per model, every record by natural key with all its values; links (foreign keys and
    many-to-many sets) by the natural keys of what they point to. No automatic primary keys."""
    state = {}
    for label in record_labels():
        model = apps.get_model(label)
        records = {}
        for record in backed_up(model):
            values = {}
            for field in model._meta.concrete_fields:
                if field.primary_key:
                    continue
                if field.is_relation:
                    target = getattr(record, field.name)
                    values[field.name] = key(target) if target is not None else None
                else:
                    values[field.name] = field.value_to_string(record)
            for field in model._meta.many_to_many:
                values[field.name] = frozenset(
                    key(target) for target in getattr(record, field.name).all()
                )
            records[key(record)] = values
        state[model._meta.label] = records
    return state


def remove_all_but_countries():
    """Delete every record of the app except the countries and their ISO 3166 names, which a
    migration loads into every new database. Children go first: most links PROTECT what they
    point to."""
    for model in (Agreement, Meeting, Visit, PlaceName, Source, Person):
        model.objects.all().delete()
    CountryName.objects.exclude(origin=CountryName.Origin.ISO).delete()
    Organization.objects.update(parent=None)
    Organization.objects.all().delete()


def test_dumpdata_then_loaddata_gives_back_every_record_and_link(article, tmp_path):
    factories.many_records(count=20)
    CountryName.objects.create(
        country=Country.objects.get(code="UZ"), name="Ouzbékistan (graphie ancienne)", language="fr"
    )
    before = canonical()
    assert len(before["visits.Visit"]) == 21, "the article's visit and twenty more"
    assert len(before["visits.Signatory"]) == 22
    assert any(values["parent"] for values in before["visits.Organization"].values())
    parties = [values["party_countries"] for values in before["visits.Agreement"].values()]
    assert sum(len(countries) for countries in parties) >= 40, "many-to-many links to compare"

    backup = tmp_path / "visits.json"
    call_command("dump_records", indent=1, output=str(backup), verbosity=0)
    entries = json.loads(backup.read_text())
    assert not any("pk" in entry for entry in entries), (
        "natural keys only: no automatic primary key is written"
    )
    assert not any(entry["model"].startswith("visits.historical") for entry in entries)
    names = [entry for entry in entries if entry["model"] == "visits.countryname"]
    assert names and all(entry["fields"]["origin"] != "iso" for entry in names), (
        "the names people gave, not the ISO 3166 ones every database has"
    )

    remove_all_but_countries()
    emptied = canonical()
    assert emptied["visits.Country"] == before["visits.Country"]
    assert not any(emptied[label] for label in emptied if label not in {"visits.Country"})
    iso_names = CountryName.objects.filter(origin=CountryName.Origin.ISO).count()
    assert iso_names > 40_000, "every database has the ISO 3166 names"

    call_command("loaddata", str(backup), verbosity=0)
    assert canonical() == before

    call_command("loaddata", str(backup), verbosity=0)
    assert canonical() == before, "loading the backup again changes nothing"
    assert CountryName.objects.filter(origin=CountryName.Origin.ISO).count() == iso_names
    assert Country.objects.count() == len(before["visits.Country"])
