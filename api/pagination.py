"""Cursor pagination: stable under writes, as fast on the last page as on the first."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 100
    page_size_query_param = "page_size"
    page_size_query_description = "Số mục mỗi trang (mặc định 100, tối đa 1.000)."
    cursor_query_description = "Con trỏ trang: lấy từ liên kết next hoặc previous của trang trước."
    max_page_size = 1000
    ordering = "pk"

    def get_paginated_response_schema(self, schema: dict) -> dict:
        document = super().get_paginated_response_schema(schema)
        described = {
            "next": "Địa chỉ trang sau; null nếu là trang cuối.",
            "previous": "Địa chỉ trang trước; null nếu là trang đầu.",
            "results": "Các mục của trang này.",
        }
        for name, description in described.items():
            document["properties"][name]["description"] = description
        return document
