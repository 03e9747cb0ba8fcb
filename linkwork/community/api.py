"""/api/v1 routes of the community app."""

from ninja import Router

router = Router(tags=["community"])
