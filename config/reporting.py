"""Error reports (e-mails to admins, debug pages) never carry request data or local variables.

Any of them may hold a young person's name or a note; the traceback and the view name are enough
to find a bug (privacy invariant 3).
"""

from django.views.debug import SafeExceptionReporterFilter


class RedactingExceptionReporterFilter(SafeExceptionReporterFilter):
    def is_active(self, request):
        return True

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return {key: self.cleansed_substitute for key in request.POST}

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]

    def get_safe_request_meta(self, request):
        return {}

    def get_safe_cookies(self, request):
        return {}
