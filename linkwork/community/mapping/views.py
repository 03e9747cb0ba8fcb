"""Pages for citizen asset mapping: submit, walks, the review queue, the photo."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from linkwork.accounts.decorators import permission_required
from linkwork.accounts.permissions import has_permission
from linkwork.accounts.roles import Perm
from linkwork.community.mapping import services
from linkwork.community.mapping.models import AssetSubmission, MappingWalk, SubmissionStatus
from linkwork.community.panels.selectors import panels_of
from linkwork.directory.models import TaxonomyTerm, Vocabulary
from linkwork.errors import Conflict, InvalidInput
from linkwork.pages import put_errors
from linkwork.places.models import Area, AreaType
from linkwork.referrals.forms_referrer import DateField


class SubmissionForm(forms.Form):
    name = forms.CharField(
        label="What is it called?",
        max_length=200,
        required=False,
        help_text="Or a short name, like “Bench group in Queen's Park”.",
    )
    description = forms.CharField(
        label="What happens there, and who is it for?",
        widget=forms.Textarea,
        max_length=5000,
        required=False,
    )
    where = forms.CharField(label="Where is it?", max_length=300, required=False)
    postcode = forms.CharField(
        label="Postcode, if you know it (optional)", max_length=10, required=False
    )
    activity = forms.ChoiceField(label="What kind of activity is it? (optional)", required=False)
    photo = forms.FileField(
        label="A photo (optional)",
        required=False,
        help_text="JPEG, PNG or WebP, smaller than 2 MB. Please do not "
        "include people who have not agreed.",
    )
    credit_name = forms.CharField(
        label="How should we thank you? (optional)",
        max_length=100,
        required=False,
        help_text="For example, “Maureen from Tonge”. Leave it empty to stay unnamed.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [("", "Not sure")] + list(
            TaxonomyTerm.objects.filter(vocabulary=Vocabulary.ACTIVITY)
            .order_by("name")
            .values_list("code", "name")
        )


class WalkForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, required=False)
    neighbourhood = forms.ChoiceField(label="Neighbourhood", required=False)
    held_on = DateField(label="Date of the walk", required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].choices = [("", "Choose a neighbourhood")] + [
            (a.code, a.name)
            for a in Area.objects.filter(area_type=AreaType.NEIGHBOURHOOD).order_by("name")
        ]


def _title(form, title: str) -> str:
    return ("Error: " if form.errors else "") + title


@permission_required(Perm.ASSET_MAP)
def mapping_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "community/mapping/home.jinja",
        {
            "submissions": AssetSubmission.objects.filter(submitted_by=request.user),
            "walks": MappingWalk.objects.select_related("neighbourhood")[:20],
            "can_walk": has_permission(request.user, Perm.PANEL_DECIDE),
            "page_title": "Map what is near you",
        },
    )


@permission_required(Perm.ASSET_MAP)
def submit(request: HttpRequest) -> HttpResponse:
    walk = MappingWalk.objects.filter(pk=request.GET.get("walk") or 0).first()
    form = SubmissionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        photo = data["photo"].read(services.MAX_PHOTO_BYTES + 1) if data["photo"] else None
        try:
            services.submit_asset(
                name=data["name"],
                description=data["description"],
                where=data["where"],
                postcode=data["postcode"],
                activity_code=data["activity"],
                photo=photo,
                credit_name=data["credit_name"],
                walk=walk,
                by=request.user,
            )
        except InvalidInput as error:
            put_errors(form, error)
        else:
            messages.success(request, "Thank you: a link worker will check it and add it.")
            return redirect("mapping-walk", pk=walk.pk) if walk else redirect("mapping-home")
    return render(
        request,
        "community/mapping/submit.jinja",
        {"form": form, "walk": walk, "page_title": _title(form, "Tell us about a place or group")},
    )


@permission_required(Perm.PANEL_DECIDE)
def walk_new(request: HttpRequest) -> HttpResponse:
    form = WalkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        area = Area.objects.filter(
            code=data["neighbourhood"], area_type=AreaType.NEIGHBOURHOOD
        ).first()
        try:
            walk = services.start_walk(
                neighbourhood=area,
                title=data["title"],
                held_on=data["held_on"],
                panel=panels_of(request.user).first(),
                by=request.user,
            )
        except InvalidInput as error:
            put_errors(form, error)
        else:
            return redirect("mapping-walk", pk=walk.pk)
    return render(
        request,
        "community/mapping/walk_form.jinja",
        {"form": form, "page_title": _title(form, "Run a mapping walk")},
    )


@permission_required(Perm.ASSET_MAP)
def walk(request: HttpRequest, pk: int) -> HttpResponse:
    """What a walk added: every submission's name and status, and who to thank."""
    walk = get_object_or_404(MappingWalk.objects.select_related("neighbourhood"), pk=pk)
    return render(
        request,
        "community/mapping/walk.jinja",
        {
            "walk": walk,
            "submissions": walk.submissions.select_related("asset"),
            "page_title": walk.title,
        },
    )


@permission_required(Perm.DIRECTORY_CURATE)
def review_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "community/mapping/review.jinja",
        {
            "pending": AssetSubmission.objects.filter(status=SubmissionStatus.PENDING)
            .select_related("activity", "neighbourhood", "walk")
            .defer("photo"),
            "page_title": "Places and groups residents told us about",
        },
    )


@permission_required(Perm.DIRECTORY_CURATE)
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_object_or_404(AssetSubmission, pk=pk)
    accept = request.POST.get("decision") == "accept"
    try:
        submission = services.review_submission(
            submission=submission,
            accept=accept,
            note=request.POST.get("note", ""),
            by=request.user,
        )
    except (InvalidInput, Conflict) as error:
        text = " ".join(error.errors.values()) if isinstance(error, InvalidInput) else error.message
        messages.error(request, text)
    else:
        messages.success(
            request,
            f"“{submission.name}” added to the directory."
            if accept
            else f"“{submission.name}” not added.",
        )
    return redirect("mapping-review")


@login_required
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A submission's photo, for reviewers and the person who sent it only."""
    submission = get_object_or_404(AssetSubmission, pk=pk)
    if not submission.photo:
        raise Http404
    curator = has_permission(request.user, Perm.DIRECTORY_CURATE)
    if not curator and submission.submitted_by_id != request.user.pk:
        raise PermissionDenied
    response = HttpResponse(bytes(submission.photo), content_type=submission.photo_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response
