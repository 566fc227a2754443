from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "actlocal.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from actlocal.api import schema  # noqa: F401 -- registers the OpenAPI auth scheme
        from actlocal.api.webhooks import on_audit_entry
        from actlocal.common.models import AuditEntry

        # The audit log is the one extension seam webhooks hang on (see webhooks.py).
        post_save.connect(on_audit_entry, sender=AuditEntry, dispatch_uid="api-webhooks")
