from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("<int:pk>/", views.plan_preview, name="detail"),
    path("<int:pk>/pdf/", views.plan_pdf, name="pdf"),
]
