from django.http import HttpRequest, HttpResponse


def public_round(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError
