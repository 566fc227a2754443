from actlocal.web.views.home import home

__all__ = ["home"]
