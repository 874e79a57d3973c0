from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from config.health import healthz
from members.forms import LoginForm
from members.views import home
from plans.signing_views import verify

admin.site.site_header = _("Union plans administration")
admin.site.site_title = _("Union plans")

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("members.urls")),
    path("plans/", include("plans.urls")),
    path("targets/", include("targets.urls")),
    path("finance/", include("finance.urls")),
    path("verify/", verify, name="verify"),  # public: anyone holding a PDF may check it
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
