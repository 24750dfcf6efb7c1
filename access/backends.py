"""Guardian's object-permission backend, answering for situations from the grant ledger.

Guardian reads its direct foreign-key tables through `Permission`'s reverse relations, which know
nothing of a row's end: for a situation, `user.has_perm("casework.view_situation", situation)`
must say what every list and page says, so it asks the ledger (live rows, role and charter).
"""

from guardian.backends import ObjectPermissionBackend

from access import ledger


class LedgerBackend(ObjectPermissionBackend):
    def has_perm(self, user_obj, perm, obj=None):
        if obj is not None and obj._meta.label_lower == "casework.situation":
            return ledger.holds(user_obj, obj, perm.split(".")[-1])
        return super().has_perm(user_obj, perm, obj)
