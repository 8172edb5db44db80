"""What a build keeps of the texts around a page's body: their readings are kept on each language's Services
for the whole build (a Builder keeps one Services a language), so a bound a language is a bound times the
languages built: a 10-language build of 300 guides held ~5 MB of one-guide texts (titles, excerpts, heads)."""
from __future__ import annotations

from workflow.editions.facts import Registry
from workflow.editions.services import services_for
from workflow.editions.verify_front import FrontText, front_names_beyond
from workflow.model import Fact


def test_the_readings_kept_for_a_language_stay_few_however_many_guides_are_read():
    registry = Registry(emergency=[Fact("ambulance", "119", "Ambulance")], disclaimers=[])
    names = services_for(registry, "fr")
    front = FrontText()
    for n in range(3000):   # each guide's title is read once (titles are one guide's)
        assert front_names_beyond(f"Guide numéro {n} : ambulance", front, names) == ["ambulance"]
    assert len(names.around_reads) <= 512
