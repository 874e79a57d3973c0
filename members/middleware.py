from django.db.models import Case, IntegerField, Value, When
from django.utils.functional import SimpleLazyObject

from members.models import Officer, Organization

# Grassroots roles first: a chair who also sits on the ward committee starts in their own union.
LEVEL_DEPTH = Case(
    *[
        When(organization__level=level, then=Value(depth))
        for depth, level in enumerate(Organization.LEVEL_ORDER)
    ],
    output_field=IntegerField(),
)

SESSION_KEY = "current_officer_id"


def _roles(request) -> list[Officer]:
    if not request.user.is_authenticated:
        return []
    return list(
        Officer.objects.active()
        .filter(user=request.user)
        .select_related("organization", "organization__parent")
        .annotate(depth=LEVEL_DEPTH)
        .order_by("-depth", "organization__name", "role")
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
