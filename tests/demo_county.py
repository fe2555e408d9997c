"""The demo county, seeded once for a module that imports these fixtures:

    from .demo_county import _transaction, seeded  # noqa: F401  (fixtures)

Each test then runs in a savepoint inside the seeded transaction. The module's TODAY, when it
has one, is the day the demo is seeded for (else today). How long seeding takes is measured by
`python -m bench demo`, not here."""
from datetime import date

import pytest

from webapp.services.demo import seed_demo

from .conftest import savepoint_in, seeded_database


@pytest.fixture(scope="module")
def seeded(app, request):
    today = getattr(request.module, "TODAY", None) or date.today()
    with seeded_database(app, lambda: seed_demo(today=today)) as (connection, _result):
        yield connection


@pytest.fixture(autouse=True)
def _transaction(app, seeded):
    """Overrides the suite's per-test transaction: a savepoint inside the seeded one."""
    with savepoint_in(app, seeded):
        yield
