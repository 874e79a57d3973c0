"""Fixtures for the editor tests (imported by tests/conftest.py so that the URL guard sees them too).

editor_section: a section of `returned_plan` whose text proposes two targets; the first is already a
                target (editor_target), the second is still proposed; a yes/no target follows
"""

import pytest

from plans.models import Section
from tests.factories import TargetFactory

EDITOR_BODY = "Kết nạp mới 05 đoàn viên; 100% đoàn viên được thăm hỏi khi ốm đau."


@pytest.fixture
def editor_section(returned_plan):
    return Section.objects.create(
        plan=returned_plan, position=2, heading="Nội dung, chỉ tiêu", body=EDITOR_BODY
    )


@pytest.fixture
def editor_target(editor_section):
    plan = editor_section.plan
    target = TargetFactory(
        plan=plan, section=editor_section, position=1, text="Kết nạp mới 05 đoàn viên", value=5, printed=False
    )
    TargetFactory(
        plan=editor_section.plan, section=editor_section, position=2, text="Tổ chức Hội nghị người lao động",
        kind="yes_no", comparison="exactly", value=1, unit="", increase=False, responsible="Ban Chấp hành",
    )  # fmt: skip
    return target
