from django.apps import AppConfig


class OrgaConfig(AppConfig):
    name = "actlocal.orga"
    label = "orga"
