import pytest

from schakel.directory.services import directory_seed_load, reference_data_load


@pytest.fixture
def geography(db):
    reference_data_load()


@pytest.fixture
def wegwijzer(geography):
    """The reference data and the wegwijzer's own data file, as `make setup` loads them."""
    return directory_seed_load()
