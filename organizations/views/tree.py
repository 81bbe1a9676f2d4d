from django.shortcuts import render
from django.views.decorators.http import require_GET

from unionportal.web import only_get

from ..lookups import get_organization_for_user
from ..permissions import scope_for
from ..selectors import ancestors_in_scope, organization_search, tree_children, tree_roots


@require_GET
def organization_tree(request):
    """The tree from the user's own organizations down, opened level by level (htmx), with search."""
    query = request.GET.get("q", "").strip()
    roots = tree_roots(request.user)
    results = organization_search(request.user, query) if query else []
    for result in results:
        result.trail = ancestors_in_scope(request.user, result)
    root_nodes = []
    for root in roots:
        root_nodes.append({"organization": root, "children": tree_children(root)})
    return render(
        request,
        "organizations/tree.html",
        {"roots": root_nodes, "query": query, "results": results, "scope": scope_for(request.user)},
    )


def organization_children(request, code: str):
    """htmx partial: the children of one node of the tree."""
    organization = get_organization_for_user(request.user, code)
    if refused := only_get(request):
        return refused
    show_inactive = request.GET.get("inactive") == "1"
    return render(
        request,
        "organizations/_tree_children.html",
        {"parent": organization, "children": tree_children(organization, include_inactive=show_inactive)},
    )
