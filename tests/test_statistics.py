"""Views and downloads counted per resource and day (without tracking anyone),
shown to the resource's CTD and curators; /statistiques and its CSV files,
whose numbers equal the database; the most searched words and their rules."""

from __future__ import annotations

import csv
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from cnig_share.curation.dashboard import MONTH_NAMES
from cnig_share.dates import add_months, in_paris, today
from cnig_share.demo import sample_files
from cnig_share.extensions import db
from cnig_share.models import Resource, ResourceDailyCount, Revision, SearchedWord, utcnow
from cnig_share.resources.attachments import add_attachment
from cnig_share.search import popular
from cnig_share.statistics import registry
from tests import factories

BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"}
MEMBER = "nolwenn@exemple.fr"
OTHER = "paul@exemple.fr"
CURATOR = "veille@exemple.fr"


@pytest.fixture
def people(make_user) -> None:
    make_user(MEMBER, "member", ("bretagne",))
    make_user(OTHER, "member", ("occitanie",))
    make_user(CURATOR, "curator")


def _counts(app, resource_id: int) -> tuple[int, int]:
    with app.app_context():
        row = db.session.execute(
            select(
                func.coalesce(func.sum(ResourceDailyCount.views), 0),
                func.coalesce(func.sum(ResourceDailyCount.downloads), 0),
            ).where(ResourceDailyCount.resource_id == resource_id)
        ).one()
        return int(row[0]), int(row[1])


def _table(client, key: str) -> list[list[str]]:
    response = client.get(f"/statistiques/{key}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.reader(text.splitlines(), delimiter=";"))


def _as_dict(rows: list[list[str]]) -> dict[str, int]:
    return {label: int(value) for label, value in rows[1:]}


def _month(moment) -> str:
    moment = in_paris(moment)
    return f"{MONTH_NAMES[moment.month - 1]} {moment.year}"


def _login(app, email: str):
    from tests.conftest import AuthActions

    client = app.test_client()
    AuthActions(client).login(email)
    return client


# --- counting views and downloads -------------------------------------------------------


def test_a_browsers_view_counts_once_per_request_on_a_published_resource(app, client, people):
    with app.app_context():
        resource = factories.publish("Adressage")
    for _ in range(3):
        assert client.get(f"/ressources/{resource}", headers=BROWSER).status_code == 200
    assert _counts(app, resource) == (3, 0)
    with app.app_context():
        rows = db.session.scalars(select(ResourceDailyCount)).all()
        assert [(row.day, row.views) for row in rows] == [(today(), 3)]  # one row a day


@pytest.mark.parametrize(
    "headers",
    [
        {**BROWSER, "Sec-Purpose": "prefetch"},
        {**BROWSER, "Sec-Purpose": "prefetch;prerender"},
        {**BROWSER, "Purpose": "prefetch"},
        {"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"},
        {"User-Agent": "Mozilla/5.0 (compatible; bingbot/2.0)"},
        {"User-Agent": "curl/8.5.0"},
        {"User-Agent": "python-requests/2.32"},
        {"User-Agent": "Mozilla/5.0 HeadlessChrome/120.0"},
        {"User-Agent": ""},
    ],
)
def test_prefetches_and_robots_are_not_counted(app, client, people, headers):
    with app.app_context():
        resource = factories.publish("Adressage")
    assert client.get(f"/ressources/{resource}", headers=headers).status_code == 200
    assert _counts(app, resource) == (0, 0)


def test_head_requests_and_unpublished_resources_are_not_counted(app, people):
    with app.app_context():
        published = factories.publish("Adressage")
        draft = factories.resource("Brouillon", status="draft")
    member = _login(app, MEMBER)
    assert member.head(f"/ressources/{published}", headers=BROWSER).status_code == 200
    assert member.get(f"/ressources/{draft}", headers=BROWSER).status_code == 200
    assert _counts(app, published) == (0, 0) and _counts(app, draft) == (0, 0)


def test_downloads_count_full_answers_not_revalidations(app, client, people):
    with app.app_context():
        resource = factories.publish("Guide")
        item = db.session.get(Resource, resource)
        attachment = add_attachment(item, sample_files.pdf("Guide", ["Texte."]), "guide.pdf")
        db.session.commit()
        url, etag = f"/ressources/{resource}/pieces-jointes/{attachment.id}", attachment.sha256
    response = client.get(url, headers=BROWSER)
    response.close()
    assert response.status_code == 200
    response = client.get(url, headers={**BROWSER, "If-None-Match": f'"{etag}"'})
    response.close()
    assert response.status_code == 304
    response = client.get(url, headers={"User-Agent": "Wget/1.21"})
    response.close()
    assert _counts(app, resource) == (0, 1)


def test_the_audience_is_shown_to_the_resources_ctd_and_curators_only(app, people):
    with app.app_context():
        resource = factories.publish("Adressage", ctd="bretagne")
        db.session.add(ResourceDailyCount(resource_id=resource, day=today(), views=7, downloads=2))
        db.session.add(
            ResourceDailyCount(
                resource_id=resource, day=today() - timedelta(days=45), views=5, downloads=1
            )
        )
        db.session.commit()
    robot = {"User-Agent": "curl/8"}  # so that looking does not change the figures
    for client in (_login(app, MEMBER), _login(app, CURATOR)):
        page = client.get(f"/ressources/{resource}", headers=robot).get_data(as_text=True)
        assert "Audience" in page
        assert "Consultations : <strong>7</strong> ces 30 derniers jours, 12 depuis" in page
        assert "Téléchargements : <strong>2</strong> ces 30 derniers jours, 3 depuis" in page
    for client in (app.test_client(), _login(app, OTHER)):
        page = client.get(f"/ressources/{resource}").get_data(as_text=True)
        assert "Audience" not in page and "Consultations :" not in page


# --- /statistiques -------------------------------------------------------------------


def test_publication_tables_equal_the_database(app, client):
    now = utcnow()
    last_month = add_months(now, -1)
    with app.app_context():
        factories.publish("Un", ctd="bretagne", published_at=now)
        factories.publish("Deux", ctd="bretagne", published_at=now, kind="document")
        factories.publish(
            "Trois", ctd="occitanie", published_at=last_month, kind="retour-experience"
        )
        factories.publish("Ancienne", ctd="occitanie", published_at=add_months(now, -14))
        # Not public: counted nowhere.
        factories.resource("Brouillon", ctd_slug="corse", status="draft", published_at=now)
        factories.resource("Soumise", ctd_slug="corse", status="submitted")
        factories.resource("Archivée", ctd_slug="corse", status="archived", published_at=now)
        names = {slug: factories.ctd(slug).name for slug in ("bretagne", "occitanie", "corse")}
    per_month = _table(client, "publications-par-mois")
    assert per_month[0] == ["Mois", "Ressources"] and len(per_month) == 13
    months = _as_dict(per_month)
    assert months[_month(now)] == 2 and months[_month(last_month)] == 1
    assert sum(months.values()) == 3  # the 14-month-old one is before the chart
    assert _as_dict(_table(client, "publications-par-type")) == {
        "Bonne pratique": 2,
        "Document": 1,
        "Retour d'expérience": 1,
    }
    per_ctd = _as_dict(_table(client, "publications-par-ctd"))
    assert per_ctd[names["bretagne"]] == 2 and per_ctd[names["occitanie"]] == 2
    assert per_ctd[names["corse"]] == 0 and len(per_ctd) == 18
    page = client.get("/statistiques")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Archivée" not in html and "Brouillon" not in html
    assert '<svg class="cs-chart" role="img"' in html and "<desc id=" in html
    assert 'id="tableau-publications-par-type-table"' in html


def test_active_contributors_count_people_once_a_month_and_only_public_work(app, client, make_user):
    for email in ("a@x.fr", "b@x.fr", "c@x.fr", "d@x.fr", "e@x.fr"):
        make_user(email, "member", ("bretagne",))
    now = utcnow()
    last_month = add_months(now, -1)
    with app.app_context():
        a, b, c, d, e = (factories.user(f"{n}@x.fr").id for n in "abcde")
        first = factories.publish("Un", published_at=now, author_id=a)
        factories.publish("Deux", published_at=now, author_id=a)  # a is one person
        factories.publish("Trois", published_at=last_month, author_id=b)
        factories.resource("Brouillon", status="draft", author_id=c)
        archived = factories.resource("Archivée", status="archived", author_id=e)
        db.session.add_all(
            [
                Revision(resource_id=first, author_id=d, created_at=now, title="Un"),
                Revision(resource_id=first, author_id=a, created_at=now, title="Un"),
                Revision(resource_id=archived, author_id=e, created_at=now, title="Archivée"),
            ]
        )
        db.session.commit()
    months = _as_dict(_table(client, "contributeurs-actifs"))
    assert months[_month(now)] == 2  # a and d; not c (a draft) nor e (archived)
    assert months[_month(last_month)] == 1
    assert sum(months.values()) == 3


def test_downloads_per_month_count_published_resources_only(app, client):
    with app.app_context():
        published = factories.publish("Guide")
        archived = factories.resource("Vieux guide", status="archived")
        day = today()
        earlier = add_months(in_paris(utcnow()), -1).date()
        db.session.add_all(
            [
                ResourceDailyCount(resource_id=published, day=day, views=40, downloads=3),
                ResourceDailyCount(resource_id=published, day=earlier, views=9, downloads=2),
                ResourceDailyCount(
                    resource_id=published, day=day - timedelta(days=400), views=1, downloads=8
                ),
                ResourceDailyCount(resource_id=archived, day=day, views=5, downloads=5),
            ]
        )
        db.session.commit()
    months = _as_dict(_table(client, "telechargements-par-mois"))
    assert months[_month(utcnow())] == 3
    assert months[_month(add_months(utcnow(), -1))] == 2
    assert sum(months.values()) == 5


def test_the_discussions_section_shows_what_its_provider_gives(app, client):
    html = client.get("/statistiques").get_data(as_text=True)
    assert 'id="discussions"' in html and "Discussions ouvertes par mois" in html
    assert "seront ouvertes" not in html  # the discussions provide their figures
    table = registry.Table("discussions-par-mois", "Discussions par mois", [("janv. 2026", 4)])
    registry.provide(app, "discussions", lambda: [table])
    html = app.test_client().get("/statistiques").get_data(as_text=True)
    assert "Discussions par mois" in html and "Discussions ouvertes par mois" not in html
    assert _as_dict(_table(app.test_client(), "discussions-par-mois")) == {"janv. 2026": 4}


def test_an_unknown_table_is_a_french_404(client):
    response = client.get("/statistiques/inconnu.csv")
    assert (
        response.status_code == 404
        and "Ce tableau de statistiques n&#39;existe pas" in response.get_data(as_text=True)
    )


def test_statistics_are_linked_from_every_pages_footer_and_the_site_map(client):
    assert 'href="/statistiques"' in client.get("/").get_data(as_text=True)
    assert 'href="/statistiques"' in client.get("/plan-du-site").get_data(as_text=True)


# --- the most searched words -----------------------------------------------------------


def _words(app) -> dict[str, int]:
    """The counts written, once this process has written its own."""
    with app.app_context():
        popular.flush()
        rows = db.session.execute(select(SearchedWord.word, SearchedWord.count)).all()
        return dict(rows)


def test_words_of_searches_that_found_something_are_counted_not_the_query(app, client):
    with app.app_context():
        factories.publish("Adressage des communes", body="La base adresse locale du territoire.")
    client.get("/recherche?q=Adressage+communes")
    client.get("/api/v1/search?q=adressage")
    client.get("/recherche?q=adressage&page=2")  # a further page is the same search
    client.get("/recherche?q=orthophotographie")  # found nothing
    client.get("/recherche?q=adressage+xylophone")  # a word no published text holds
    client.get("/recherche?q=adressage+jean.dupont@exemple.fr")  # an address: nothing kept
    client.get("/recherche?q=adressage+06+12+34+56+78")  # a telephone number: nothing kept
    client.get("/recherche?q=la+base+du+territoire+de+la+ab")  # stop words, short words
    assert _words(app) == {"adressage": 3, "communes": 1, "base": 1, "territoire": 1}


def test_searched_words_are_added_up_in_the_process_and_written_every_few_seconds(app, client):
    with app.app_context():
        factories.publish("Adressage des communes", body="La base adresse locale.")
    app.config["SEARCHED_WORDS_FLUSH"] = 3600.0
    client.get("/recherche?q=adressage")
    client.get("/api/v1/search?q=adressage+communes")
    with app.app_context():
        assert db.session.scalars(select(SearchedWord.word)).all() == []  # not yet written
    app.config["SEARCHED_WORDS_FLUSH"] = 0.0  # the interval has passed: the next search writes
    client.get("/recherche?q=communes")
    with app.app_context():
        rows = db.session.execute(select(SearchedWord.word, SearchedWord.count)).all()
    assert dict(rows) == {"adressage": 2, "communes": 2}


def test_a_full_day_counts_only_the_words_it_already_holds(app, client):
    """SEARCHED_WORDS_PER_DAY bounds the rows a day adds, whatever people type."""
    with app.app_context():
        factories.publish("Adressage des communes", body="Cadastre, voirie et base locale.")
    app.config["SEARCHED_WORDS_PER_DAY"] = 2
    client.get("/recherche?q=adressage")
    client.get("/recherche?q=communes")
    assert _words(app) == {"adressage": 1, "communes": 1}
    client.get("/recherche?q=cadastre+adressage")  # the day is full: cadastre is not added
    client.get("/recherche?q=voirie")
    assert _words(app) == {"adressage": 2, "communes": 1}


def test_most_searched_words_need_five_searches_on_three_days_and_published_text(app, client):
    with app.app_context():
        factories.publish("Adressage et cadastre", body="Orthophotographie, PCRS, voirie.")
        day = today()
        counts = {
            "adressage": [(0, 4), (1, 1), (2, 1)],  # 6 times on 3 days: shown
            "cadastre": [(0, 3), (5, 1), (9, 1)],  # 5 times on 3 days: shown
            "voirie": [(0, 10), (1, 10)],  # 20 times on 2 days: not yet
            "pcrs": [(0, 1), (1, 1), (2, 1), (3, 1)],  # 4 times: not yet
            "jumeau": [(0, 9), (1, 9), (2, 9)],  # no longer in published text
            "orthophotographie": [(0, 9), (95, 9), (100, 9)],  # two days past 90
        }
        for word, days in counts.items():
            for ago, n in days:
                db.session.add(SearchedWord(word=word, day=day - timedelta(days=ago), count=n))
        db.session.commit()
    assert _table(client, "mots-cherches") == [
        ["Mot", "Recherches"],
        ["adressage", "6"],
        ["cadastre", "5"],
    ]
    html = client.get("/statistiques").get_data(as_text=True)
    assert "voirie" not in html.split('id="recherches"')[1]


# --- the demo ----------------------------------------------------------------------------


def test_seed_demo_adds_usage_once(app, runner, tmp_path):
    import shutil

    from cnig_share.demo.content import PACKAGED
    from cnig_share.models import UsefulMark

    folder = tmp_path / "demo"
    shutil.copytree(PACKAGED, folder)
    kept = {"occitanie-bal-accompagnement", "bretagne-pcrs-mutualise"}
    for path in [*(folder / "resources").glob("*.md"), *(folder / "selections").glob("*.md")]:
        if path.stem not in kept:
            path.unlink()
    (folder / "discussions.toml").unlink()  # it names other resources

    def figures() -> tuple[int, int, int]:
        with app.app_context():
            return tuple(
                db.session.scalar(select(func.count()).select_from(model))
                for model in (UsefulMark, ResourceDailyCount, SearchedWord)
            )

    assert runner.invoke(args=["seed-demo", "--content", str(folder)]).exit_code == 0
    marks, days, words = figures()
    assert marks == 9  # usage.toml's marks on these two resources
    assert days > 300 and words == 140
    assert runner.invoke(args=["seed-demo", "--content", str(folder)]).exit_code == 0
    assert figures() == (marks, days, words)
    # Only words of the published text: these two resources speak of PCRS, not "adressage".
    assert ["pcrs", "90"] in _table(app.test_client(), "mots-cherches")


def test_views_counted_at_once_from_several_threads_all_count(app, people):
    import threading

    with app.app_context():
        resource = factories.publish("Adressage")

    def look() -> None:
        client = app.test_client()
        for _ in range(10):
            client.get(f"/ressources/{resource}", headers=BROWSER)

    threads = [threading.Thread(target=look) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _counts(app, resource) == (40, 0)
