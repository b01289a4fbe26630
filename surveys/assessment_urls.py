"""Coordinator pages for assessments, under networks/<network_id>/assessments/."""

urlpatterns: list = []
