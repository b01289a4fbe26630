from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("networks/<int:network_id>/results/", include("scorecards.urls")),
    path("networks/<int:network_id>/meetings/", include("meetings.urls")),
    path("", include("scorecards.public_urls")),
    path("", include("meetings.public_urls")),
    path("", include("surveys.urls")),
]
