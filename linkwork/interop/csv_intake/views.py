"""/casework/import/: a link worker uploads a CSV of referrals (the template below),
sees each row checked, and imports the good rows. Without JavaScript: upload → preview
(the file travels on in a hidden field, so nothing is stored before the import) →
import → what was created."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from linkwork.accounts.decorators import permission_required
from linkwork.accounts.permissions import organisations_with_permission
from linkwork.accounts.roles import Perm
from linkwork.directory.models import Organisation
from linkwork.interop.csv_intake import rows

MAX_BYTES = 1_000_000


class UploadForm(forms.Form):
    file = forms.FileField(label="CSV file of referrals", required=False)
    text = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError({"file": "The file is over 1 MB: split it."})
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError({"file": "Save the file as CSV UTF-8."}) from None
        if not data.get("text"):
            raise forms.ValidationError({"file": "Choose a CSV file to upload."})
        return data


def _service(request: HttpRequest) -> Organisation:
    return (
        Organisation.objects.filter(
            pk__in=organisations_with_permission(request.user, Perm.CASEWORK)
        )
        .order_by("name", "pk")
        .first()
    )


@permission_required(Perm.CASEWORK)
@require_http_methods(["GET", "POST"])
def import_referrals(request: HttpRequest) -> HttpResponse:
    service = _service(request)
    context = {"service": service, "columns": rows.COLUMNS, "required": rows.REQUIRED}
    if request.method == "GET":
        return render(request, "interop/referrals_import.jinja", {**context, "form": UploadForm()})
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request, "interop/referrals_import.jinja", {**context, "form": form}, status=422
        )
    text = form.cleaned_data["text"]
    if request.POST.get("action") == "import":
        done = rows.import_rows(text=text, service=service, by=request.user)
        return render(request, "interop/referrals_imported.jinja", {**context, "done": done})
    preview = rows.read(text, service=service)
    status = 422 if preview.file_errors else 200
    context |= {"form": form, "preview": preview, "text": text}
    return render(request, "interop/referrals_import.jinja", context, status=status)


@permission_required(Perm.CASEWORK)
def template_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(rows.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="linkwork-referrals-template.csv"'
    return response
