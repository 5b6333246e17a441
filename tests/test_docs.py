"""The generated reference pages are up to date with the code."""

from pathlib import Path

from sim.docs import DOCS, PAGES


def test_generated_docs_are_current():
    for name, make in PAGES.items():
        assert (DOCS / name).read_text(encoding="utf-8") == make(), (
            f"docs/{name} is stale: run `python -m sim.docs`"
        )


def test_readme_python_blocks_run_as_written(tmp_path: Path, monkeypatch) -> None:
    """Issue 13: every ```python block of the README runs unchanged (in a scratch
    directory, so its results/ stay out of the checkout)."""
    import re

    text = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks, "the README has no Python example"
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {"__name__": "readme"})
    assert (tmp_path / "results" / "api_example" / "dashboard.html").exists()
