"""The HSDS data package download: administrators only, audited."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from linkwork.accounts.decorators import permission_required
from linkwork.accounts.roles import Perm
from linkwork.interop.exports.datapackage import export_datapackage

FILENAME = "linkwork-hsds-datapackage.zip"


@require_GET
@permission_required(Perm.ADMINISTER)
def hsds_datapackage(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(export_datapackage(by=request.user), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{FILENAME}"'
    response["Cache-Control"] = "no-store"
    return response
