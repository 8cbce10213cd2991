import shutil

import pytest

from schakel.directory.models import Municipality, SafetyRegion
from schakel.directory.services import DATA_DIR, ReferenceDataError, reference_data_load

pytestmark = pytest.mark.django_db


def test_loads_all_regions_and_municipalities_idempotently():
    first = reference_data_load()
    second = reference_data_load()
    assert (first.regions, first.municipalities) == (25, 342)
    assert second == first
    amsterdam = Municipality.objects.get(code="GM0363")
    assert amsterdam.name == "Amsterdam"
    assert amsterdam.safety_region.name == "Amsterdam-Amstelland"
    assert amsterdam.province == "Noord-Holland"
    assert SafetyRegion.objects.get(code="VR02").province == "Fryslân"


def test_bad_file_names_line_and_column_and_changes_nothing(tmp_path):
    shutil.copy(DATA_DIR / "veiligheidsregios.csv", tmp_path)
    rows = (DATA_DIR / "gemeenten.csv").read_text(encoding="utf-8").splitlines()
    rows[3] = rows[3].replace(",VR01,", ",VR99,")
    (tmp_path / "gemeenten.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="line 4: unknown veiligheidsregio_code VR99"):
        reference_data_load(data_dir=tmp_path)
    assert Municipality.objects.count() == 0 and SafetyRegion.objects.count() == 0


def test_municipality_that_disappears_is_deactivated_not_deleted(tmp_path):
    reference_data_load()
    shutil.copy(DATA_DIR / "veiligheidsregios.csv", tmp_path)
    rows = (DATA_DIR / "gemeenten.csv").read_text(encoding="utf-8").splitlines()
    gone = rows.pop(1).split(",")[0]
    (tmp_path / "gemeenten.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = reference_data_load(data_dir=tmp_path)
    assert result.deactivated == 1
    assert not Municipality.objects.get(code=gone).is_active
