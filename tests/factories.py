import factory

from linkwork.accounts.models import Membership, User
from linkwork.accounts.roles import Role
from linkwork.directory.models import Organisation, OrganisationKind

PASSWORD = "correct-horse-battery-staple"

# The kind of organisation each role is normally held in.
ROLE_ORGANISATION_KIND = {
    Role.REFERRER: OrganisationKind.GP_PRACTICE,
    Role.LINK_WORKER: OrganisationKind.SOCIAL_PRESCRIBING_SERVICE,
    Role.GROUP: OrganisationKind.VCFSE,
    Role.PANEL: OrganisationKind.UNCONSTITUTED_GROUP,
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
