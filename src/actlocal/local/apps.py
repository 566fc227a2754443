from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalConfig(AppConfig):
    name = "actlocal.local"
    label = "local"
    verbose_name = _("Local action")
