from django.utils.functional import SimpleLazyObject

from members.models import Officer

SESSION_KEY = "current_officer_id"


def _roles(request) -> list[Officer]:
    if not request.user.is_authenticated:
        return []
    return list(
        Officer.objects.active()
        .filter(user=request.user)
        .select_related("organization", "organization__parent")
        .order_by("organization__level", "organization__name", "role")
    )


def _current(request):
    roles = request.officer_roles
    chosen = request.session.get(SESSION_KEY)
    for officer in roles:
        if officer.pk == chosen:
            return officer
    return roles[0] if roles else None


class CurrentOfficerMiddleware:
    """Gives each request the user's active roles and the one they are working as (switchable)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.officer_roles = SimpleLazyObject(lambda: _roles(request))
        request.officer = SimpleLazyObject(lambda: _current(request))
        return self.get_response(request)
