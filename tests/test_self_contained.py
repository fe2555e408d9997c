"""A clean clone with nothing beside it runs and tests: nothing reads outside the repository."""
import re
import subprocess
from pathlib import Path

from .conftest import SAMPLES

ROOT = Path(__file__).resolve().parents[1]
# Built from parts so this file does not match itself.
OUTSIDE = re.compile(r"\.\./" + "shared" + r"|parents\[2\]|" + "shared" + "/samples")


def test_samples_live_in_the_repository():
    assert SAMPLES.resolve().is_relative_to(ROOT)
    for name in ("county-small", "county-small-messy", "itinerant-tiny.json",
                 "county-small.expected.json", "itinerant-tiny.expected.json"):
        assert (SAMPLES / name).exists(), name


def test_no_code_reaches_outside_the_repository():
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard",
         "webapp", "tests", "bench", "Makefile", ".ci"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    offenders = [
        f"{name}:{number}" for name in tracked
        if name.endswith((".py", "Makefile", "run", ".cfg", ".toml"))
        for number, line in enumerate((ROOT / name).read_text("utf-8").splitlines(), 1)
        if OUTSIDE.search(line)]
    assert offenders == []
