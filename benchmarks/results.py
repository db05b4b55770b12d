"""benchmarks/RESULTS.md holds one ``## `` section per benchmark; each run replaces its own."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(heading: str, section: str, path: Path = RESULTS) -> None:
    """Replace the section starting with ``heading`` (or append it), leaving the others."""
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    section = section.rstrip("\n") + "\n"
    start = text.find(heading)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + section + ("\n" + text[end + 1 :] if end != -1 else "")
    path.write_text(text.rstrip("\n") + "\n")
