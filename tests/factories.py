import factory

from linkwork.accounts.models import Membership, User
from linkwork.accounts.roles import Role
from linkwork.directory.models import Organisation, OrganisationKind

PASSWORD = "correct-horse-battery-staple"

# The kind of organisation each role is normally held in.
ROLE_ORGANISATION_KIND = {
    Role.REFERRER: OrganisationKind.GP_PRACTICE,
    Role.LINK_WORKER: OrganisationKind.SOCIAL_PRESCRIBING_SERVICE,
    Role.SERVICE_MANAGER: OrganisationKind.SOCIAL_PRESCRIBING_SERVICE,
    Role.GROUP: OrganisationKind.VCFSE,
    Role.PANEL: OrganisationKind.PANEL,
    Role.COMMISSIONER: OrganisationKind.ICB,
    Role.ADMIN: OrganisationKind.INFRASTRUCTURE,
}


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.VCFSE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.REFERRER.value


def user_with_role(role: Role, organisation: Organisation | None = None, **user_fields) -> User:
    """A user holding `role`, in a new organisation of the usual kind unless one is given."""
    user = UserFactory(**user_fields)
    if role == Role.RESIDENT:
        organisation = None
    elif organisation is None:
        organisation = OrganisationFactory(kind=ROLE_ORGANISATION_KIND[role])
    Membership.objects.create(user=user, organisation=organisation, role=role.value)
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = True
        user.save()
    return user


# --- Directory -------------------------------------------------------------------------

import datetime as _dt  # noqa: E402

from django.utils import timezone  # noqa: E402

from linkwork.directory.models import (  # noqa: E402
    Asset,
    AssetLocation,
    Location,
    Publication,
    Schedule,
    Taxonomy,
    TaxonomyTerm,
    Vocabulary,
)
from linkwork.directory.services import refresh_search_text  # noqa: E402
from linkwork.places.models import Postcode  # noqa: E402


class TaxonomyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Taxonomy
        django_get_or_create = ("code",)

    code = "linkwork"
    name = "Linkwork social prescribing taxonomy"


class TaxonomyTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxonomyTerm
        django_get_or_create = ("code",)

    taxonomy = factory.SubFactory(TaxonomyFactory)
    code = factory.Sequence(lambda n: f"need-test-{n}")
    name = factory.Sequence(lambda n: f"Test need {n}")
    vocabulary = Vocabulary.NEED


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Community centre {n}")
    address_1 = "1 High Street"
    city = "Bolton"
    postcode = "BL1 1AA"
    latitude = 53.578
    longitude = -2.429


class AssetFactory(factory.django.DjangoModelFactory):
    """A published, recently verified asset at one location, open to referrals."""

    class Meta:
        model = Asset
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Community activity {n}")
    description = "A friendly weekly session for anyone who wants to come along."
    publication = Publication.PUBLISHED
    last_verified_at = factory.LazyFunction(lambda: timezone.now() - _dt.timedelta(days=10))

    @factory.post_generation
    def location(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        location = extracted or LocationFactory(**kwargs)
        AssetLocation.objects.create(asset=self, location=location)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.terms.add(*extracted)

    @factory.post_generation
    def index(self, create, extracted, **kwargs):
        if create:
            refresh_search_text(self)


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Schedule

    asset = factory.SubFactory(AssetFactory)
    weekday = 1
    opens_at = _dt.time(10, 0)
    closes_at = _dt.time(12, 0)


class PostcodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Postcode
        django_get_or_create = ("postcode",)

    postcode = "BL1 1AA"
    latitude = 53.578
    longitude = -2.429


# --- Notifications ---------------------------------------------------------------------


def hears_immediately(user: User) -> User:
    """The person chose to hear about everything at once (group members otherwise get a
    weekly digest of everything but new referrals)."""
    from linkwork.notifications.models import FIXED_KINDS, Kind, NotificationPreference

    for kind in Kind:
        if kind not in FIXED_KINDS:
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"frequency": "immediately"}
            )
    return user
