"""The roll's Excel import (members/importing.py and `import_members`): all rows or none, each bad cell named
in Vietnamese, arbitrary cells never crash it."""

import datetime
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from members.importing import COLUMNS, ImportRefused, members_import, read_rows, template_workbook
from members.models import Member, MemberEvent

HEADERS = list(COLUMNS)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 9, 0), tick=False)


def workbook(*rows, headers=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header, "") for header in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def person(**changes):
    row = {
        "Họ và tên": "Phạm Thị Lan", "Ngày sinh": "12/03/1988", "Giới tính": "Nữ", "Số CCCD": "001188000111",
        "Ngày kết nạp": "01/09/2012", "Tổ công đoàn": "Tổ Nhà trẻ", "Chức vụ": "Giáo viên",
        "Tiền lương đóng BHXH": "7.200.000", "Đảng viên": "Có",
    }  # fmt: skip
    return row | changes


def test_the_template_has_the_vietnamese_headers():
    sheet = load_workbook(io.BytesIO(template_workbook())).active
    headers = [cell.value for cell in sheet[1]]
    needed = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Ngày kết nạp", "Tổ công đoàn", "Chức vụ"]
    assert set(needed) | {"Tiền lương đóng BHXH", "Đảng viên"} <= set(headers)


def test_good_rows_are_all_imported_with_their_admission(union_a, chair):
    hung = {
        "Họ và tên": "Lê Văn Hùng", "Giới tính": "Nam", "Số CCCD": "001090000222", "Đảng viên": "",
        "Ngày sinh": datetime.datetime(1990, 1, 5),
    }  # fmt: skip
    data = workbook(person(), person(**hung))
    created = members_import(data=data, organization=union_a, by=chair)
    assert len(created) == 2
    lan = Member.objects.get(full_name="Phạm Thị Lan")
    assert (lan.sex, lan.insurance_salary, lan.party_member, lan.union_group.name) == (
        "female", 7_200_000, True, "Tổ Nhà trẻ",
    )  # fmt: skip
    assert Member.objects.get(full_name="Lê Văn Hùng").birth_date == datetime.date(1990, 1, 5)
    assert MemberEvent.objects.filter(kind="admitted").count() == 2


@pytest.mark.parametrize(
    ("changes", "column", "words"),
    [
        ({"Ngày sinh": "30/02/1990"}, "Ngày sinh", "30/02/1990"),
        ({"Số CCCD": "12345"}, "Số CCCD", "12"),
        ({"Họ và tên": ""}, "Họ và tên", ""),
        ({"Tổ công đoàn": "Tổ Không Có"}, "Tổ công đoàn", "Tổ Không Có"),
        ({"Tiền lương đóng BHXH": "-5000000"}, "Tiền lương đóng BHXH", ""),
        ({"Giới tính": "khác"}, "Giới tính", "Nam"),
        ({"Ngày kết nạp": "01/09/2030"}, "Ngày kết nạp", "01/09/2030"),
        ({"Đảng viên": "có lẽ"}, "Đảng viên", "Có"),
    ],
)
def test_one_bad_cell_saves_nothing_and_says_where(union_a, chair, changes, column, words):
    data = workbook(person(**{"Số CCCD": "001090000333", "Họ và tên": "Đúng Hết"}), person(**changes))
    with pytest.raises(ImportRefused) as refused:
        members_import(data=data, organization=union_a, by=chair)
    (error,) = refused.value.errors
    assert (error.row, error.column) == (3, column) and words in error.message
    assert Member.objects.count() == 0 and MemberEvent.objects.count() == 0


def test_a_citizen_id_already_on_a_roll_or_twice_in_the_file(union_a, chair):
    members_import(data=workbook(person()), organization=union_a, by=chair)
    with pytest.raises(ImportRefused) as refused:
        members_import(
            data=workbook(person(**{"Số CCCD": "001188000111"}), person(**{"Số CCCD": "001090000444"}),
                          person(**{"Số CCCD": "001090000444"})),
            organization=union_a, by=chair,
        )  # fmt: skip
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "Số CCCD"), (4, "Số CCCD")]
    assert Member.objects.count() == 1


def test_a_file_that_is_not_excel(union_a, chair):
    rows, errors = read_rows(b"PK\x03\x04 not really a zip", union_a)
    assert rows == [] and errors[0].row == 0 and "Excel" in errors[0].message


def test_missing_required_columns(union_a, chair):
    rows, errors = read_rows(workbook(headers=["Họ và tên", "Ghi chú"]), union_a)
    assert {e.column for e in errors} == {"Giới tính", "Ngày kết nạp"}


def test_the_treasurer_and_the_upper_union_cannot_import(union_a, treasurer, reviewer):
    from django.core.exceptions import PermissionDenied

    for user in (treasurer, reviewer):
        with pytest.raises(PermissionDenied):
            members_import(data=workbook(person()), organization=union_a, by=user)


def test_the_command_prints_json_and_fails_on_errors(union_a, chair, tmp_path):
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(workbook(person()))
    bad.write_bytes(workbook(person(**{"Số CCCD": "001090000555", "Ngày sinh": "31/04/1991"})))
    out = StringIO()
    call_command("import_members", str(good), "--org", union_a.symbol, "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"created": 1, "errors": []}
    out = StringIO()
    with pytest.raises(SystemExit) as exit_code:
        call_command("import_members", str(bad), "--org", union_a.symbol, "--json", stdout=out)
    assert exit_code.value.code == 1
    result = json.loads(out.getvalue())
    assert result["created"] == 0
    assert result["errors"] == [{"row": 2, "column": "Ngày sinh", "message": result["errors"][0]["message"]}]
    assert "31/04/1991" in result["errors"][0]["message"]
    assert Member.objects.count() == 1


cells = st.one_of(
    st.none(), st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
    st.integers(-(10**12), 10**12), st.floats(allow_nan=True),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 1, 1)),
    st.sampled_from(["30/02/1990", "Nam", "Nữ", "Có", "001188000111", "Tổ Nhà trẻ", "-1", "=SUM(A1)"]),
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(cells, min_size=0, max_size=len(HEADERS) + 2), min_size=0, max_size=5))
def test_arbitrary_cells_never_crash_the_import(union_a, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:  # (control characters cannot be written to a sheet at all: not generated)
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    good, errors = read_rows(buffer.getvalue(), union_a)
    assert not (good and errors)  # all rows or, with any error, none
    assert all(error.row >= 0 and isinstance(error.message, str) for error in errors)
