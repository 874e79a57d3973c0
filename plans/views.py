from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from members import access
from plans import rendering


@login_required
@require_GET
def plan_preview(request, pk):
    """The plan exactly as it prints (the same template as the PDF)."""
    plan = access.get_plan_for(request.user, pk)
    return HttpResponse(rendering.render_html(plan))


@login_required
@require_GET
def plan_pdf(request, pk):
    plan = access.get_plan_for(request.user, pk)
    response = HttpResponse(rendering.render_pdf(plan), content_type="application/pdf")
    filename = f"ke-hoach-{plan.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
