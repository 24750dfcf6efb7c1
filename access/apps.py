from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = "Accès et partenaires"

    def ready(self):
        # Imports here, not at the top: models load only once the app registry is ready.
        from access.ledger import forget_permission_ids
        from access.middleware import login_time_recorded

        # Permission rows are recreated with new ids when a database is flushed (tests) or migrated.
        post_migrate.connect(forget_permission_ids, dispatch_uid="access.forget_permission_ids")
        # The session's absolute lifetime counts from sign-in (access.middleware.SessionLifetimeMiddleware).
        user_logged_in.connect(login_time_recorded, dispatch_uid="access.login_time_recorded")
