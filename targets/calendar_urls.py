from django.urls import path

from targets import calendar_views

urlpatterns = [
    path("<int:org_pk>/", calendar_views.calendar, name="calendar"),
]
