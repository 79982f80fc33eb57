"""A new person in the admin, checked against the people already held.

Two people with the same name are often one: a source spells a name another way, or an editor
adds someone an import has already made. When a new person's name, folded (visits.names), is
that of a person held or one of their other names, or has the same surname and first initial,
the form lists them — name, country, offices, years — and saves only once the editor says this is
someone new; otherwise the editor opens the one they meant, or merges records from the people
list. Editing an existing person is never held up."""

from django import forms
from django.db.models import Max, Min, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .models import Delegation, DelegationMember, MeetingParticipant, Person, PersonName, Signatory
from .names import name_key, name_words

CANDIDATES = 10  # people shown at most


def candidates(name, exclude=None):
    """The people a new person called `name` may be: the same name or other name, folded, or
    the same surname with the same first initial ("K. Aliyev", "Kamran Aliyev")."""
    words = name_words(name)
    if not words:
        return []
    key = " ".join(words)
    surname = words[-1]
    people = (
        Person.objects.filter(
            Q(names__key=key) | Q(name__iexact=name.strip()) | Q(name__icontains=surname)
        )
        .select_related("country")
        .distinct()
        .order_by("name")
    )
    if exclude is not None:
        people = people.exclude(pk=exclude)
    found = []
    for person in people[: CANDIDATES * 20]:
        theirs = name_words(person.name)
        same_name = name_key(person.name) == key
        same_initial = (
            theirs and theirs[-1] == surname and len(words) > 1 and theirs[0][:1] == words[0][:1]
        )
        if same_name or same_initial or person.pk in other_name_matches(key):
            found.append(person)
        if len(found) == CANDIDATES:
            break
    return [describe(person) for person in found]


def other_name_matches(key):
    return set(PersonName.objects.filter(key=key).values_list("person_id", flat=True))


def describe(person):
    """A candidate as the form lists it: name, country, offices held, years of their records,
    and where to open them."""
    offices = set()
    years = []
    led = Delegation.objects.filter(head=person)
    offices.update(led.exclude(head_office="").values_list("head_office", flat=True)[:5])
    span = led.aggregate(first=Min("visit__start_date"), last=Max("visit__start_date"))
    years += [span["first"], span["last"]]
    for model, date in (
        (DelegationMember, "delegation__visit__start_date"),
        (MeetingParticipant, "meeting__date"),
        (Signatory, "agreement__signed_on"),
    ):
        roles = model.objects.filter(person=person)
        offices.update(roles.exclude(office="").values_list("office", flat=True)[:5])
        span = roles.aggregate(first=Min(date), last=Max(date))
        years += [span["first"], span["last"]]
    known = sorted(day.year for day in years if day)
    period = ""
    if known:
        period = str(known[0]) if known[0] == known[-1] else f"{known[0]}–{known[-1]}"
    return {
        "person": person,
        "country": person.country.name if person.country else "",
        "offices": sorted(offices)[:5],
        "years": period,
        "change_url": reverse("admin:visits_person_change", args=[person.pk]),
        "page_url": person.get_absolute_url(),
    }


class PersonForm(forms.ModelForm):
    """The admin's person form, with the check for a person already held."""

    someone_new = forms.BooleanField(
        label=_("This is someone new"),
        required=False,
        help_text=_("Tick it when none of the people listed above is this person."),
    )

    class Meta:
        model = Person
        fields = ["name", "slug", "country"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = []
        self.people_list_url = ""

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        if self.instance.pk is None and name:
            self.candidates = candidates(name)
            if self.candidates:  # the people list, searched for the first one's surname
                surname = str(self.candidates[0]["person"]).split()[-1]
                self.people_list_url = (
                    f"{reverse('admin:visits_person_changelist')}?{urlencode({'q': surname})}"
                )
            if self.candidates and not cleaned.get("someone_new"):
                names = "; ".join(
                    ", ".join(
                        part
                        for part in (
                            str(found["person"]),
                            found["country"],
                            " / ".join(found["offices"]),
                            found["years"],
                        )
                        if part
                    )
                    for found in self.candidates
                )
                self.add_error(
                    "name",
                    _(
                        "This may be someone already here: %(names)s. Open them from the list "
                        "below, or tick “This is someone new”."
                    )
                    % {"names": names},
                )
        return cleaned
