"""The columns of a members file: headers, parsers, the help under each, and the fixed labels.

The Vietnamese labels of the choice columns are fixed by the file format, not by the
interface's translations: they live here as explicit maps.
"""

from __future__ import annotations

import datetime
import re
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionportal.spreadsheets import cells
from unionportal.spreadsheets.cells import CellError, ValueMap
from unionportal.spreadsheets.spec import CHOICE, CODE, DATE, TEXT, Column

from ..models import BranchRole, Gender, Member

GENDERS = ValueMap([("Nam", Gender.MALE), ("Nữ", Gender.FEMALE)])

ROLES = ValueMap(
    [
        ("Chủ tịch", BranchRole.CHAIR),
        ("Phó Chủ tịch", BranchRole.VICE_CHAIR),
        ("Ủy viên Ban chấp hành", BranchRole.EXECUTIVE),
        ("Ủy viên Ủy ban kiểm tra", BranchRole.INSPECTION),
        ("Tổ trưởng", BranchRole.GROUP_LEADER),
        ("Đoàn viên", BranchRole.MEMBER),
    ],
    # The older spelling puts the tone mark on the y; NFC does not make the two equal.
    aliases={
        "Uỷ viên Ban chấp hành": BranchRole.EXECUTIVE,
        "Uỷ viên Uỷ ban kiểm tra": BranchRole.INSPECTION,
    },
)

DEFAULT_ETHNICITY = Member._meta.get_field("ethnicity").get_default()  # what a new member gets when the cell is empty
MINIMUM_AGE = 15  # the youngest a worker may be (Bộ luật Lao động), and so a member
MAXIMUM_AGE = 100
CONFEDERATION_FOUNDED = datetime.date(1929, 7, 28)


# As the members services have it: card numbers appear in URLs.
CARD_NUMBER = re.compile(r"[A-Z0-9][A-Z0-9.\-]*")


def card(raw) -> str:
    """A card number, in capitals as the members services store it."""
    if raw.__class__ is str and len(raw) <= 32 and CARD_NUMBER.fullmatch(raw):
        return raw  # as typed already: what cells.text and the checks below would give (a file's 100,000 cards)
    value = cells.text(raw, max_length=32)
    if " " in value:
        raise CellError(
            "code_spaces",
            _("A card number has no spaces inside. Type it as: “%(clean)s”.") % {"clean": value.replace(" ", "")},
        )
    value = value.upper()
    if not CARD_NUMBER.fullmatch(value):
        raise CellError(
            "card_characters",
            _(
                "A card number has only letters, digits, dots and hyphens, and starts with a letter or a digit. Correct it."
            ),
        )
    return value


def age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


NOTES = (
    gettext_lazy(
        "Import the base unions first: every member belongs to an active base union in the organizations you manage."
    ),
    gettext_lazy(
        "A member whose base union changes is transferred on the day of the import; a changed role starts that day too."
    ),
    gettext_lazy(
        "An empty date of birth, ethnicity or training date keeps what is recorded; a training date adds a training record."
    ),
)

COLUMNS = (
    Column(
        "card_number",
        "Số thẻ đoàn viên",
        CODE,
        card,
        gettext_lazy(
            "The member's card number, unique. It identifies the row: importing a card that exists updates that member."
        ),
        example="0012345678",
        width=18,
    ),
    Column(
        "full_name",
        "Họ và tên",
        TEXT,
        partial(cells.text, max_length=255),
        gettext_lazy("Family name, middle name and given name, as on the card."),
        example="Nguyễn Thị Thanh Hương",
        width=30,
    ),
    Column(
        "gender",
        "Giới tính",
        CHOICE,
        partial(cells.choice, values=GENDERS),
        gettext_lazy("Chosen from the drop-down list."),
        example="Nữ",
        width=11,
        values=GENDERS,
    ),
    Column(
        "date_of_birth",
        "Ngày sinh",
        DATE,
        partial(cells.date, required=False),
        gettext_lazy("dd/mm/yyyy, before the join date; the member is at least 15 on joining. May be left empty."),
        example="20/11/1985",
        required=False,
        width=13,
    ),
    Column(
        "ethnicity",
        "Dân tộc",
        TEXT,
        partial(cells.text, required=False, max_length=64),
        gettext_lazy("The member's ethnic group (Kinh, Tày, Nùng, …). May be left empty."),
        example="Tày",
        required=False,
        width=12,
    ),
    Column(
        "branch",
        "Mã CĐCS",
        CODE,
        cells.code,
        gettext_lazy("The code of the member's base union: an active base union in the organizations you manage."),
        example="HG-QB-TH01",
        width=16,
    ),
    Column(
        "joined_on",
        "Ngày vào công đoàn",
        DATE,
        cells.date,
        gettext_lazy("The date the member joined the union, dd/mm/yyyy, not in the future."),
        example="05/01/2010",
        width=20,
    ),
    Column(
        "role",
        "Chức vụ",
        CHOICE,
        partial(cells.choice, values=ROLES, blank=BranchRole.MEMBER),
        gettext_lazy("The member's role in the base union, chosen from the drop-down list. Empty means Đoàn viên."),
        example="Đoàn viên",
        required=False,
        width=26,
        values=ROLES,
    ),
    Column(
        "trained_on",
        "Ngày tập huấn",
        DATE,
        partial(cells.date, required=False),
        gettext_lazy(
            "The date of the member's last union training (tập huấn nghiệp vụ), dd/mm/yyyy. Empty: no training to record."
        ),
        example="12/06/2023",
        required=False,
        width=16,
    ),
)
