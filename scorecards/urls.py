"""Results pages, under networks/<network_id>/results/."""

urlpatterns: list = []
