"""The fixture that runs a test module on each route of editions.visible (compiled and Python):
`from route_fixture import numbers_route` and `pytestmark = pytest.mark.usefixtures("numbers_route")`."""
from __future__ import annotations

import pytest

from workflow.editions import visible


@pytest.fixture(scope="module", params=["compiled", "python"])
def numbers_route(request):
    """The module's tests on each route of numbers() and normalize(): the compiled one where built, and the
    Python one, which a machine without gcc takes."""
    if request.param == "compiled" and visible._compiled is None:
        pytest.skip("no compiled route (no C compiler at install)")
    visible.choose_route(request.param == "compiled")
    yield request.param
    visible.choose_route(True)
