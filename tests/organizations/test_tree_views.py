from django.urls import reverse

from tests import factories


def test_the_tree_starts_at_the_users_own_organization(cast, login):
    response = login(cast.owner).get(reverse("organizations:tree"))
    roots = [node["organization"].code for node in response.context["roots"]]
    assert roots == ["XP-A"]
    assert [n.organization.code for n in response.context["roots"][0]["children"]] == ["XP-A-01"]


def test_the_tree_of_a_provincial_officer_counts_branches_per_district(cast, login):
    factories.make_branch(cast.district, code="XP-A-02")
    response = login(cast.provincial).get(reverse("organizations:tree"))
    children = {n.organization.code: n.base_branches for n in response.context["roots"][0]["children"]}
    assert children == {"XP-A": 2, "XP-B": 1}


def test_the_children_partial_opens_one_level(cast, login):
    response = login(cast.provincial).get(reverse("organizations:children", kwargs={"code": "XP-A"}))
    assert response.status_code == 200
    assert "<html" not in response.content.decode()  # a fragment for htmx
    assert "XP-A-01" in response.content.decode()


def test_search_finds_only_inside_the_users_subtrees(cast, login):
    response = login(cast.owner).get(reverse("organizations:tree"), {"q": "CĐCS"})
    assert [o.code for o in response.context["results"]] == ["XP-A-01"]
    assert "LĐLĐ huyện A" in response.content.decode()


def test_a_user_without_assignment_sees_an_empty_tree(db, login):
    user = factories.make_user("nobody")
    response = login(user).get(reverse("organizations:tree"))
    assert response.status_code == 200
    assert response.context["roots"] == []
