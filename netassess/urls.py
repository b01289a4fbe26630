from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # Accounts, two-factor sign-in and single sign-on: django-allauth (surveys/accounts.py)
    path("accounts/", include("allauth.urls")),
    path("networks/<int:network_id>/results/", include("scorecards.urls")),
    path("networks/<int:network_id>/meetings/", include("meetings.urls")),
    path("", include("scorecards.public_urls")),
    path("", include("meetings.public_urls")),
    path("", include("surveys.urls")),
]

# Too many attempts (allauth's limits use it too): the site's 429 page, Retry-After 60.
handler429 = "surveys.views.common.ratelimited"
