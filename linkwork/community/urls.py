"""Pages of the community app."""

urlpatterns: list = []
