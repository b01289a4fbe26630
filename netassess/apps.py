from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """django.contrib.admin with our site (netassess/admin.py) as `admin.site`, the
    way Django's documentation overrides the default admin site."""

    default_site = "netassess.admin.NetassessAdminSite"
