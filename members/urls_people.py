"""A member's own record: details, family, history, status changes and transfers."""

from django.urls import path

from members import member_views as views

MEMBER = "organizations/<int:pk>/members/<int:member_pk>/"

urlpatterns: list = [
    path("organizations/<int:pk>/members/new/", views.member_create, name="member_create"),
    path(MEMBER, views.member_detail, name="member_detail"),
    path(f"{MEMBER}edit/", views.member_edit, name="member_edit"),
    path(f"{MEMBER}status/", views.member_change, name="member_change"),
    path(f"{MEMBER}readmit/", views.member_readmit, name="member_readmit"),
    path(f"{MEMBER}transfer/", views.member_transfer, name="member_transfer"),
    path(f"{MEMBER}family/new/", views.family_add, name="family_add"),
    path(f"{MEMBER}family/<int:family_pk>/edit/", views.family_edit, name="family_edit"),
    path(f"{MEMBER}family/<int:family_pk>/remove/", views.family_remove, name="family_remove"),
    path("organizations/<int:pk>/transfers/incoming/", views.transfer_incoming, name="transfer_incoming"),
    path(
        "organizations/<int:pk>/transfers/<int:transfer_pk>/decide/",
        views.transfer_decide,
        name="transfer_decide",
    ),
]
