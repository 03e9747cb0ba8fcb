"""The evaluation room: cohort outcomes with charts, a CSV of the figures and a printable
report; and the research export for administrators.

Who: commissioners (Perm.EVALUATION_VIEW) see every service; link workers
(Perm.EVALUATION_VIEW_OWN) see their own service's referrals only; everyone else gets
403, anonymous visitors are sent to sign in. The research export needs Perm.ADMINISTER.

Filters come by GET so a cohort can be bookmarked, shared and printed, and the page
works without JavaScript. A filter value that is not on the list (an unknown id, a
service outside the viewer's scope, a bad period) gives a 400 page that names it, with
the form to fix it; nothing is computed.

Every figure has been published by `linkwork.disclosure` in `evaluation/`;
the CSV holds exactly the page's figures (withheld ones as `*`), and each download is
audited as an export.
"""

import datetime as dt
import io
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from linkwork import csvsafe
from linkwork.accounts.decorators import permission_required
from linkwork.accounts.roles import Perm
from linkwork.audit.services import record_event
from linkwork.disclosure import active_rule, display
from linkwork.errors import Forbidden, InvalidInput
from linkwork.outcomes import evaluation, research_export
from linkwork.outcomes.instruments import ordered
from linkwork.pages import put_errors
from linkwork.periods import DEFAULT_PERIOD, MONTH_NAMES, parse_period

View = Callable[..., HttpResponse]


def evaluator(view: View) -> View:
    """Signed-in users whose roles may evaluate; the view gets their scope of services."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            services = evaluation.evaluation_scope(request.user)
        except Forbidden:
            raise PermissionDenied from None
        return view(request, services, *args, **kwargs)

    return guarded


# --- The filter form ---------------------------------------------------------------------


def period_choices(today: dt.date | None = None) -> list[tuple[str, str]]:
    """Periods offered in the form: recent months, years, financial years and quarters.
    Any other valid `?period=` still works (it is added to the list when asked for)."""
    today = today or timezone.localdate()
    choices = [(f"last-{n}-months", f"Last {n} months") for n in (3, 6, 12, 24, 36)]
    choices += [(str(year), str(year)) for year in range(today.year, today.year - 3, -1)]
    first_fy = today.year if today.month >= 4 else today.year - 1
    choices += [
        (f"FY{year}-{(year + 1) % 100:02d}", f"Financial year {year}-{(year + 1) % 100:02d}")
        for year in range(first_fy, first_fy - 3, -1)
    ]
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _ in range(6):
        first = 3 * quarter - 3
        choices.append(
            (f"{year}-Q{quarter}", f"{MONTH_NAMES[first]} to {MONTH_NAMES[first + 2]} {year}")
        )
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return choices


class EvaluationFilterForm(forms.Form):
    """The cohort, and what the charts show. Every field may be left as "any"."""

    period = forms.ChoiceField(label="Referred in", required=False)
    service = forms.ChoiceField(label="Service", required=False)
    asset = forms.ChoiceField(label="Connected to (went at least once)", required=False)
    neighbourhood = forms.ChoiceField(label="Neighbourhood", required=False)
    reason = forms.ChoiceField(label="Referral reason", required=False)
    source = forms.ChoiceField(label="Referred by", required=False)
    age_band = forms.ChoiceField(label="Age band at referral", required=False)
    imd_decile = forms.ChoiceField(label="IMD decile (1 = most deprived)", required=False)
    by = forms.ChoiceField(label="Compare change by", required=False)
    measure = forms.ChoiceField(label="Measure for the charts", required=False)

    def __init__(self, data, *, services: frozenset[int] | None) -> None:
        super().__init__(data)
        periods = period_choices()
        asked = str(data.get("period") or "").strip()
        if asked and asked not in dict(periods):
            try:
                found = parse_period(asked)
                periods.append((found.code, found.words.removeprefix("in ").capitalize()))
            except InvalidInput:
                pass  # the field reports it
        self.fields["period"].choices = periods
        for name, choices in evaluation.filter_choices(services).items():
            self.fields[name].choices = [("", "Any"), *choices]
            self.fields[name].error_messages["invalid_choice"] = evaluation.FILTER_ERRORS[name]
        self.fields["period"].error_messages["invalid_choice"] = (
            f"“{asked[:40]}” is not a period we know. Choose one from the list."
        )
        self.fields["by"].choices = list(evaluation.DIMENSIONS.items())
        self.fields["measure"].choices = [
            (m.key, f"{i.short_name}: {m.label}" if i else m.label)
            for i, m in evaluation.measures()
        ]
        self.fields["by"].error_messages["invalid_choice"] = "Choose what to compare by."
        self.fields["measure"].error_messages["invalid_choice"] = "Choose a measure."
        self.services = services


def _read(request: HttpRequest, services: frozenset[int] | None):
    """(form, filters, by, measure); filters is None when the query has errors."""
    data = request.GET.copy()
    default_by, default_measure = evaluation.parse_view(None, None, services)
    for name, default in (
        ("period", DEFAULT_PERIOD),
        ("by", default_by),
        ("measure", default_measure),
    ):
        if not data.get(name):
            data[name] = default
    form = EvaluationFilterForm(data, services=services)
    if not form.is_valid():
        return form, None, "", ""
    try:
        filters = evaluation.parse_filters(form.cleaned_data, services)
        by, measure = evaluation.parse_view(
            form.cleaned_data["by"], form.cleaned_data["measure"], services
        )
    except InvalidInput as error:
        put_errors(form, error)
        return form, None, "", ""
    return form, filters, by, measure


def _context(request: HttpRequest, services, form, filters, by, measure) -> dict:
    report = None
    if filters is not None:
        report = evaluation.evaluate(filters, services, by=by, measure=measure)
    query = request.GET.urlencode()
    if filters is not None:
        query = urlencode({**filters.query(), "by": by, "measure": measure})
    chosen = report.measure(measure) if report else None
    return {
        "form": form,
        "report": report,
        "chosen": chosen,
        "own_service": services is not None,
        "query": query,
        "instruments": ordered(),
        "withheld_words": lambda reason: evaluation.withheld_words(
            reason, report.rule if report else active_rule()
        ),
        "display": display,
        "page_title": "Evaluation",
    }


@require_GET
@evaluator
def evaluation_page(request: HttpRequest, services: frozenset[int] | None) -> HttpResponse:
    """Outcomes of a cohort: key figures, every measure, charts, money and healthcare."""
    form, filters, by, measure = _read(request, services)
    context = _context(request, services, form, filters, by, measure)
    return render(request, "outcomes/evaluation.jinja", context, status=200 if filters else 400)


@require_GET
@evaluator
def report(request: HttpRequest, services: frozenset[int] | None) -> HttpResponse:
    """The same figures as a report to print or save as PDF (a print stylesheet)."""
    form, filters, by, measure = _read(request, services)
    context = _context(request, services, form, filters, by, measure)
    context["page_title"] = "Outcomes report"
    return render(
        request, "outcomes/evaluation_report.jinja", context, status=200 if filters else 400
    )


# --- The CSV of the figures --------------------------------------------------------------

# Service and area names are anyone's text: csvsafe.Writer neutralises formulas.


def figure_rows(report: evaluation.EvaluationReport) -> list[list[str]]:
    """Every published figure as (section, group, measure, figure, value): the page's
    figures exactly, withheld ones as `*`."""
    rows: list[list[str]] = []

    def add(section: str, group: str, measure: str, figure: str, value) -> None:
        rows.append([section, group, measure, figure, display(value)])

    for text in report.filters.words():
        rows.append(["cohort", "", "", "filter", text])
    add("summary", "all", "", "people_referred", report.referred)
    for name, split in (("completion", report.completion), ("improved_any", report.improved_any)):
        add("summary", "all", "", f"{name}_people", split.total)
        add("summary", "all", "", f"{name}_yes", split.yes)
        add("summary", "all", "", f"{name}_no", split.no)
        add("summary", "all", "", f"{name}_percent", split.pct)
    for result in [*report.measures, *report.contacts]:
        _measure_rows(add, "measure", "all", result)
        for row in result.distribution:
            add("distribution", row.label, result.key, "people_at_baseline", row.baseline)
            add("distribution", row.label, result.key, "people_at_latest", row.latest)
    for money in report.money:
        add("money", "all", money.key, "people", money.people)
        add("money", "all", money.key, "total_pounds", money.total)
    for label, count in report.flags:
        add("other_outcomes", "all", label, "people", count)
    if report.breakdown is not None:
        found = report.breakdown
        for row in found.rows:
            _measure_rows(add, f"by_{found.dimension}", row.label, row.result)
        _measure_rows(add, f"by_{found.dimension}", "total", found.total)
    rule = report.rule
    rows.append(
        [
            "note",
            "",
            "",
            "disclosure",
            (
                f"Counts of people: 1 to {rule.threshold - 1} withheld (*), others rounded to the "
                f"nearest {rule.rounding}; statistics about fewer than {rule.threshold} people "
                "withheld; money totals rounded to the nearest £100."
            ),
        ]
    )
    if report.shows_swemwbs:
        rows.append(["note", "", "swemwbs", "copyright", _copyright("swemwbs")])
    return rows


def _measure_rows(add, section: str, group: str, result: evaluation.MeasureResult) -> None:
    for figure in (
        "people",
        "mean_baseline",
        "mean_latest",
        "mean_change",
        "ci_low",
        "ci_high",
        "improved",
        "no_change",
        "worse",
        "improved_pct",
        "no_change_pct",
        "worse_pct",
    ):
        add(section, group, result.key, figure, getattr(result, figure))
    if result.withheld:
        add(section, group, result.key, "withheld_because", result.withheld)


def _copyright(code: str) -> str:
    return next(i.copyright for i in ordered() if i.code == code)


@require_GET
@evaluator
def figures_csv(request: HttpRequest, services: frozenset[int] | None) -> HttpResponse:
    form, filters, by, measure = _read(request, services)
    if filters is None:
        problems = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in form.errors.items())
        return HttpResponse(
            f"The filters need fixing: {problems}\n", status=400, content_type="text/plain"
        )
    report = evaluation.evaluate(filters, services, by=by, measure=measure)
    buffer = io.StringIO()
    writer = csvsafe.Writer(buffer)
    writer.writerow(["section", "group", "measure", "figure", "value"])
    writer.writerows(figure_rows(report))
    record_event(
        by=request.user,
        action="evaluation_exported",
        object_type="evaluation",
        summary="evaluation figures CSV: "
        + " ".join(f"{k}={v}" for k, v in {**filters.query(), "by": by}.items()),
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"linkwork-evaluation-{filters.period.code}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


# --- The research export (administrators) ------------------------------------------------

administrators = permission_required(Perm.ADMINISTER)


@require_GET
@administrators
def research_export_page(request: HttpRequest) -> HttpResponse:
    """What the research export holds and leaves out, its data dictionary, the downloads."""
    return render(
        request,
        "outcomes/evaluation_research.jinja",
        {
            "columns": research_export.columns(),
            "rows": research_export.exported_referrals().count(),
            "key_configured": bool(settings.RESEARCH_EXPORT_KEY),
            "instruments": ordered(),
            "page_title": "Research export",
        },
    )


@require_GET
@administrators
def research_export_csv(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        research_export.export_rows(by=request.user), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{research_export.FILENAME}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@administrators
def research_export_dictionary(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        research_export.dictionary_csv(), content_type="text/csv; charset=utf-8"
    )
    name = research_export.DICTIONARY_FILENAME
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
