"""The demo members as data: who lives where, their names, and why members leave."""

from __future__ import annotations

from organizations.models import Sector

# The share of a workplace's workers who are members, by the branch's sector (outside Quang Bình).
MEMBERSHIP_RATE = {
    Sector.ADMINISTRATION: (0.85, 0.98),
    Sector.SCHOOL: (0.85, 0.98),
    Sector.STATE_ENTERPRISE: (0.70, 0.90),
    Sector.NON_STATE_ENTERPRISE: (0.45, 0.75),
    Sector.COOPERATIVE: (0.60, 0.90),
}

# Province → (the three digits citizen IDs start with, ethnicities and their weights).
PROVINCE_PEOPLE: dict[str, tuple[str, list[tuple[str, int]]]] = {
    "HG": ("002", [("Kinh", 35), ("Tày", 33), ("Dao", 15), ("Nùng", 9), ("H'Mông", 8)]),
    "BP": ("070", [("Kinh", 85), ("Stiêng", 15)]),
    "DL": ("066", [("Kinh", 80), ("Ê Đê", 20)]),
    "QT": ("045", [("Kinh", 86), ("Vân Kiều", 14)]),
}

KINH_FAMILIES = [
    ("Nguyễn", 30),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Vũ", 4),
    ("Đặng", 3),
    ("Bùi", 3),
    ("Đỗ", 3),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 2),
    ("Lý", 1),
]
FAMILIES = {
    "Tày": [("Nông", 4), ("Hoàng", 4), ("Lục", 2)],
    "Nùng": [("Hoàng", 3), ("Nông", 3), ("Lục", 2), ("Lò", 1)],
    "Dao": [("Triệu", 6), ("Đặng", 2), ("Lý", 1)],
    "H'Mông": [("Giàng", 3), ("Sùng", 3), ("Vàng", 3), ("Lò", 1)],
    "Vân Kiều": [("Hồ", 6), ("Lê", 1)],
    "Stiêng": [("Điểu", 6), ("Lâm", 1)],
    "Ê Đê": [("Niê", 3), ("Mlô", 2), ("Êban", 2), ("Byă", 1), ("Ksor", 1), ("Ayun", 1)],
}
MALE_MIDDLE = ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân", "Thanh", "Mạnh", "Ngọc", "Tiến"]
MALE_GIVEN = [
    "Hùng",
    "Dũng",
    "Tuấn",
    "Nam",
    "Long",
    "Thắng",
    "Cường",
    "Hải",
    "Sơn",
    "Trung",
    "Bình",
    "Quân",
    "Phong",
    "Tùng",
    "Khánh",
    "Đạt",
    "Hiếu",
    "Thành",
    "Toàn",
    "Vinh",
    "Huy",
    "Kiên",
    "Lâm",
    "Tâm",
    "Việt",
    "An",
    "Phúc",
    "Hưng",
    "Thịnh",
    "Quý",
    "Lợi",
    "Hoàn",
    "Chiến",
    "Tài",
    "Duy",
]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Thùy", "Hồng", "Kim", "Phương", "Thị Thu"]
FEMALE_GIVEN = [
    "Lan",
    "Hương",
    "Hoa",
    "Mai",
    "Thảo",
    "Hằng",
    "Nga",
    "Linh",
    "Trang",
    "Huyền",
    "Phương",
    "Thủy",
    "Yến",
    "Dung",
    "Hạnh",
    "Loan",
    "Nhung",
    "Oanh",
    "Quyên",
    "Vân",
    "Hà",
    "Ngân",
    "Hiền",
    "Thúy",
    "Liên",
    "Chi",
    "Giang",
    "Anh",
    "Tuyết",
    "Hòa",
    "Lý",
    "Diệp",
]
HMONG_MALE_MIDDLE = ["A", "Seo", "Mí", "Văn"]
HMONG_MALE_GIVEN = ["Páo", "Chứ", "Sính", "Lử", "Dình", "Phừ", "Nhà", "Vư", "Pó"]
HMONG_FEMALE_GIVEN = ["Mỷ", "Dế", "Say", "Pà", "Chá", "Máy", "Sua", "Dua", "Mai"]
EDE_MALE_GIVEN = ["Bhin", "Khu", "Jut", "Nuên", "Thuôn", "Bliêng", "Hăn", "Kông", "Siu", "Wơn"]
EDE_FEMALE_GIVEN = ["Hen", "Lim", "Nga", "Yăm", "Blông", "Luôn", "Jen", "Bim", "Duôn", "Nhi"]

LEFT_REASONS = [
    "Nghỉ việc theo nguyện vọng cá nhân",
    "Chấm dứt hợp đồng lao động",
    "Thôi việc",
    "Xin ra khỏi tổ chức công đoàn",
]
RETIRED = "Nghỉ hưu theo chế độ"
TRANSFERRED_REASONS = ["Chuyển công tác ra ngoài tỉnh", "Chuyển công tác sang đơn vị ngoài địa bàn"]
