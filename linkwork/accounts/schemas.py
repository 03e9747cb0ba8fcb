from ninja import Schema


class RoleOut(Schema):
    role: str
    organisation_id: int | None
    organisation_name: str | None


class MeOut(Schema):
    email: str
    full_name: str
    roles: list[RoleOut]
