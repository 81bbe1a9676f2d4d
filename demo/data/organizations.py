"""The demo hierarchy as data: the seeds' provinces and districts, their branches and users."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from organizations.models import Level, Role, Sector, WorkplaceKind

SEED = "unionportal-demo"

# Quang Bình's baseline in seed 000: "2.358 đoàn viên, trong đó nữ là 1.273".
QUANG_BINH_WORKERS = 2358
QUANG_BINH_FEMALE_WORKERS = 1273

# Branch code prefixes by sector: HG-QB-HC01, HG-QB-TH01, HG-QB-DN01, HG-QB-HTX01.
PREFIXES = {
    Sector.ADMINISTRATION: "HC",
    Sector.SCHOOL: "TH",
    Sector.STATE_ENTERPRISE: "DN",
    Sector.NON_STATE_ENTERPRISE: "DN",
    Sector.COOPERATIVE: "HTX",
}

# The workplace kind a branch of each sector is founded at (administration is refined by name).
KIND_OF_SECTOR = {
    Sector.ADMINISTRATION: WorkplaceKind.AGENCY,
    Sector.SCHOOL: WorkplaceKind.SCHOOL,
    Sector.STATE_ENTERPRISE: WorkplaceKind.STATE_ENTERPRISE,
    Sector.NON_STATE_ENTERPRISE: WorkplaceKind.NON_STATE_ENTERPRISE,
    Sector.COOPERATIVE: WorkplaceKind.COOPERATIVE,
}

# Public-service units (đơn vị sự nghiệp), told apart from agencies by their name.
PUBLIC_SERVICE_WORDS = ("Trạm Y tế", "Trung tâm", "Ban Quản lý", "Bệnh viện")

# (word in the workplace's name, range of workers, range of the female share); first match wins.
SIZE_BY_NAME = [
    ("Mầm non", (16, 30), (0.90, 1.0)),
    ("Tiểu học", (22, 40), (0.60, 0.75)),
    ("THPT", (40, 58), (0.45, 0.60)),
    ("THCS", (20, 40), (0.50, 0.65)),
    ("Trạm Y tế", (8, 12), (0.50, 0.70)),
    ("Trung tâm Y tế", (100, 150), (0.50, 0.65)),
    ("UBND", (20, 30), (0.25, 0.40)),
    ("May ", (120, 400), (0.75, 0.90)),
]
SIZE_BY_KIND = {
    WorkplaceKind.AGENCY: ((10, 40), (0.30, 0.50)),
    WorkplaceKind.PUBLIC_SERVICE: ((10, 40), (0.40, 0.60)),
    WorkplaceKind.SCHOOL: ((15, 60), (0.60, 0.80)),
    WorkplaceKind.STATE_ENTERPRISE: ((40, 250), (0.25, 0.45)),
    WorkplaceKind.NON_STATE_ENTERPRISE: ((10, 150), (0.30, 0.55)),
    WorkplaceKind.FDI_ENTERPRISE: ((80, 400), (0.55, 0.80)),
    WorkplaceKind.COOPERATIVE: ((8, 25), (0.35, 0.55)),
}


@dataclass(frozen=True)
class District:
    """An upper-level union (LĐLĐ huyện, thành phố) and what lies below it.

    Branches are named without "CĐCS": the name is the workplace's, the branch is
    "CĐCS " + name. `non_state` names marked FDI are foreign-invested (sector non-state,
    kind fdi_enterprise). `without_union` are enterprises with no CĐCS: (name, kind, workers).
    """

    code: str
    name: str
    short_name: str
    province: str
    place: str  # "huyện Quang Bình, tỉnh Hà Giang", for addresses
    founded_on: datetime.date
    tax_prefix: str
    communes: list[str]
    administration: list[str]
    schools: list[str]
    state: list[str] = field(default_factory=list)
    non_state: list[str] = field(default_factory=list)
    cooperatives: list[str] = field(default_factory=list)
    without_union: list[tuple[str, str, int]] = field(default_factory=list)
    # Branches founded in a given year (an enterprise or, named "Hợp tác xã …", a cooperative).
    founded_later: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class OrganizationSpec:
    code: str
    name: str
    level: str
    parent: str | None
    short_name: str = ""
    sector: str = ""
    founded_on: datetime.date | None = None
    address: str = ""


@dataclass
class WorkplaceSpec:
    code: str
    name: str
    kind: str
    worker_count: int
    female_worker_count: int
    upper_union: str
    branch: str | None = None
    address: str = ""
    tax_code: str = ""
    # Quang Bình's branches: the staff at the program's baseline (end of 2020, seed 000), before growth.
    baseline_workers: int | None = None
    baseline_women: int | None = None


@dataclass(frozen=True)
class UserSpec:
    username: str
    last_name: str  # họ và tên đệm
    first_name: str  # tên
    organization: str | None = None
    role: str | None = None
    is_superuser: bool = False


NATIONAL = OrganizationSpec(
    code="VN",
    name="Tổng Liên đoàn Lao động Việt Nam",
    short_name="Tổng LĐLĐ Việt Nam",
    level=Level.NATIONAL,
    parent=None,
    founded_on=datetime.date(1929, 7, 28),
    address="68 Quán Sứ, phường Trần Hưng Đạo, quận Hoàn Kiếm, Hà Nội",
)

PROVINCES = [
    ("HG", "Hà Giang", datetime.date(1991, 10, 1)),
    ("BP", "Bình Phước", datetime.date(1997, 1, 1)),
    ("DL", "Đắk Lắk", datetime.date(1976, 2, 20)),
    ("QT", "Quảng Trị", datetime.date(1989, 7, 1)),
]

QUANG_BINH_COMMUNES = [
    "thị trấn Yên Bình",
    "xã Bằng Lang",
    "xã Xuân Giang",
    "xã Nà Khương",
    "xã Tiên Nguyên",
    "xã Tân Nam",
    "xã Tân Trịnh",
    "xã Tân Bắc",
    "xã Yên Thành",
    "xã Yên Hà",
    "xã Hương Sơn",
    "xã Tiên Yên",
    "xã Vĩ Thượng",
    "xã Xuân Minh",
    "xã Bản Rịa",
]


def _bare(commune: str) -> str:
    """'xã Bằng Lang' -> 'Bằng Lang': schools carry the place name only."""
    for kind in ("thị trấn ", "xã ", "phường "):
        if commune.startswith(kind):
            return commune.removeprefix(kind)
    return commune


_QB = [_bare(c) for c in QUANG_BINH_COMMUNES]
_QB_BOARDING_PRIMARY = {"Tiên Nguyên", "Tân Nam", "Tân Bắc", "Xuân Minh", "Bản Rịa"}
_QB_LOWER_SECONDARY = [
    "Trường THCS " + c
    for c in ["Yên Bình", "Bằng Lang", "Xuân Giang", "Nà Khương", "Yên Thành", "Yên Hà", "Hương Sơn"]
    + ["Tiên Yên", "Vĩ Thượng", "Tân Trịnh"]
] + ["Trường PTDTBT THCS Tiên Nguyên"]

QUANG_BINH = District(
    code="HG-QB",
    name="Liên đoàn Lao động huyện Quang Bình",
    short_name="LĐLĐ huyện Quang Bình",
    province="HG",
    place="huyện Quang Bình, tỉnh Hà Giang",
    founded_on=datetime.date(2004, 4, 15),
    tax_prefix="5100",
    communes=QUANG_BINH_COMMUNES,
    administration=[f"UBND {c}" for c in QUANG_BINH_COMMUNES]
    + [f"Trạm Y tế {c}" for c in QUANG_BINH_COMMUNES]
    + [
        f"{agency} huyện Quang Bình"
        for agency in [
            "Cơ quan Huyện ủy",
            "Cơ quan UBND",
            "Phòng Giáo dục và Đào tạo",
            "Trung tâm Y tế",
            "Kho bạc Nhà nước",
            "Bảo hiểm xã hội",
            "Phòng Nông nghiệp và Phát triển nông thôn",
            "Trung tâm Văn hóa - Thể thao và Truyền thông",
            "Tòa án nhân dân",
            "Viện Kiểm sát nhân dân",
            "Chi cục Thống kê",
            "Hạt Kiểm lâm",
        ]
    ],
    schools=[f"Trường Mầm non {c}" for c in _QB]
    + [f"Trường {'PTDTBT ' if c in _QB_BOARDING_PRIMARY else ''}Tiểu học {c}" for c in _QB]
    + _QB_LOWER_SECONDARY
    + ["Trường THPT Quang Bình", "Trường THPT Xuân Giang", "Trường PTDTNT THCS và THPT huyện Quang Bình"],
    cooperatives=["Hợp tác xã Quỹ tín dụng Xuân Giang"],
    without_union=[
        ("Công ty TNHH Xây dựng Bằng Lang", WorkplaceKind.NON_STATE_ENTERPRISE, 28),
        ("Công ty Cổ phần Thủy điện Sông Chừng", WorkplaceKind.NON_STATE_ENTERPRISE, 22),
        ("Công ty TNHH Chế biến Chè Tân Trịnh", WorkplaceKind.NON_STATE_ENTERPRISE, 35),
        ("Công ty Cổ phần Chế biến Lâm sản Xuân Giang", WorkplaceKind.NON_STATE_ENTERPRISE, 41),
        ("Công ty TNHH MTV Khai thác Cát sỏi Yên Hà", WorkplaceKind.NON_STATE_ENTERPRISE, 9),
        ("Doanh nghiệp tư nhân Vận tải Hùng Cường", WorkplaceKind.NON_STATE_ENTERPRISE, 12),
        ("Công ty TNHH Thương mại và Dịch vụ Yên Bình", WorkplaceKind.NON_STATE_ENTERPRISE, 7),
        ("Công ty TNHH Xây dựng và Thương mại Tiên Yên", WorkplaceKind.NON_STATE_ENTERPRISE, 16),
        ("Công ty TNHH Sản xuất Gạch không nung Vĩ Thượng", WorkplaceKind.NON_STATE_ENTERPRISE, 18),
        ("Công ty TNHH Dịch vụ Nông nghiệp Nà Khương", WorkplaceKind.NON_STATE_ENTERPRISE, 6),
        ("Công ty TNHH Kinh doanh Xăng dầu Tân Bắc", WorkplaceKind.NON_STATE_ENTERPRISE, 5),
        ("Lâm trường Quang Bình - Công ty TNHH MTV Lâm nghiệp Hà Giang", WorkplaceKind.STATE_ENTERPRISE, 19),
        ("Chi nhánh Cấp nước Yên Bình - Công ty TNHH MTV Cấp thoát nước Hà Giang", WorkplaceKind.STATE_ENTERPRISE, 11),
        ("Hợp tác xã Chè Shan tuyết Tiên Nguyên", WorkplaceKind.COOPERATIVE, 14),
        ("Hợp tác xã Nông nghiệp và Dịch vụ Xuân Minh", WorkplaceKind.COOPERATIVE, 8),
        # Below the "05 lao động trở lên" threshold of seed 000:
        ("Công ty TNHH MTV Thương mại Bản Rịa", WorkplaceKind.NON_STATE_ENTERPRISE, 3),
        ("Công ty TNHH Tư vấn Thiết kế Yên Thành", WorkplaceKind.NON_STATE_ENTERPRISE, 2),
        ("Doanh nghiệp tư nhân Cơ khí Hương Sơn", WorkplaceKind.NON_STATE_ENTERPRISE, 4),
        ("Hợp tác xã Cam sành Tân Nam", WorkplaceKind.COOPERATIVE, 4),
    ],
)

BAC_QUANG = District(
    code="HG-BQ",
    name="Liên đoàn Lao động huyện Bắc Quang",
    short_name="LĐLĐ huyện Bắc Quang",
    province="HG",
    place="huyện Bắc Quang, tỉnh Hà Giang",
    founded_on=datetime.date(1991, 12, 1),
    tax_prefix="5100",
    communes=["thị trấn Việt Quang", "thị trấn Vĩnh Tuy", "xã Hùng An", "xã Việt Vinh", "xã Tân Quang"],
    administration=["UBND thị trấn Việt Quang", "Trung tâm Y tế huyện Bắc Quang"],
    schools=["Trường THPT Việt Vinh", "Trường Tiểu học Việt Quang"],
    non_state=["Công ty Cổ phần Chè Hùng An"],
    cooperatives=["Hợp tác xã Cam sành Tân Quang"],
)

PHU_RIENG_COMMUNES = [
    "xã Phú Riềng",
    "xã Bù Nho",
    "xã Long Hưng",
    "xã Long Tân",
    "xã Long Hà",
    "xã Long Bình",
    "xã Phước Tân",
    "xã Bình Tân",
    "xã Phú Trung",
    "xã Bình Sơn",
]

PHU_RIENG = District(
    code="BP-PR",
    name="Liên đoàn Lao động huyện Phú Riềng",
    short_name="LĐLĐ huyện Phú Riềng",
    province="BP",
    place="huyện Phú Riềng, tỉnh Bình Phước",
    founded_on=datetime.date(2016, 1, 15),
    tax_prefix="3800",
    communes=PHU_RIENG_COMMUNES,
    administration=[f"UBND {c}" for c in PHU_RIENG_COMMUNES]
    + [
        f"{agency} huyện Phú Riềng"
        for agency in [
            "Cơ quan Huyện ủy",
            "Văn phòng HĐND và UBND",
            "Trung tâm Y tế",
            "Phòng Giáo dục và Đào tạo",
            "Kho bạc Nhà nước",
        ]
    ],
    schools=[
        "Trường Mầm non Bù Nho",
        "Trường Mầm non Long Hưng",
        "Trường Mầm non Phú Trung",
        "Trường Mầm non Bình Tân",
        "Trường Tiểu học Phú Riềng",
        "Trường Tiểu học Long Tân",
        "Trường Tiểu học Phước Tân",
        "Trường Tiểu học Long Hà A",
        "Trường THCS Bù Nho",
        "Trường THCS Long Bình",
        "Trường THCS Bình Sơn",
        "Trường THPT Phú Riềng",
    ],
    state=[
        "Nông trường Cao su Bù Nho - Công ty TNHH MTV Cao su Phú Riềng",
        "Nông trường Cao su Long Hà - Công ty TNHH MTV Cao su Phú Riềng",
    ],
    non_state=[
        "Công ty TNHH Chế biến Điều Long Hưng",
        "Công ty Cổ phần Chế biến Hạt điều Bình Tân",
        "Công ty TNHH Gỗ Phú Riềng",
        "Công ty TNHH May mặc Phước Tân",
        "Công ty TNHH Chăn nuôi Bình Sơn",
        "Công ty TNHH Sản xuất Thương mại Bao bì Phú Trung",
        "FDI:Công ty TNHH Giày da Long Tân Việt Nam",
        "FDI:Công ty TNHH Kỹ thuật Nông nghiệp Việt - Hàn",
    ],
    cooperatives=["Hợp tác xã Nông nghiệp Long Hà"],
    without_union=[
        ("Công ty TNHH Thu mua Hạt điều Long Bình", WorkplaceKind.NON_STATE_ENTERPRISE, 14),
        ("Công ty TNHH Xây dựng Phú Riềng Xanh", WorkplaceKind.NON_STATE_ENTERPRISE, 9),
        ("Hợp tác xã Tiêu sạch Bình Sơn", WorkplaceKind.COOPERATIVE, 6),
        ("Công ty TNHH Vật tư Nông nghiệp Bù Nho", WorkplaceKind.NON_STATE_ENTERPRISE, 4),
    ],
)

DAK_LAK_DISTRICTS = [
    District(
        code="DL-BMT",
        name="Liên đoàn Lao động thành phố Buôn Ma Thuột",
        short_name="LĐLĐ thành phố Buôn Ma Thuột",
        province="DL",
        place="thành phố Buôn Ma Thuột, tỉnh Đắk Lắk",
        founded_on=datetime.date(1977, 5, 1),
        tax_prefix="6000",
        communes=["phường Tân Lợi", "phường Thành Công", "phường Tân An", "phường Ea Tam", "phường Tự An"]
        + ["phường Khánh Xuân", "xã Hòa Thắng", "xã Hòa Phú", "xã Ea Tu", "xã Hòa Xuân"],
        administration=[
            "UBND phường Tân Lợi",
            "UBND phường Thành Công",
            "UBND xã Hòa Thắng",
            "Trạm Y tế phường Ea Tam",
            "Trung tâm Y tế thành phố Buôn Ma Thuột",
            "Phòng Tài chính - Kế hoạch thành phố Buôn Ma Thuột",
        ],
        schools=[
            "Trường Mầm non Sơn Ca",
            "Trường Tiểu học Nguyễn Du",
            "Trường Tiểu học Hòa Thắng",
            "Trường THCS Phan Chu Trinh",
            "Trường THCS Nguyễn Trãi",
            "Trường THCS Hòa Xuân",
        ],
        state=["Công ty TNHH MTV Môi trường Đô thị Buôn Ma Thuột", "Công ty TNHH MTV Cà phê Ea Tam"],
        non_state=[
            "Công ty Cổ phần Chế biến Cà phê Tây Nguyên Xanh",
            "Công ty TNHH Xây dựng Thương mại Hòa Thắng",
            "Công ty Cổ phần Dược - Vật tư y tế Ban Mê",
            "Công ty TNHH May Tân An",
            "FDI:Công ty TNHH Chế biến Nông sản Việt - Nhật Ban Mê",
        ],
        cooperatives=["Hợp tác xã Cà phê Ea Tu", "Hợp tác xã Vận tải Thắng Lợi"],
        without_union=[
            ("Công ty TNHH Thương mại Dịch vụ Khánh Xuân", WorkplaceKind.NON_STATE_ENTERPRISE, 23),
            ("Công ty TNHH Cơ khí Hòa Phú", WorkplaceKind.NON_STATE_ENTERPRISE, 11),
            ("Công ty TNHH In ấn Ban Mê", WorkplaceKind.NON_STATE_ENTERPRISE, 6),
        ],
    ),
    District(
        code="DL-KP",
        name="Liên đoàn Lao động huyện Krông Pắc",
        short_name="LĐLĐ huyện Krông Pắc",
        province="DL",
        place="huyện Krông Pắc, tỉnh Đắk Lắk",
        founded_on=datetime.date(1978, 3, 1),
        tax_prefix="6000",
        communes=["thị trấn Phước An", "xã Ea Kly", "xã Ea Phê", "xã Ea Kênh", "xã Hòa An", "xã Ea Yông"]
        + ["xã Tân Tiến", "xã Hòa Đông", "xã Vụ Bổn", "xã Ea Kuăng"],
        administration=[
            "UBND thị trấn Phước An",
            "UBND xã Ea Phê",
            "UBND xã Ea Kly",
            "Trung tâm Y tế huyện Krông Pắc",
            "Kho bạc Nhà nước huyện Krông Pắc",
        ],
        schools=[
            "Trường Mầm non Phước An",
            "Trường Tiểu học Ea Phê",
            "Trường Tiểu học Hòa An",
            "Trường THCS Ea Kly",
            "Trường THPT Krông Pắc",
        ],
        state=["Công ty TNHH MTV Cà phê Phước An", "Nông trường Cao su Ea Kênh - Công ty TNHH MTV Cao su Krông Búk"],
        non_state=[
            "Công ty TNHH Chế biến Nông sản Phước An",
            "Công ty TNHH Xuất nhập khẩu Sầu riêng Tân Tiến",
            "Công ty TNHH Gạch ngói Hòa Đông",
            "Công ty Cổ phần Hồ tiêu Ea Yông",
        ],
        cooperatives=["Hợp tác xã Nông nghiệp Dịch vụ Ea Kly", "Hợp tác xã Cà phê Công bằng Ea Kênh"],
        without_union=[
            ("Công ty TNHH Thu mua Cà phê Vụ Bổn", WorkplaceKind.NON_STATE_ENTERPRISE, 17),
            ("Công ty TNHH Vật liệu Xây dựng Ea Kuăng", WorkplaceKind.NON_STATE_ENTERPRISE, 8),
        ],
    ),
    District(
        code="DL-EH",
        name="Liên đoàn Lao động huyện Ea H'leo",
        short_name="LĐLĐ huyện Ea H'leo",
        province="DL",
        place="huyện Ea H'leo, tỉnh Đắk Lắk",
        founded_on=datetime.date(1981, 6, 1),
        tax_prefix="6000",
        communes=["thị trấn Ea Drăng", "xã Ea H'leo", "xã Ea Sol", "xã Ea Ral", "xã Ea Wy", "xã Cư Mốt"]
        + ["xã Ea Hiao", "xã Ea Khăl", "xã Dliê Yang", "xã Ea Tir", "xã Ea Nam"],
        administration=[
            "UBND thị trấn Ea Drăng",
            "UBND xã Ea Ral",
            "Trung tâm Y tế huyện Ea H'leo",
            "Hạt Kiểm lâm huyện Ea H'leo",
        ],
        schools=[
            "Trường Mầm non Ea Drăng",
            "Trường Tiểu học Ea Wy",
            "Trường Tiểu học Cư Mốt",
            "Trường THCS Ea Hiao",
            "Trường THPT Ea H'leo",
        ],
        state=["Công ty TNHH MTV Lâm nghiệp Ea H'leo"],
        non_state=[
            "Công ty TNHH Năng lượng Tái tạo Ea Nam",
            "Công ty TNHH Chế biến Gỗ Ea Drăng",
            "Công ty Cổ phần Tinh bột sắn Ea H'leo",
        ],
        cooperatives=["Hợp tác xã Nông nghiệp Ea Sol", "Hợp tác xã Cà phê Ea Tir"],
        without_union=[
            ("Công ty TNHH Khai thác Đá Ea Khăl", WorkplaceKind.NON_STATE_ENTERPRISE, 13),
            ("Hợp tác xã Mắc ca Dliê Yang", WorkplaceKind.COOPERATIVE, 7),
        ],
    ),
]

# Seed 004 asks Quảng Trị for 30–35 new CĐCS a year; in 2021 the demo's three districts founded 40
# between them (Đông Hà 14, Vĩnh Linh 18, Hải Lăng 8), so the province and Vĩnh Linh exceed their
# targets, Đông Hà meets its own and Hải Lăng falls short of its own (`founded_later` below).
QUANG_TRI_DISTRICTS = [
    District(
        code="QT-DH",
        name="Liên đoàn Lao động thành phố Đông Hà",
        short_name="LĐLĐ thành phố Đông Hà",
        province="QT",
        place="thành phố Đông Hà, tỉnh Quảng Trị",
        founded_on=datetime.date(1989, 9, 1),
        tax_prefix="3200",
        communes=["phường 1", "phường 2", "phường 3", "phường 5", "phường Đông Giang"]
        + ["phường Đông Lễ", "phường Đông Lương", "phường Đông Thanh"],
        administration=[
            "UBND phường 1",
            "UBND phường Đông Lương",
            "Trung tâm Y tế thành phố Đông Hà",
            "Phòng Giáo dục và Đào tạo thành phố Đông Hà",
            "Chi cục Thuế khu vực Đông Hà - Cam Lộ",
        ],
        schools=[
            "Trường Mầm non Hoa Hồng",
            "Trường Tiểu học Hàm Nghi",
            "Trường Tiểu học Lê Lợi",
            "Trường THCS Nguyễn Trãi",
            "Trường THCS Trần Hưng Đạo",
            "Trường THPT Lê Lợi",
        ],
        state=["Công ty TNHH MTV Xổ số Kiến thiết Quảng Trị", "Công ty TNHH MTV Nước sạch Quảng Trị"],
        non_state=[
            "Công ty TNHH May mặc Đông Hà",
            "Công ty Cổ phần Xây dựng Giao thông Đông Lương",
            "Công ty TNHH Thương mại Dịch vụ Đông Giang",
            "Công ty Cổ phần Gỗ Quảng Trị",
            "FDI:Công ty TNHH Điện tử Việt - Hàn Đông Hà",
        ],
        cooperatives=["Hợp tác xã Vận tải Đông Hà", "Hợp tác xã Rau an toàn Đông Lễ"],
        without_union=[
            ("Công ty TNHH Quảng cáo Đông Thanh", WorkplaceKind.NON_STATE_ENTERPRISE, 12),
            ("Công ty TNHH Nội thất Hiếu Giang", WorkplaceKind.NON_STATE_ENTERPRISE, 26),
            ("Công ty TNHH Dịch vụ Bảo vệ Thành Cổ", WorkplaceKind.NON_STATE_ENTERPRISE, 31),
        ],
        founded_later=[
            (2021, "Công ty TNHH Thương mại Hiếu Giang"),
            (2021, "Công ty Cổ phần Vận tải Đông Hà Xanh"),
            (2021, "Công ty TNHH Cơ khí Đông Lễ"),
            (2021, "Công ty TNHH Dịch vụ Ăn uống Sông Hiếu"),
            (2021, "Công ty TNHH In ấn Quảng Trị"),
            (2021, "Công ty Cổ phần Dược phẩm Đông Lương"),
            (2021, "Công ty TNHH Điện lạnh Đông Thanh"),
            (2021, "Công ty TNHH Nhựa Đông Hà"),
            (2021, "Công ty Cổ phần Bê tông Đông Giang"),
            (2021, "Công ty TNHH Kỹ thuật Ô tô Quảng Trị"),
            (2021, "Công ty TNHH Siêu thị Đông Hà"),
            (2021, "Hợp tác xã Vệ sinh Môi trường Đông Hà"),
            (2021, "Hợp tác xã Dịch vụ Chợ Đông Hà"),
            (2021, "Hợp tác xã Hoa kiểng Đông Lương"),
        ],
    ),
    District(
        code="QT-VL",
        name="Liên đoàn Lao động huyện Vĩnh Linh",
        short_name="LĐLĐ huyện Vĩnh Linh",
        province="QT",
        place="huyện Vĩnh Linh, tỉnh Quảng Trị",
        founded_on=datetime.date(1989, 9, 1),
        tax_prefix="3200",
        communes=["thị trấn Hồ Xá", "thị trấn Bến Quan", "thị trấn Cửa Tùng", "xã Vĩnh Thái", "xã Vĩnh Tú"]
        + ["xã Vĩnh Giang", "xã Vĩnh Long", "xã Vĩnh Lâm", "xã Vĩnh Thủy", "xã Vĩnh Hòa"],
        administration=[
            "UBND thị trấn Hồ Xá",
            "UBND xã Vĩnh Thái",
            "Trạm Y tế xã Vĩnh Giang",
            "Trung tâm Y tế huyện Vĩnh Linh",
            "Ban Quản lý Khu di tích Địa đạo Vịnh Mốc",
        ],
        schools=[
            "Trường Mầm non Hồ Xá",
            "Trường Tiểu học Vĩnh Thủy",
            "Trường THCS Vĩnh Tú",
            "Trường THCS Cửa Tùng",
            "Trường THPT Vĩnh Linh",
        ],
        state=["Nông trường Bến Hải - Công ty TNHH MTV Cao su Quảng Trị", "Công ty TNHH MTV Lâm nghiệp Bến Hải"],
        non_state=[
            "Công ty Cổ phần Thủy sản Cửa Tùng",
            "Công ty TNHH Chế biến Hồ tiêu Vĩnh Linh",
            "Công ty TNHH Du lịch Biển Cửa Tùng",
        ],
        cooperatives=["Hợp tác xã Nông nghiệp Vĩnh Lâm", "Hợp tác xã Dịch vụ Thủy sản Vĩnh Thái"],
        without_union=[
            ("Công ty TNHH Đóng tàu Vĩnh Thái", WorkplaceKind.NON_STATE_ENTERPRISE, 15),
            ("Công ty TNHH Khách sạn Hồ Xá", WorkplaceKind.NON_STATE_ENTERPRISE, 9),
        ],
        founded_later=[
            (2021, "Công ty TNHH Chế biến Hải sản Cửa Tùng"),
            (2021, "Công ty TNHH Nước mắm Vĩnh Thái"),
            (2021, "Công ty Cổ phần Du lịch Vịnh Mốc"),
            (2021, "Công ty TNHH Vật liệu Xây dựng Hồ Xá"),
            (2021, "Công ty TNHH Cao su Vĩnh Linh"),
            (2021, "Công ty TNHH Thương mại Bến Quan"),
            (2021, "Công ty TNHH Khai thác Đá Vĩnh Hòa"),
            (2021, "Công ty TNHH Nông sản Vĩnh Tú"),
            (2021, "Công ty TNHH Vận tải Biển Cửa Tùng"),
            (2021, "Công ty TNHH Xăng dầu Vĩnh Linh"),
            (2021, "Công ty Cổ phần Tiêu Vĩnh Linh Xanh"),
            (2021, "Hợp tác xã Hồ tiêu Vĩnh Hòa"),
            (2021, "Hợp tác xã Nuôi trồng Thủy sản Vĩnh Giang"),
            (2021, "Hợp tác xã Dịch vụ Nông nghiệp Vĩnh Long"),
            (2021, "Hợp tác xã Khai thác Hải sản Cửa Tùng"),
            (2021, "Hợp tác xã Nông nghiệp Vĩnh Thủy"),
            (2021, "Hợp tác xã Cao su Bến Quan"),
            (2021, "Hợp tác xã Rau sạch Vĩnh Tú"),
        ],
    ),
    District(
        code="QT-HL",
        name="Liên đoàn Lao động huyện Hải Lăng",
        short_name="LĐLĐ huyện Hải Lăng",
        province="QT",
        place="huyện Hải Lăng, tỉnh Quảng Trị",
        founded_on=datetime.date(1990, 1, 1),
        tax_prefix="3200",
        communes=["thị trấn Diên Sanh", "xã Hải An", "xã Hải Ba", "xã Hải Phú", "xã Hải Chánh", "xã Hải Sơn"]
        + ["xã Hải Thượng", "xã Hải Lâm", "xã Hải Trường", "xã Hải Khê"],
        administration=[
            "UBND thị trấn Diên Sanh",
            "UBND xã Hải Phú",
            "Trung tâm Y tế huyện Hải Lăng",
            "Phòng Nông nghiệp và Phát triển nông thôn huyện Hải Lăng",
        ],
        schools=[
            "Trường Mầm non Diên Sanh",
            "Trường Tiểu học Hải Chánh",
            "Trường Tiểu học Hải Thượng",
            "Trường THCS Diên Sanh",
            "Trường THPT Hải Lăng",
        ],
        state=["Công ty TNHH MTV Lâm nghiệp Triệu Hải"],
        non_state=[
            "Công ty TNHH May Hải Lăng",
            "Công ty Cổ phần Gạch Tuynel Hải Sơn",
            "Công ty TNHH Chế biến Gỗ Hải Lăng",
            "FDI:Công ty TNHH Linh kiện Điện tử Hải Lăng Việt Nam",
        ],
        cooperatives=["Hợp tác xã Nông nghiệp Hải Phú", "Hợp tác xã Gạo hữu cơ Hải Ba"],
        without_union=[
            ("Công ty TNHH Nuôi trồng Thủy sản Hải An", WorkplaceKind.NON_STATE_ENTERPRISE, 18),
            ("Công ty TNHH Cát xây dựng Hải Trường", WorkplaceKind.NON_STATE_ENTERPRISE, 10),
            ("Hợp tác xã Dịch vụ Nông nghiệp Hải Lâm", WorkplaceKind.COOPERATIVE, 4),
        ],
        founded_later=[
            (2021, "Công ty TNHH Xây dựng Diên Sanh"),
            (2021, "Công ty TNHH Chăn nuôi Hải Thượng"),
            (2021, "Công ty TNHH Thủy sản Hải Khê"),
            (2021, "Công ty TNHH Cơ khí Nông nghiệp Hải Lăng"),
            (2021, "Hợp tác xã Nông nghiệp Hải Chánh"),
            (2021, "Hợp tác xã Dịch vụ Điện Hải Sơn"),
            (2021, "Hợp tác xã Nấm Hải Lâm"),
            (2021, "Hợp tác xã Trồng rừng Hải Trường"),
        ],
    ),
]

DISTRICTS = [QUANG_BINH, BAC_QUANG, PHU_RIENG, *DAK_LAK_DISTRICTS, *QUANG_TRI_DISTRICTS]

USERS = [
    UserSpec("tw", "Nguyễn Thị Thanh", "Hương", "VN", Role.NATIONAL_OFFICER),
    UserSpec("hagiang", "Hoàng Văn", "Thắng", "HG", Role.PROVINCIAL_OFFICER),
    UserSpec("quangbinh", "Triệu Thị", "Lan", "HG-QB", Role.UPPER_STAFF),
    UserSpec("phurieng", "Trần Văn", "Phước", "BP-PR", Role.UPPER_STAFF),
    UserSpec("daklak", "Niê", "Y Bhin", "DL", Role.PROVINCIAL_OFFICER),  # Ê Đê: the given name comes first
    UserSpec("quangtri", "Lê Quang", "Vinh", "QT", Role.PROVINCIAL_OFFICER),
    UserSpec("admin", "", "Quản trị viên", is_superuser=True),
]


# --- building the specs -------------------------------------------------------------------------
