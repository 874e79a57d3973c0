"""The kindergarten's year of care and money for the demo, made through the same services as the pages.

- welfare: a few visits and allowances since January, and the 1/6 gifts for the children (when 1 June has
  passed), each posting its payment;
- books: the official ledger and a social fund that pays bereavement and hardship; the union fee (KPCĐ)
  received each quarter; each past month's dues marked paid on the 25th; officers' allowances, activities;
  the remittance of each past quarter; this year's budget; every month before last closed.

Relative to today, and run once: a union whose official ledger already has entries is left as it is.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from finance import collection, ledgers
from finance.dues import dues_sheet
from finance.models import BudgetLine, Category, Ledger
from finance.remittances import remittances
from members import welfare_services
from members.models import Occasion, Organization, User
from targets.periods import Period

D = datetime.date
KINDERGARTEN = "Công đoàn cơ sở Trường Mầm non tư thục Hoa Sen"
EMPLOYER = "Trường Mầm non tư thục Hoa Sen"
BUDGET = {  # this year's estimate of the official ledger (a 40-member kindergarten)
    Category.DUES: 14_000_000,
    Category.KPCD: 48_000_000,
    Category.OTHER_INCOME: 5_000_000,
    Category.CARE: 20_000_000,
    Category.PROPAGANDA: 4_000_000,
    Category.EMULATION: 8_000_000,
    Category.ADMINISTRATION: 3_000_000,
    Category.ALLOWANCES: 4_000_000,
    Category.REMITTANCE: 15_000_000,
    Category.OTHER_EXPENSE: 1_000_000,
}
VISITS = [  # (days after 1 January, occasion, member index on the roll, visited by)
    (20, Occasion.SICKNESS, 3, "Nguyễn Thị Hoa, Trần Thị Lan"),
    (45, Occasion.WEDDING, 8, "Ban Chấp hành"),
    (70, Occasion.BEREAVEMENT, 12, "Nguyễn Thị Hoa"),
    (100, Occasion.MATERNITY, 5, "Lê Thị Thu"),
    (130, Occasion.SICKNESS, 17, "Tổ Mẫu giáo lớn"),
]


def seed_finance() -> list[str]:
    union = Organization.objects.filter(name=KINDERGARTEN).first()
    chair = User.objects.filter(username="chutich.hoasen").first()
    treasurer = User.objects.filter(username="ketoan.hoasen").first()
    if union is None or chair is None or treasurer is None:
        return []
    book = ledgers.official_ledger(union)
    if book.entries.exists():
        return []
    today = timezone.localdate()
    january = D(today.year, 1, 1)
    done = []
    with transaction.atomic():
        if book.opened_on > january:
            book.opened_on = january
            book.save(update_fields=["opened_on"])
        fund = Ledger.objects.create(
            organization=union, kind=Ledger.Kind.FUND, name="Quỹ xã hội", opened_on=january,
            welfare_occasions=[Occasion.BEREAVEMENT, Occasion.HARDSHIP],
        )  # fmt: skip
        _post(fund, treasurer, "income", Category.DONATIONS, january + datetime.timedelta(days=9), 6_000_000,
              "Đoàn viên đóng góp Quỹ xã hội đầu năm")  # fmt: skip
        done.append(_welfare(union, chair, today, january))
        done.append(_books(union, book, treasurer, today, january))
        for line, amount in BUDGET.items():
            BudgetLine.objects.create(ledger=book, year=today.year, category=line, amount=amount)
        BudgetLine.objects.create(ledger=fund, year=today.year, category=Category.DONATIONS, amount=6_000_000)
        BudgetLine.objects.create(ledger=fund, year=today.year, category=Category.CARE, amount=5_000_000)
        closed = 0
        month = january
        while month < today.replace(day=1) - datetime.timedelta(days=31):
            ledgers.month_close(organization=union, month=month, by=treasurer)
            closed += 1
            month = (month + datetime.timedelta(days=32)).replace(day=1)
    done.append(f"finance: {union.display_name}: {closed} months closed, budget {today.year}")
    return done


def _post(ledger, by, direction, category, on, amount, description, **extra):
    return ledgers.entry_post(
        ledger=ledger, direction=direction, category=category, on=on, amount=amount, description=description,
        by=by, **extra,
    )  # fmt: skip


def _welfare(union: Organization, chair: User, today: datetime.date, january: datetime.date) -> str:
    members = list(union.members.filter(status="active").order_by("pk"))
    made = 0
    for days, occasion, index, visited_by in VISITS:
        on = january + datetime.timedelta(days=days)
        if on > today or index >= len(members):
            continue
        member = members[index]
        relative = None
        if occasion == Occasion.BEREAVEMENT:
            relative = member.family.filter(relation__in=["father", "mother"]).first()
        welfare_services.record_create(
            organization=union, by=chair, member=member, occasion=occasion, on=on, family_member=relative,
            visited_by=visited_by,
        )  # fmt: skip
        made += 1
    children_day = D(today.year, 6, 1)
    gifts = 0
    if children_day <= today:
        _campaign, gifts = welfare_services.campaign_create(
            organization=union, by=chair, title=f"Quà Quốc tế Thiếu nhi 1/6/{today.year}",
            occasion=Occasion.CHILDREN_1_6, on=children_day, recipients="children", max_child_age=15,
        )  # fmt: skip
    return f"welfare: {made} visits and allowances, {gifts} gifts for 1/6"


def _books(union, book, treasurer, today: datetime.date, january: datetime.date) -> str:
    quarters = [q for q in Period.all_in(today.year, "Q") if q.start <= today]
    for quarter in quarters:
        on = min(quarter.start + datetime.timedelta(days=14), today)
        _post(book, treasurer, "income", Category.KPCD, on, 12_000_000,
              f"Đơn vị chuyển kinh phí công đoàn {quarter.label}", counterparty=EMPLOYER)  # fmt: skip
    month, marked = january, 0
    while month < today.replace(day=1):
        if dues_sheet(union, month):
            collection.dues_mark_paid(
                organization=union, month=month, by=treasurer, method="payroll", on=month.replace(day=25)
            )
            marked += 1
        spend = month.replace(day=10)
        _post(book, treasurer, "expense", Category.ALLOWANCES, spend, 300_000,
              f"Phụ cấp cán bộ công đoàn tháng {month:%m/%Y}")  # fmt: skip
        if month.month in (3, 5, 10):
            _post(book, treasurer, "expense", Category.EMULATION, spend + datetime.timedelta(days=5),
                  2_500_000, "Hội thao, văn nghệ chào mừng ngày lễ")  # fmt: skip
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    _post(book, treasurer, "expense", Category.PROPAGANDA, january + datetime.timedelta(days=40), 1_200_000,
          "Tuyên truyền, phổ biến pháp luật đầu năm")  # fmt: skip
    remitted = 0
    for quarter in quarters:
        if quarter.end >= today:
            continue
        due = remittances([union.pk], quarter.start, quarter.end, quarter.key)[union.pk]
        if due.outstanding > 0:
            _post(book, treasurer, "expense", Category.REMITTANCE, quarter.end, due.outstanding,
                  f"Nộp cấp trên {quarter.label}", counterparty=union.parent.name,
                  period=quarter.key)  # fmt: skip
            remitted += 1
    return (
        f"books: {marked} months of dues, {remitted} quarters remitted, balance {ledgers.balance(book):,} đ"
    )
