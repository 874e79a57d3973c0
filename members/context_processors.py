def officer_roles(request):
    """The role switcher in the navigation bar reads these (lazily: no query unless a page shows them)."""
    return {
        "officer_roles": getattr(request, "officer_roles", []),
        "current_officer": getattr(request, "officer", None),
    }
