from django.urls import reverse

from tests import factories


def test_the_home_page_shows_each_organization_of_the_user_with_its_figures(cast, login):
    factories.make_workplace(cast.district, code="E1", workers=8)
    response = login(cast.owner).get(reverse("home"))
    assert response.status_code == 200
    [card] = response.context["cards"]
    assert card["organization"].code == "XP-A"
    assert card["branches"] == 1
    assert card["enterprises_without_union"] == 1
    assert "LĐLĐ huyện B" not in response.content.decode()


def test_the_home_page_refuses_post(cast, login):
    assert login(cast.owner).post(reverse("home")).status_code == 405
