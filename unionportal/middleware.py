"""Vietnamese unless the user chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, which would show
English to every officer whose computer came set up in English. The portal is
Vietnamese first: only the language picked with the switcher (its cookie) changes it.
"""

import re

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.core.exceptions import BadRequest
from django.http import Http404, JsonResponse
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.cache import patch_vary_headers


class PreferredLanguageMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


# C0 controls, DEL and C1 controls. No code, card number or other value in the portal's
# addresses holds one; PostgreSQL refuses NUL in any text parameter.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# In a query string, a tab or a line break can come from text pasted into a search box:
# harmless there (the lookups strip them or find nothing), so not refused.
QUERY_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class RefuseControlCharactersMiddleware:
    """An address with a control character is refused before any view looks it up.

    A link copied out of a spreadsheet, or a hostile one, can carry "%00": looked up on
    PostgreSQL, a NUL in a code would fail with a server error instead of "not found".
    Refusing it here covers every view, the admin's included. A path with such a character
    names nothing (404); a query string with one is malformed (400). Both get the portal's
    own error pages.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if CONTROL_CHARACTERS.search(request.path_info):
            raise Http404("A control character in the path.")
        # Decoded, as the views read them: "%00" is a NUL once unquoted.
        for key, values in request.GET.lists():
            if any(QUERY_CONTROL_CHARACTERS.search(text) for text in (key, *values)):
                raise BadRequest("A control character in the query string.")
        return self.get_response(request)


def wants_json(request) -> bool:
    """A request made by a script (htmx or fetch) rather than by the browser's own navigation.

    Such a request must not be answered with a redirect to a page: the browser follows it
    silently and htmx would put the login page inside a grid cell.
    """
    return (
        request.headers.get("HX-Request") == "true"
        or request.headers.get("X-Requested-With") == "XMLHttpRequest"
        or request.headers.get("Accept", "").startswith("application/json")
    )


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's, except that a script's request from an expired session gets 401 and JSON.

    The page that made it keeps what was typed and asks to sign in again in a dialog
    (static/js/keepedits.js); a navigation is still sent to the login page.
    """

    def handle_no_permission(self, request, view_func):
        if wants_json(request):
            return JsonResponse(
                {"error": "login_required", "login_url": resolve_url(self.get_login_url(view_func))},
                status=401,
            )
        return super().handle_no_permission(request, view_func)
