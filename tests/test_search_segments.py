"""The index's own files: a replayed random state (Hypothesis seeds the global one
before each example) never gives a new segment an old one's name, and a reader
closed releases its compound segment file."""

from __future__ import annotations

import gc
import random
import warnings

from tests import factories


def test_a_replayed_random_state_never_reuses_a_segment_name(app, client):
    titles = ["Cadastre solaire", "Plan corps de rue", "Adresses locales", "Occupation du sol"]
    for title in titles:
        random.seed(0)  # as Hypothesis does before each example
        with app.app_context():
            factories.publish(title, body="mutualisation des données")
    found = client.get("/api/v1/search?q=mutualisation").get_json()
    assert sorted(hit["title"] for hit in found["results"]) == sorted(titles)
    assert app.test_cli_runner().invoke(args=["search", "check"]).exit_code == 0


def test_closed_readers_leave_no_segment_file_open(app):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        with app.app_context():
            for n in range(6):
                factories.publish(f"Ressource {n}", body="texte")
        gc.collect()
    assert [str(w.message) for w in caught if w.category is ResourceWarning] == []
