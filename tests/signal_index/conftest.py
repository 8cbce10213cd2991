import pytest

from schakel.people import crypto
from schakel.signal_index import keys


@pytest.fixture(autouse=True)
def _fresh_caches():
    crypto._ring.cache_clear()
    keys._ring.cache_clear()
    yield
    crypto._ring.cache_clear()
    keys._ring.cache_clear()
