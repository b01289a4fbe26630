"""Addresses for people without an account: share links and live meeting ratings."""

urlpatterns: list = []
