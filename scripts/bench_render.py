"""Benchmark of the plan exports: WeasyPrint's PDF against LibreOffice converting the .docx export.

Builds one 60-section plan (three levels, about 15 pages) in a throwaway SQLite database, then measures
  - the PDF render (`plans.rendering.render_pdf`): median and min wall time, pages, peak memory;
  - the .docx export (`plans.docx.render_docx`) and its conversion to PDF by LibreOffice (headless,
    fresh profile, one warm-up run): median wall time, pages;
  - the cached re-download: GETs of `plans:pdf` through Django's test client once the PDF is cached.
It prints a table and writes it as markdown to docs/benchmarks.md. Not a test: run it with `make bench`
or `.venv/bin/python scripts/bench_render.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import io
import os
import platform
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMAND = "make bench"
LO_TIMEOUT = 600  # seconds for one conversion
LOAD_AT_START = os.getloadavg()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each step (default 5)")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"), help="markdown report")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    work = Path(tempfile.mkdtemp(prefix="bench-render-"))
    try:
        report = run(args.runs, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(report)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print(f"Written to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


def setup_django(work: Path) -> None:
    """A throwaway database and media directory; tasks run in process; nothing of the project's is touched."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(work / "media")
    os.environ["REDIS_URL"] = ""  # no broker: the render task runs eagerly, as in development
    os.environ.setdefault("SECRET_KEY", "bench-only-" + secrets.token_urlsafe(40))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from config.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    setup_test_environment()  # the test client's host name is allowed
    call_command("migrate", verbosity=0, interactive=False)


# ---------------------------------------------------------------------------------------------- the plan

TOPICS = [
    (
        "Công tác tuyên truyền, giáo dục",
        ["Tuyên truyền chủ trương, chính sách", "Giáo dục chính trị, tư tưởng"],
    ),
    ("Chăm lo đời sống, bảo vệ quyền lợi", ["Việc làm, tiền lương", "Phúc lợi và an sinh"]),
    ("Tổ chức phong trào thi đua", ["Thi đua lao động giỏi", "Văn hóa, thể thao"]),
    ("Xây dựng tổ chức công đoàn", ["Phát triển đoàn viên", "Nâng cao chất lượng hoạt động"]),
    ("Tài chính công đoàn và kiểm tra", ["Thu, chi tài chính", "Kiểm tra, giám sát", "Khen thưởng"]),
]
ITEMS = [
    "Tổ chức hội nghị người lao động",
    "Thăm hỏi đoàn viên ốm đau",
    "Tập huấn cán bộ công đoàn",
    "Đối thoại định kỳ với người sử dụng lao động",
]
SENTENCES = [
    "Ban chấp hành công đoàn cơ sở phối hợp với chuyên môn quán triệt đầy đủ các chủ trương của Đảng, "
    "chính sách, pháp luật của Nhà nước và nghị quyết của công đoàn cấp trên đến toàn thể đoàn viên.",
    "Các tổ công đoàn chủ động nắm bắt tâm tư, nguyện vọng của đoàn viên, người lao động, kịp thời phản ánh "
    "với Ban chấp hành để có biện pháp giải quyết phù hợp, đúng quy định.",
    "Phấn đấu **100% đoàn viên** được phổ biến nội dung Bộ luật Lao động, Luật Công đoàn năm 2024 và quy chế "
    "dân chủ ở cơ sở; tỷ lệ đoàn viên tham gia sinh hoạt đạt trên 95%.",
    "Phối hợp tổ chức khám sức khỏe định kỳ, thăm hỏi đoàn viên ốm đau, gia đình có hoàn cảnh khó khăn, "
    "hiếu hỷ theo *quy chế chi tiêu nội bộ* đã được hội nghị thông qua.",
    "Đẩy mạnh phong trào thi đua lao động giỏi, lao động sáng tạo; đăng ký sáng kiến, cải tiến kỹ thuật "
    "gắn với nhiệm vụ chuyên môn của từng bộ phận, tổ công đoàn.",
    "Thực hiện thu, chi tài chính công đoàn đúng quy định; công khai tài chính tại hội nghị Ban chấp hành "
    "và hội nghị người lao động; lưu trữ chứng từ đầy đủ, đúng thời hạn.",
]
BULLETS = [
    "- Kết nạp mới ít nhất 05 đoàn viên trong năm; không để phát sinh đoàn viên thôi sinh hoạt.",
    "- Tổ chức ít nhất 02 buổi đối thoại với người sử dụng lao động về tiền lương, điều kiện làm việc.",
    "+ Mỗi tổ công đoàn có ít nhất 01 mô hình, cách làm hay được nhân rộng.",
    "+ Báo cáo kết quả thực hiện với công đoàn cấp trên trước ngày 15 của tháng cuối quý.",
]


def body(index: int, paragraphs: int, bullets: int = 0) -> str:
    lines = [SENTENCES[(index + i) % len(SENTENCES)] for i in range(paragraphs)]
    lines += [BULLETS[(index + i) % len(BULLETS)] for i in range(bullets)]
    return "\n".join(lines)


def build_plan():
    """A union with a chair and one 60-section plan: 5 parts, 11 items, 44 tasks, about 15 pages."""
    from members.models import Officer, Organization, User
    from plans.models import Plan, Section

    level = Organization.Level
    national = Organization.objects.create(
        name="Tổng Liên đoàn Lao động Việt Nam", symbol="TLĐ", level=level.NATIONAL
    )
    province = Organization.objects.create(
        name="Liên đoàn Lao động thành phố Hải Phòng", symbol="LĐLĐ", level=level.PROVINCE, parent=national
    )
    district = Organization.objects.create(
        name="Liên đoàn Lao động huyện An Lão", symbol="LĐLĐH", level=level.UPPER_GRASSROOTS, parent=province
    )
    union = Organization.objects.create(
        name="Công đoàn cơ sở Trường Mầm non Trường Thọ",
        short_name="CĐCS Trường Mầm non Trường Thọ",
        symbol="CĐMNTT",
        level=level.GRASSROOTS,
        unit_type=Organization.UnitType.STATE_FUNDED_PUBLIC,
        parent=district,
        locality="Trường Thọ",
        governing_body_line="LĐLĐ HUYỆN AN LÃO",
        founded_on=datetime.date(2005, 9, 1),
    )
    user = User.objects.create_user(
        "bench-chair", password=secrets.token_urlsafe(16), full_name="Nguyễn Thị Hoa"
    )
    Officer.objects.create(
        user=user, organization=union, role=Officer.Role.CHAIR, start_on=datetime.date(2023, 1, 1)
    )
    plan = Plan.objects.create(
        organization=union,
        kind=Plan.Kind.SCHOOL_YEAR,
        title="Hoạt động công đoàn năm học 2025-2026",
        period_start=datetime.date(2025, 9, 1),
        period_end=datetime.date(2026, 8, 31),
        period_label="năm học 2025-2026",
        number=18,
        dated_on=datetime.date(2025, 9, 5),
        legal_bases="\n".join(
            [
                "Căn cứ Luật Công đoàn năm 2024",
                "Căn cứ Điều lệ Công đoàn Việt Nam khóa XIII",
                "Căn cứ Chương trình công tác năm 2025 của Liên đoàn Lao động huyện An Lão",
                "Căn cứ Nghị quyết Hội nghị Ban chấp hành Công đoàn cơ sở mở rộng đầu năm học 2025-2026",
            ]
        ),
        preamble="Ban chấp hành Công đoàn cơ sở Trường Mầm non Trường Thọ xây dựng kế hoạch hoạt động "
        "năm học 2025-2026 như sau:",
        closing="Trên đây là Kế hoạch hoạt động công đoàn năm học 2025-2026 của Công đoàn cơ sở Trường Mầm "
        "non Trường Thọ. Các tổ công đoàn căn cứ kế hoạch triển khai thực hiện; trong quá trình thực hiện có "
        "vướng mắc báo cáo Ban chấp hành để kịp thời giải quyết.",
        signer_name="Nguyễn Thị Hoa",
        recipients="\n".join(
            [
                "LĐLĐ huyện An Lão (để báo cáo)",
                "Chi bộ, Ban giám hiệu nhà trường (để phối hợp)",
                "Các tổ công đoàn (để thực hiện)",
                "Lưu: VT, BCH",
            ]
        ),
        created_by=user,
    )
    count = 0
    for i, (heading, items) in enumerate(TOPICS, start=1):
        part = Section.objects.create(plan=plan, position=i, heading=heading, body=body(i, 1))
        count += 1
        for j, item in enumerate(items, start=1):
            child = Section.objects.create(
                plan=plan, parent=part, position=j, heading=item, body=body(i + j, 1)
            )
            count += 1
            for k, task in enumerate(ITEMS, start=1):
                Section.objects.create(
                    plan=plan,
                    parent=child,
                    position=k,
                    heading=task,
                    body=body(i + j + k, 1, bullets=2),
                    timeline=f"Tháng {(k * 3 + j) % 12 + 1}/2026",
                    responsible="Ban chấp hành phối hợp với chuyên môn và các tổ công đoàn",
                )
                count += 1
    assert count == 60, count
    return plan, user


# ---------------------------------------------------------------------------------------------- measuring


def timed(fn, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def max_rss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def libreoffice_version(soffice: str) -> str:
    try:
        out = subprocess.run([soffice, "--version"], capture_output=True, text=True, timeout=120).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        return f"unknown ({exc})"
    return " ".join(out.split()[:3]) or "unknown"


def convert(soffice: str, profile: Path, docx: Path, outdir: Path) -> Path:
    pdf = outdir / f"{docx.stem}.pdf"
    pdf.unlink(missing_ok=True)  # a PDF left by the previous run must not hide a failure
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(outdir), str(docx)],
        capture_output=True, text=True, timeout=LO_TIMEOUT,
    )  # fmt: skip
    if result.returncode != 0 or not pdf.exists():
        raise RuntimeError(
            f"LibreOffice failed ({result.returncode}): {result.stderr.strip() or result.stdout}"
        )
    return pdf


def cached_download(plan, user, runs: int) -> tuple[list[float] | None, str]:
    """GETs of plans:pdf once the PDF is cached, or why this could not be measured."""
    from django.test import Client
    from django.urls import reverse

    from plans import services
    from plans.models import PlanRender

    render = services.plan_render(plan=plan, by=user)  # tasks run in process here: ready on return
    render.refresh_from_db()
    if render.status != PlanRender.Status.READY:
        return None, f"skipped: the render ended {render.status} {render.error}".strip()
    client = Client()
    client.force_login(user)
    url = reverse("plans:pdf", args=[plan.pk])

    def get() -> bytes:
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if not content.startswith(b"%PDF"):
            raise RuntimeError(f"GET {url} did not answer a PDF")
        return content

    get()  # warm-up: session, URL resolver, first file open
    times, _ = timed(get, runs)
    return times, f"{PlanRender.objects.filter(plan=plan).count()} cached render(s); the GET streams the file"


def runs_list(times: list[float]) -> str:
    return ", ".join(f"{t * 1000:,.0f}" for t in times) + " ms"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:,.1f} ms"


def run(runs: int, work: Path) -> str:
    setup_django(work)
    import weasyprint

    from plans.docx import render_docx
    from plans.rendering import render_pdf

    plan, user = build_plan()
    print(f"Plan {plan.pk}: {plan.sections.count()} sections; {runs} timed runs per step.")
    rss_before = max_rss_mb()

    # WeasyPrint: one cold render (fonts, templates), then the timed ones, then one under tracemalloc
    cold, pdf = timed(lambda: render_pdf(plan), 1)
    wp_times, pdf = timed(lambda: render_pdf(plan), runs)
    wp_pages = pages(pdf)
    print(f"WeasyPrint: median {ms(statistics.median(wp_times))}, {wp_pages} pages")
    rss_after = max_rss_mb()
    gc.collect()
    tracemalloc.start()
    render_pdf(plan)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    docx_times, docx_bytes = timed(lambda: render_docx(plan), runs)
    docx = work / "plan.docx"
    docx.write_bytes(docx_bytes)

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    lo_times = lo_pages = lo_rss = None
    lo_version = "not installed"
    if soffice:
        lo_version = libreoffice_version(soffice)
        profile, outdir = work / "lo-profile", work / "lo-out"
        convert(soffice, profile, docx, outdir)  # warm-up: creates the profile, fills the font cache
        lo_times, lo_pdf = timed(lambda: convert(soffice, profile, docx, outdir), runs)
        lo_pages = pages(lo_pdf.read_bytes())
        lo_rss = max_rss_mb(resource.RUSAGE_CHILDREN)
        print(f"LibreOffice: median {ms(statistics.median(lo_times))}, {lo_pages} pages")
    else:
        print("LibreOffice: skipped, soffice is not on PATH (make bench installs libreoffice-writer-nogui)")

    try:
        dl_times, dl_note = cached_download(plan, user, runs)
    except Exception as exc:  # the cached-render view is young: report, do not lose the other numbers
        dl_times, dl_note = None, f"failed: {type(exc).__name__}: {exc}"
    print(f"Cached re-download: {dl_note}")

    import_times, import_pages, import_sections = bench_import(plan, user, runs)
    print(f"Import: median {ms(statistics.median(import_times))} for {import_pages} pages")

    wp_median = statistics.median(wp_times)
    rows = [
        ("WeasyPrint PDF (`render_pdf`), median", ms(wp_median)),
        ("WeasyPrint PDF, min", ms(min(wp_times))),
        ("WeasyPrint PDF, all timed runs", runs_list(wp_times)),
        ("WeasyPrint PDF, first (cold) render", ms(cold[0])),
        ("WeasyPrint PDF, pages", str(wp_pages)),
        ("Python peak memory during one render (tracemalloc)", f"{traced_peak / 2**20:,.1f} MiB"),
        (
            "Process max RSS before / after the renders (ru_maxrss, with Django)",
            f"{rss_before:,.0f} / {rss_after:,.0f} MiB",
        ),  # fmt: skip
        (".docx export (`render_docx`), median", ms(statistics.median(docx_times))),
    ]
    if lo_times:
        lo_median = statistics.median(lo_times)
        end_to_end = statistics.median(docx_times) + lo_median
        rows += [
            ("LibreOffice .docx → PDF, median (after 1 warm-up)", ms(lo_median)),
            ("LibreOffice .docx → PDF, min", ms(min(lo_times))),
            ("LibreOffice .docx → PDF, all timed runs", runs_list(lo_times)),
            ("LibreOffice PDF, pages", str(lo_pages)),
            ("LibreOffice max RSS (ru_maxrss of the child processes)", f"{lo_rss:,.0f} MiB"),
            (
                "**LibreOffice / WeasyPrint** (median conversion / median render)",
                f"**{lo_median / wp_median:.1f}×**",
            ),
            (
                "LibreOffice / WeasyPrint, best run of each (min / min)",
                f"{min(lo_times) / min(wp_times):.1f}×",
            ),
            ("(.docx export + LibreOffice) / WeasyPrint, medians", f"{end_to_end / wp_median:.1f}×"),
        ]
    else:
        rows.append(("LibreOffice .docx → PDF", "skipped: soffice not on PATH"))
    if dl_times:
        rows += [
            ("Cached PDF re-download (`plans:pdf`, test client), median", ms(statistics.median(dl_times))),
            ("Cached PDF re-download, min", ms(min(dl_times))),
            ("WeasyPrint render / cached re-download", f"{wp_median / statistics.median(dl_times):,.0f}×"),
        ]
    else:
        rows.append(("Cached PDF re-download", dl_note))
    rows += [
        (
            f"Import of a pasted {import_pages}-page plan ({import_sections} sections), median",
            ms(statistics.median(import_times)),
        ),
        ("Import, all timed runs", runs_list(import_times)),
    ]
    return markdown(rows, runs, plan, weasyprint.__version__, lo_version, dl_note)


def import_source(plan, copies: int = 3) -> str:
    """The plan as a chair would paste it from Word, its sections repeated `copies` times (≈ 30 pages)."""
    from plans import numbering

    governing, issuer = plan.header_lines()
    lines = [
        f"{governing}                         CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        f"{issuer}                    Độc lập - Tự do - Hạnh phúc",
        f"Số: {plan.reference}                          {plan.place_and_date()}",
        "KẾ HOẠCH",
        plan.title,
        *plan.legal_basis_lines(),
        plan.preamble,
    ]

    def walk(nodes, path):
        for index, node in enumerate(nodes, start=1):
            here = [*path, index]
            lines.append(f"{numbering.number(plan.numbering, here)} {node['section'].heading}")
            lines.extend(node["section"].body.splitlines())
            walk(node["children"], here)

    walk(plan.section_tree() * copies, [])
    lines += [plan.closing, plan.signature_authority, plan.signature_title, plan.signer_name, "Nơi nhận:"]
    lines += plan.recipient_lines()
    return "\n".join(lines)


def bench_import(plan, user, runs: int) -> tuple[list[float], int, int]:
    """Pasted text → structured draft plan (read, recognise, save), as the import page does it."""
    from plans.importing import service
    from plans.importing.source import read_text
    from plans.rendering import render_pdf_with_pages

    text = import_source(plan)
    imported = []
    times, _ = timed(
        lambda: imported.append(service.create_plan(plan.organization, user, read_text(text))), runs
    )
    _, source_pages = render_pdf_with_pages(imported[-1])
    return times, source_pages, imported[-1].sections.count()


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def markdown(rows, runs, plan, weasyprint_version, lo_version, dl_note) -> str:
    width = max(len(name) for name, _ in rows)
    table = [f"| {'measure'.ljust(width)} | value |", f"|{'-' * (width + 2)}|-------|"]
    table += [f"| {name.ljust(width)} | {value} |" for name, value in rows]
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            "# Rendering benchmark",
            "",
            f"One plan of {plan.sections.count()} sections (3 levels, legal bases, signature and recipients) "
            f"rendered {runs} times per step. Reproduce with `{COMMAND}` "
            f"(or `.venv/bin/python scripts/bench_render.py --runs {runs}`); the script uses a throwaway "
            "SQLite database and removes it afterwards.",
            "",
            *table,
            "",
            "- WeasyPrint: `plans.rendering.render_pdf` in process; the first render (fonts, templates) is "
            "reported apart and left out of the median.",
            "- LibreOffice: `soffice --headless --convert-to pdf` of the `.docx` export, a fresh profile, "
            "one warm-up run (profile creation) left out; each run starts and stops LibreOffice, as a server "
            "would.",
            "- tracemalloc counts Python allocations only; the memory of Pango, HarfBuzz and cairo shows in "
            "ru_maxrss.",
            f"- Cached re-download: {dl_note}.",
            "",
            "## Machine",
            "",
            f"- Date: {now}",
            f"- CPU: {cpu_model()}, {os.cpu_count()} logical CPUs; load average at the start "
            f"{LOAD_AT_START[0]:.2f} (other work on the machine widens the spread of the runs)",
            f"- System: {platform.platform()}",
            f"- Python {platform.python_version()}, WeasyPrint {weasyprint_version}, {lo_version}",
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
