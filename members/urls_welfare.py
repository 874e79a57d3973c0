"""Welfare: spending rules, records and their vouchers, gift campaigns and their lists to sign."""

from django.urls import path

from members import welfare_views as views

ORG = "organizations/<int:pk>/welfare/"
RECORD = ORG + "<int:record_pk>/"
CAMPAIGN = ORG + "campaigns/<int:campaign_pk>/"

urlpatterns: list = [
    path(ORG + "rules/", views.rule_list, name="welfare_rules"),
    path(ORG + "rules/new/", views.rule_create, name="welfare_rule_create"),
    path(ORG, views.record_list, name="welfare_records"),
    path(ORG + "new/", views.record_create, name="welfare_record_create"),
    path(ORG + "new/fields/", views.record_fields, name="welfare_record_fields"),
    path(RECORD, views.record_detail, name="welfare_record_detail"),
    path(RECORD + "edit/", views.record_edit, name="welfare_record_edit"),
    path(RECORD + "cancel/", views.record_cancel, name="welfare_record_cancel"),
    path(RECORD + "voucher.pdf", views.record_voucher, name="welfare_record_voucher"),
    path(ORG + "campaigns/", views.campaign_list, name="gift_campaigns"),
    path(ORG + "campaigns/new/", views.campaign_create, name="gift_campaign_create"),
    path(CAMPAIGN, views.campaign_detail, name="gift_campaign_detail"),
    path(CAMPAIGN + "run/", views.campaign_run, name="gift_campaign_run"),
    path(CAMPAIGN + "signatures.pdf", views.campaign_signatures, name="gift_campaign_signatures"),
]
