from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = "Accès et partenaires"

    def ready(self):
        # Imports here, not at the top: models load only once the app registry is ready.
        from access.ledger import forget_permission_ids

        # Permission rows are recreated with new ids when a database is flushed (tests) or migrated.
        post_migrate.connect(forget_permission_ids, dispatch_uid="access.forget_permission_ids")
