from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "actlocal.web"
    label = "web"
