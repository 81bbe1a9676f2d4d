"""`manage.py load_demo`: fill the database with the demo data of every app, idempotently.

Each app that has demo data adds its loader to DEMO_LOADERS, in dependency order: a loader
is a callable `load(*, password: str, stdout) -> None` that creates only what is missing.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils.module_loading import import_string

DEFAULT_PASSWORD = "unionportal-demo"  # noqa: S105 - the documented password of the demo accounts

DEMO_LOADERS = [
    "organizations.demo.load",
]


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (chạy lại nhiều lần không tạo trùng)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"Mật khẩu của mọi tài khoản mẫu (mặc định: {DEFAULT_PASSWORD}).",
        )

    def handle(self, *args, password: str, **options) -> None:
        started = time.perf_counter()
        # One transaction for every loader: a failure leaves the database as it was.
        with transaction.atomic():
            for path in DEMO_LOADERS:
                import_string(path)(password=password, stdout=self.stdout)
        elapsed = f"{time.perf_counter() - started:.1f}".replace(".", ",")
        self.stdout.write(self.style.SUCCESS(f"Đã nạp dữ liệu mẫu trong {elapsed} giây."))
