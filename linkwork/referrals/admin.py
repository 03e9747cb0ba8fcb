from django.contrib import admin

from linkwork.referrals.models import ReferralCriteria


@admin.register(ReferralCriteria)
class ReferralCriteriaAdmin(admin.ModelAdmin):
    """Who each social prescribing service takes; referrals outside are flagged at triage.

    Casework itself (people, referrals) is not in Django's admin: it is read and changed
    only through the audited pages and API.
    """

    list_display = ["service", "minimum_age", "maximum_age"]
    autocomplete_fields = ["service", "areas", "registered_practices"]
