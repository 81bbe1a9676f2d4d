"""Write an N-row members file in the import format, with valid data, for the benchmark.

    .venv/bin/python bench/make_members_file.py --rows 100000 --branches HG-QB-HC01,HG-QB-TH01 --output var/bench/members.xlsx

Without --branches it uses the demo's Quang Bình branch codes (HG-QB-*). The file is
written by the portal's own writer (unionportal.spreadsheets.writer), as an export would be:
real Excel dates, the instructions sheet, drop-down lists.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Lò",
    "Hà",
    "Nông",
    "Triệu",
]
MIDDLE_MALE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân", "Thanh"]
MIDDLE_FEMALE = ["Thị", "Thị Thanh", "Thị Thu", "Ngọc", "Thị Minh", "Thị Hồng"]
GIVEN_MALE = ["Nam", "Hùng", "Dũng", "Cường", "Tuấn", "Long", "Sơn", "Hải", "Bình", "Phúc", "Thắng", "Tài"]
GIVEN_FEMALE = ["Hương", "Lan", "Mai", "Hoa", "Hạnh", "Ngọc", "Thảo", "Trang", "Linh", "Yến", "Nhung", "Thủy"]
ETHNICITIES = ["Kinh"] * 6 + ["Tày", "Nùng", "Dao", "H'Mông", "Thái", "Mường"]
# No "Chủ tịch": a base union has one chairperson at a time, and the demo gives each one already.
ROLES = (
    ["Đoàn viên"] * 40 + ["Tổ trưởng"] * 4 + ["Ủy viên Ban chấp hành"] * 3 + ["Ủy viên Ủy ban kiểm tra", "Phó Chủ tịch"]
)
EPOCH = datetime.date(1960, 1, 1)


def member_rows(count: int, branches: list[str], *, seed: int = 2358, prefix: str = "TDV"):
    rng = random.Random(seed)
    today = datetime.date.today()
    for number in range(1, count + 1):
        female = rng.random() < 0.54  # seed 000: 53,98 % women
        name = " ".join(
            [
                rng.choice(FAMILY),
                rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE),
                rng.choice(GIVEN_FEMALE if female else GIVEN_MALE),
            ]
        )
        born = EPOCH + datetime.timedelta(days=rng.randint(0, 365 * 42))
        joined = born + datetime.timedelta(days=rng.randint(365 * 19, 365 * 40))
        if joined > today:
            joined = today - datetime.timedelta(days=rng.randint(1, 400))
        trained = joined + datetime.timedelta(days=rng.randint(30, 2000)) if rng.random() < 0.4 else None
        if trained is not None and trained > today:
            trained = None
        yield [
            f"{prefix}{number:07d}",
            name,
            "Nữ" if female else "Nam",
            born,
            rng.choice(ETHNICITIES),
            branches[number % len(branches)],
            joined,
            rng.choice(ROLES),
            trained,
        ]


def demo_branch_codes() -> list[str]:
    from demo.data.organizations import QUANG_BINH
    from demo.organizations import _district_specs

    organizations, _workplaces = _district_specs(QUANG_BINH)
    return [spec.code for spec in organizations]


def write(path: Path, count: int, branches: list[str], *, seed: int = 2358, prefix: str = "TDV") -> None:
    from members.importers import MemberImporter
    from unionportal.spreadsheets.writer import write_workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    write_workbook(
        path,
        columns=MemberImporter.columns,
        sheet_title=MemberImporter.sheet_title,
        title="Benchmark",
        author="UnionPortal",
        rows=member_rows(count, branches, seed=seed, prefix=prefix),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--branches", default="", help="Comma-separated branch codes (default: the demo's Quang Bình).")
    parser.add_argument("--output", type=Path, default=Path("var/bench/members-100000.xlsx"))
    parser.add_argument("--seed", type=int, default=2358)
    parser.add_argument("--prefix", default="TDV", help="The card numbers' prefix: another one makes other members.")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings.dev")
    import django

    django.setup()
    branches = [code.strip() for code in args.branches.split(",") if code.strip()] or demo_branch_codes()
    started = time.perf_counter()
    write(args.output, args.rows, branches, seed=args.seed, prefix=args.prefix)
    size = args.output.stat().st_size / 1024 / 1024
    print(
        f"{args.rows} rows, {len(branches)} branches -> {args.output} ({size:.1f} MB) in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
