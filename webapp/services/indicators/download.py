"""The evaluation workbook (as `flask indicators --format xlsx`) for a county, group or school."""
import io

from ...models import County, EducationGroup, School
from ...policy import group_school_ids
from . import compute_indicators
from .workbook import write_workbook


def workbook_bytes(county: County, year: int, unit: EducationGroup | School | None) -> bytes:
    """The workbook of the whole county (unit None), of a group's member schools or of one
    school; the same sheets the command line writes."""
    if unit is None:
        school_ids = None
    elif isinstance(unit, EducationGroup):
        school_ids = group_school_ids(unit.id)
    else:
        school_ids = [unit.id]
    stream = io.BytesIO()
    write_workbook(compute_indicators(county.code, year, school_ids=school_ids), stream)
    return stream.getvalue()


def file_name(county: County, year: int, unit: EducationGroup | School | None) -> str:
    code = unit.code if unit is not None else county.code
    return f"评估指标_{code}_{year}-{year + 1}.xlsx"
