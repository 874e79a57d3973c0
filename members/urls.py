from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("switch/", views.switch_officer, name="switch"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("organizations/<int:pk>/groups/new/", views.uniongroup_create, name="uniongroup_create"),
]
