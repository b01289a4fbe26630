"""Maturity-matrix meeting pages, under networks/<network_id>/meetings/."""

urlpatterns: list = []
