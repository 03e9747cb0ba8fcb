"""Any change to what a public page shows of the directory empties the public page
cache (linkwork/public_cache.py). Bulk writes, which send no signals, call
`listings_changed` themselves (listing_edit, services.listings, interop imports)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from linkwork.directory import models
from linkwork.public_cache import listings_changed

PUBLIC_MODELS = (
    models.Organisation,
    models.Taxonomy,
    models.TaxonomyTerm,
    models.Asset,
    models.Location,
    models.AssetLocation,
    models.Schedule,
    models.Contact,
    models.CostOption,
)


def _changed(sender: type, **kwargs: object) -> None:
    if kwargs.get("action", "post_").startswith("post_"):  # m2m_changed: after, not before
        listings_changed()


def connect() -> None:
    for model in PUBLIC_MODELS:
        post_save.connect(_changed, sender=model, dispatch_uid=f"public-pages-{model.__name__}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"public-pages-gone-{model.__name__}"
        )
    m2m_changed.connect(_changed, sender=models.Asset.terms.through, dispatch_uid="public-terms")
