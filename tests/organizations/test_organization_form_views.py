import datetime

from django.urls import reverse

from organizations.models import Organization, Sector
from tests import factories


def test_district_staff_found_a_new_branch_in_the_browser(cast, login):
    client = login(cast.owner)
    url = reverse("organizations:create", kwargs={"code": cast.district.code})
    form = client.get(url).context["form"]
    assert form.fields["level"].initial == "base"
    response = client.post(
        url,
        {
            "code": "xp-a-09",
            "name": "CĐCS Trường Mầm non Hoa Sen",
            "level": "base",
            "sector": Sector.SCHOOL,
            "founded_on": "15/03/2022",
        },
    )
    assert response.status_code == 302
    branch = Organization.objects.get(code="XP-A-09")
    assert branch.parent().pk == cast.district.pk
    assert branch.founded_on == datetime.date(2022, 3, 15)
    page = client.get(response.url).content.decode()
    assert "15/03/2022" in page and "Trường học" in page


def test_a_base_branch_without_a_sector_is_refused_with_a_message(cast, login):
    url = reverse("organizations:create", kwargs={"code": cast.district.code})
    response = login(cast.owner).post(url, {"code": "XP-A-10", "name": "CĐCS X", "level": "base", "sector": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["sector"] == ["Công đoàn cơ sở phải có khu vực."]
    assert not Organization.objects.filter(code="XP-A-10").exists()


def test_a_code_already_in_use_is_refused(cast, login):
    url = reverse("organizations:create", kwargs={"code": cast.district.code})
    response = login(cast.owner).post(url, {"code": "XP-B-01", "name": "CĐCS X", "level": "base", "sector": "hcsn"})
    assert "XP-B-01" in response.context["form"].errors["code"][0]


def test_editing_a_branch_changes_its_name_but_never_its_code(cast, login):
    url = reverse("organizations:edit", kwargs={"code": cast.branch.code})
    response = login(cast.owner).post(
        url, {"name": "CĐCS Trường Tiểu học A1", "short_name": "TH A1", "sector": "school", "code": "HACKED"}
    )
    assert response.status_code == 302
    branch = Organization.objects.get(pk=cast.branch.pk)
    assert branch.name == "CĐCS Trường Tiểu học A1"
    assert branch.code == "XP-A-01"


def test_the_detail_page_shows_the_breadcrumb_the_user_may_see(cast, login):
    page = login(cast.owner).get(reverse("organizations:detail", kwargs={"code": cast.branch.code})).content.decode()
    assert "LĐLĐ huyện A" in page
    assert 'href="/organizations/XP/"' not in page  # the province is above the owner's scope


def test_the_detail_page_of_a_district_links_to_its_enterprises_without_union(cast, login):
    page = login(cast.owner).get(reverse("organizations:detail", kwargs={"code": cast.district.code})).content.decode()
    assert "kind=enterprises&amp;unionized=no&amp;min_workers=5" in page


def test_a_base_union_page_leads_with_its_members(cast, login):
    factories.make_member(cast.branch, full_name="Nguyễn Thị Hoa", gender="female")
    factories.make_member(cast.branch, full_name="Trần Văn Bình", gender="male")
    page = login(cast.colleague).get(reverse("organizations:detail", kwargs={"code": cast.branch.code}))
    (section,) = page.context["sections"]
    figures = section.context["member_figures"]
    assert (figures.count, figures.women) == (2, 1)
    assert "50,00 %" in page.content.decode()
