"""Error pages that never echo the request, the exception or any object (privacy invariant 3)."""

from django.shortcuts import render


def _error(request, status, title, message):
    return render(request, "error.html", {"status": status, "title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "Requête incorrecte", "La demande n'a pas pu être comprise.")


def permission_denied(request, exception=None):
    return _error(request, 403, "Accès refusé", "Vous n'avez pas accès à cette page.")


def page_not_found(request, exception=None):
    return _error(request, 404, "Page introuvable", "Cette page n'existe pas ou vous n'y avez pas accès.")


def server_error(request):
    return _error(request, 500, "Erreur du serveur", "Une erreur est survenue. L'équipe technique est prévenue.")
