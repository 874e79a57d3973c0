from django.utils.functional import SimpleLazyObject

from members.access import REVIEW_ROLES


def officer_roles(request):
    """The role switcher in the navigation bar reads these (lazily: no query unless a page shows them)."""
    roles = getattr(request, "officer_roles", [])
    return {
        "officer_roles": roles,
        "current_officer": getattr(request, "officer", None),
        "reviews_somewhere": SimpleLazyObject(
            lambda: any(role.role in REVIEW_ROLES and not role.organization.is_grassroots for role in roles)
        ),
        "unread_notifications": SimpleLazyObject(
            lambda: (
                request.user.notifications.filter(read_at__isnull=True).count()
                if request.user.is_authenticated
                else 0
            )
        ),
    }
