"""`make run` serves real data on a fresh clone and never overwrites data: it loads the
fixtures and imports the travels into an empty database only."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

# `make run` is SQLite by design: these run its commands on a SQLite file of their own.
pytestmark = pytest.mark.database_of_its_own("sqlite")

ROOT = Path(__file__).resolve().parent.parent


def make_run_commands():
    """The manage.py commands `make run` runs before it starts the server, read from the
    Makefile itself, so that this test follows it."""
    recipe = re.search(r"^run:.*?\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M)
    commands = []
    for line in recipe.group(1).splitlines():
        found = re.search(r"manage\.py (.+)$", line)
        if found and "runserver" not in found.group(1):
            commands.append(found.group(1).split())
    return commands


@pytest.fixture
def manage(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CACHE_URL", "REDIS_URL"}
    }
    env.update(DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'run.sqlite3'}")

    def run(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args, *(["--no-imports"] if args[0] == "shell" else [])],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    return run


def run_like_make_run(manage):
    return "".join(manage(*command) for command in make_run_commands())


HOME_PAGE = (
    "from django.test import Client; "
    "print(Client().get('/', HTTP_HOST='localhost').content.decode())"
)
ORIGINS = (
    "from visits.models import Visit; "
    "print(sorted(set(Visit.objects.values_list('dataset', flat=True))), "
    "Visit.objects.filter(slug__startswith='demo-').count())"
)


def test_make_run_serves_the_article_and_the_real_travels_in_an_empty_database(manage):
    assert ["populate"] in make_run_commands()
    output = run_like_make_run(manage)
    assert "azertac-2025-09-25-prosecutor-general-visit.json: loaded" in output
    assert "4271 from hsg-travels" in output
    # The article's visit and the Historian's 4,271 trips: nothing synthetic.
    assert "4272 visits recorded." in manage("shell", "-c", HOME_PAGE)
    assert manage("shell", "-c", ORIGINS).strip() == "['', 'hsg-travels'] 0"


def test_an_edit_survives_the_next_make_run(manage):
    run_like_make_run(manage)
    slug = "2025-09-24-azerbaijan-uzbekistan-prosecutor-general"
    edit = (
        "from visits.models import Visit; "
        f"visit = Visit.objects.get(slug={slug!r}); "
        "visit.places = 'Tashkent, Samarkand, Bukhara'; visit.save()"
    )
    manage("shell", "-c", edit)

    travel = (
        "from visits.models import Visit; "
        "visit = Visit.objects.get(dataset='hsg-travels', record_id='3290'); "
        "visit.summary = 'Checked against the minutes.'; visit.save()"
    )
    manage("shell", "-c", travel)

    output = run_like_make_run(manage)

    assert "already in the database; left as it is" in output
    assert "hsg-travels: 4271 visits already in the database; left as they are" in output
    places = f"from visits.models import Visit; print(Visit.objects.get(slug={slug!r}).places)"
    assert manage("shell", "-c", places).strip() == "Tashkent, Samarkand, Bukhara"
    summary = (
        "from visits.models import Visit; "
        "print(Visit.objects.get(dataset='hsg-travels', record_id='3290').summary)"
    )
    assert manage("shell", "-c", summary).strip() == "Checked against the minutes."


def test_a_partly_present_fixture_is_not_loaded(manage):
    run_like_make_run(manage)
    manage("shell", "-c", "from visits.models import Meeting; Meeting.objects.all().delete()")

    output = run_like_make_run(manage)

    assert "nothing loaded, so that no edit is overwritten" in output
    count = "from visits.models import Meeting; print(Meeting.objects.count())"
    assert manage("shell", "-c", count).strip() == "0", "a deletion is an edit too"
