import json
import os
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLDEN = ROOT / "testdata" / "golden" / "seeds.json"

settings.register_profile(
    "ci", max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    # CI sets this for a fixed sample (see .ci/run).
    derandomize=os.environ.get("HYPOTHESIS_DERANDOMIZE") == "1",
)
settings.load_profile("ci")


@pytest.fixture(scope="session")
def golden():
    with open(GOLDEN) as f:
        return json.load(f)


@pytest.fixture(scope="session")
def seed_paths():
    assert len(SEEDS) == 5
    return SEEDS


@pytest.fixture(scope="session")
def seed_bytes(seed_paths):
    return [p.read_bytes() for p in seed_paths]
