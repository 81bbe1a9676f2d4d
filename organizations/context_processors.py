from .permissions import Action, scope_for


def user_scope(request) -> dict:
    """What the navigation needs to know of the user: where they work and what they may do."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    return {
        "scope": scope,
        "can_edit_registry": scope.can_anywhere(Action.EDIT_REGISTRY),
        "can_restructure": scope.can_anywhere(Action.RESTRUCTURE),
    }
