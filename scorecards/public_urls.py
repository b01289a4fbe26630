"""Addresses for people without an account: share links."""

from django.urls import path

from .views import share

urlpatterns = [
    path("shared/<str:token>/", share.shared_open, name="shared_open"),
]
