"""Pages of the outcomes app."""

urlpatterns: list = []
