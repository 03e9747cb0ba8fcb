"""Pages of the insight app."""

urlpatterns: list = []
