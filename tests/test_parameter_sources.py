"""The parameter source registry (sim/parameter_sources.yaml) covers the schema exactly:
every documented parameter has a source entry with an allowed basis, and nothing else does.
"""

import tomllib
from pathlib import Path

import pytest

from sim.docs import BASES, SOURCES, load_sources, parameters

PATHS = [path for path, _ in parameters()]
REGISTRY = load_sources()


def test_schema_walk_has_unique_paths():
    assert len(PATHS) == len(set(PATHS))
    assert "policy.programmes.<name>.cost_per_month" in PATHS
    assert "economy.sectors.<name>.wage_formal" in PATHS


def test_every_documented_parameter_has_an_entry():
    missing = [p for p in PATHS if p not in REGISTRY]
    assert not missing, f"add these to {SOURCES.name}: {missing}"


def test_no_entry_for_a_path_that_does_not_exist():
    stale = sorted(set(REGISTRY) - set(PATHS))
    assert not stale, f"remove or rename these in {SOURCES.name}: {stale}"


@pytest.mark.parametrize("path", sorted(REGISTRY))
def test_entry_is_well_formed(path):
    entry = REGISTRY[path]
    assert isinstance(entry, dict) and set(entry) == {"source", "basis", "note"}, path
    assert entry["basis"] in BASES, f"{path}: basis {entry['basis']!r} not one of {BASES}"
    source, note = entry["source"], entry["note"]
    assert source is None or (isinstance(source, str) and source.strip()), path
    assert isinstance(note, str) and note.strip() and "\n" not in note.strip(), path


@pytest.mark.parametrize(
    "path", sorted(p for p, e in REGISTRY.items() if e["basis"] in ("source", "evidence"))
)
def test_sourced_entries_cite_something(path):
    assert REGISTRY[path]["source"], f"{path}: basis {REGISTRY[path]['basis']} needs a source"


def test_parameter_table_shows_the_registry():
    from sim.docs import parameters_md

    rows = {
        line.split("`")[1]: line for line in parameters_md().splitlines() if line.startswith("| `")
    }
    for path, entry in REGISTRY.items():
        shown = (entry["source"] or entry["basis"]).replace("|", "\\|")
        assert rows[path].endswith(f"| {shown} |"), path


def test_package_ships_the_registry():
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    assert SOURCES.name in data["tool"]["setuptools"]["package-data"]["sim"]
