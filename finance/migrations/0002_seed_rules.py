"""The history of the national rules in RULES.md (Money), so that every date since 2013 has its rule.

Rows are only added when missing, so a system administrator's later edits survive a re-run."""

import datetime

from django.db import migrations

D = datetime.date
LAW_2012 = "Luật Công đoàn 2012 (hiệu lực 01/01/2013)"
LAW_2024 = "Luật Công đoàn số 50/2024/QH15"
RULES = [
    # kind, unit type, value, from, until, decision
    ("base_salary", "", "1490000", D(2019, 7, 1), D(2023, 6, 30), "Nghị định 38/2019/NĐ-CP"),
    ("base_salary", "", "1800000", D(2023, 7, 1), D(2024, 6, 30), "Nghị định 24/2023/NĐ-CP"),
    ("base_salary", "", "2340000", D(2024, 7, 1), None, "Nghị định 73/2024/NĐ-CP"),
    ("dues_rate", "", "1", D(2013, 1, 1), D(2025, 6, 30), "Điều lệ Công đoàn Việt Nam"),
    ("dues_rate", "", "0.5", D(2025, 7, 1), None, LAW_2024),
    ("dues_cap", "enterprise", "10", D(2013, 1, 1), D(2025, 6, 30), "Điều lệ Công đoàn Việt Nam"),
    ("dues_cap", "", None, D(2013, 1, 1), D(2025, 6, 30), "Điều lệ Công đoàn Việt Nam"),
    ("dues_cap", "", "10", D(2025, 7, 1), None, LAW_2024),
    ("dues_cap", "self_financed_public", None, D(2025, 7, 1), None, LAW_2024),
    ("dues_flat", "", "0.5", D(2025, 7, 1), None, LAW_2024),
    ("kpcd_rate", "", "2", D(2013, 1, 1), None, LAW_2012),
    ("share_dues", "", "60", D(2013, 1, 1), D(2025, 8, 28), "Quy định của Tổng Liên đoàn về thu, chi"),
    ("share_dues", "", "70", D(2025, 8, 29), None, "Hướng dẫn ngày 29/8/2025 của Tổng Liên đoàn"),
    ("share_kpcd", "", "75", D(2013, 1, 1), None, "Quy định của Tổng Liên đoàn về thu, chi"),
    ("share_other", "", "100", D(2013, 1, 1), None, "Quy định của Tổng Liên đoàn về thu, chi"),
    ("allowances_max", "", "45", D(2022, 1, 1), None, "Quyết định 4290/QĐ-TLĐ"),
    ("care_min", "", "40", D(2022, 1, 1), None, "Quyết định 4290/QĐ-TLĐ"),
    ("other_max", "", "15", D(2022, 1, 1), None, "Quyết định 4290/QĐ-TLĐ"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("finance", "Rule")
    for kind, unit_type, value, start, end, decision in RULES:
        Rule.objects.get_or_create(
            kind=kind,
            unit_type=unit_type,
            effective_from=start,
            defaults={"value": value, "effective_to": end, "decision": decision},
        )


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_rules_and_exemptions")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
