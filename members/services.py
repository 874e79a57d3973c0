from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Organization, OrganizationMove


@transaction.atomic
def organization_move(
    *,
    organization: Organization,
    new_parent: Organization,
    on: datetime.date,
    by=None,
    decision: str = "",
    note: str = "",
) -> OrganizationMove:
    """Put `organization` under `new_parent` from `on`, keeping the old link in its history."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if new_parent.pk == organization.parent_id:
        raise ValidationError(_("The organisation is already under this upper union."))
    ancestor = new_parent
    while ancestor is not None:
        if ancestor.pk == organization.pk:
            raise ValidationError(_("An organisation cannot be moved under itself or one of its own units."))
        ancestor = ancestor.parent
    if Organization.LEVEL_ORDER.index(new_parent.level) >= Organization.LEVEL_ORDER.index(organization.level):
        raise ValidationError(_("The upper union must be at a higher level than this organisation."))
    if new_parent.closed_on and new_parent.closed_on < on:
        raise ValidationError(_("The new upper union is closed on that date."))
    move = OrganizationMove.objects.create(
        organization=organization,
        from_parent_id=organization.parent_id,
        to_parent=new_parent,
        moved_on=on,
        decision=decision,
        note=note,
        recorded_by=by,
    )
    organization.parent = new_parent
    organization.save(update_fields=["parent"])
    return move
