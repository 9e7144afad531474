import pytest

from luaugen.sim import LuauHost


@pytest.fixture
def host():
    h = LuauHost()
    yield h
    h.close()
