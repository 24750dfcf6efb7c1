"""django-auditlog's middleware, with the client address read safely, plus the audit context."""

from auditlog.middleware import AuditlogMiddleware

from audit.context import request_context
from audit.request import client_ip


class AuditContextMiddleware(AuditlogMiddleware):
    @staticmethod
    def _get_remote_addr(request):
        # auditlog trusts the first X-Forwarded-For entry, which any client can forge.
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request):
        return None

    def __call__(self, request):
        with request_context(request):
            return super().__call__(request)
