"""The generated reference pages are up to date with the code."""

from sim.docs import DOCS, PAGES


def test_generated_docs_are_current():
    for name, make in PAGES.items():
        assert (DOCS / name).read_text(encoding="utf-8") == make(), (
            f"docs/{name} is stale: run `python -m sim.docs`"
        )
