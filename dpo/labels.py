"""The journal in words: French labels for what the trail stores as codes.

The trail imports no app, so it stores codes: the screen (a name given by the view, or the URL name
of the request that caused a security event), the object's model (`casework.note`) and the kind.
The DPO reads French, so every code shown in the console or written in its CSV exports goes
through this one module. `tests/dpo/test_labels.py` fails when a screen the code records, a URL of
the project or a model has no label here.
"""

import re
from collections.abc import Mapping

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from access.models import Reason
from audit.models import Kind, Purpose

# Screens that show a situation among others (a row of a list): « a vu dans une liste ».
# Every other screen shows one situation on its own: « a ouvert la fiche ».
LIST_SCREENS = frozenset(
    {
        "situation_list",
        "home",
        "my_referrals",
        "overdue_referrals",
        "followup_list",
        "purge_schedule",
        "situation_create_duplicate",
        "dpo:break_glass",
        "dpo:consent_justifications",
    }
)

SCREEN_LABELS = {
    # Reads recorded by the screens themselves.
    "home": _("page d'accueil « À traiter »"),
    "situation_list": _("liste des situations"),
    "situation_detail": _("fiche de la situation"),
    "situation_print": _("impression de la fiche"),
    "situation_history": _("historique des modifications de la situation"),
    "situation_plan": _("plan d'accompagnement"),
    "step_abandon": _("abandon d'une étape du plan"),
    "dpo:consent_justifications": _("poursuites malgré un refus"),
    "person_merge": _("fusion de deux fiches d'une même personne"),
    "situation_edit": _("modification de la situation"),
    "situation_create_duplicate": _("doublons possibles à la saisine"),
    "situation_referrals": _("orientations de la situation"),
    "purge_schedule": _("purges à venir"),
    "referral_detail": _("fiche de l'orientation"),
    "referral_envoyer": _("envoi d'une orientation"),
    "referral_accepter": _("acceptation d'une orientation"),
    "referral_refuser": _("refus d'une orientation"),
    "referral_commencer": _("début d'un accompagnement"),
    "referral_terminer": _("fin d'une orientation"),
    "referral_abandonner": _("abandon d'une orientation"),
    "my_referrals": _("mes orientations"),
    "overdue_referrals": _("orientations en retard"),
    "followup_list": _("actions à suivre"),
    "seance_mode": _("mode séance (projection)"),
    "seance_item": _("point de l'ordre du jour"),
    "seance_identity": _("identité affichée en séance"),
    "seance_minutes": _("relevé de décisions"),
    "seance_addenda": _("addenda d'une séance"),
    # Security events take the URL name of the request that caused them.
    "accessibility": _("déclaration d'accessibilité"),
    "legal_notice": _("mentions légales"),
    "access:charter": _("charte déontologique"),
    "casework:signalement_create": _("enregistrement d'un signalement"),
    "casework:signalement_list": _("liste des signalements"),
    "evaluation:fiche_detail": _("suivi d'une fiche-action"),
    "evaluation:fiche_list": _("suivi des fiches-actions"),
    "notifications:notification_preferences": _("préférences de notification"),
    "seances:objective_status": _("état d'un objectif du plan"),
    "seances:situation_plan": _("plan d'accompagnement"),
    "seances:step_status": _("état d'une étape du plan"),
    "seances:step_abandon": _("abandon d'une étape du plan"),
    "access:proconnect_start": _("connexion avec ProConnect"),
    "access:proconnect_callback": _("retour de ProConnect"),
    "health": _("sonde de supervision"),
    "casework:person_merge": _("fusion de deux fiches d'une même personne"),
    "access:factor_resets": _("réinitialisations du second facteur"),
    "access:invitation": _("activation d'un compte par invitation"),
    "access:login": _("connexion"),
    "access:logout": _("déconnexion"),
    "access:keep_alive": _("prolongation de la session"),
    "access:mfa_enrol": _("enrôlement du second facteur"),
    "access:mfa_recovery": _("code de secours"),
    "access:mfa_verify": _("vérification du second facteur"),
    "access:passkey_remove": _("retrait d'une clé d'accès"),
    "access:passkeys": _("clés d'accès"),
    "otp_webauthn:credential-authentication-begin": _("connexion par clé d'accès"),
    "otp_webauthn:credential-authentication-complete": _("connexion par clé d'accès"),
    "otp_webauthn:credential-registration-begin": _("ajout d'une clé d'accès"),
    "otp_webauthn:credential-registration-complete": _("ajout d'une clé d'accès"),
    "otp_webauthn:js-i18n-catalog": _("traductions des clés d'accès"),
    "casework:association_create": _("association d'un partenaire"),
    "casework:association_end": _("fin d'une association"),
    "casework:break_glass_open": _("accès exceptionnel (bris de glace)"),
    "casework:information_create": _("information de la famille"),
    "casework:note_create": _("ajout d'une note"),
    "casework:notice": _("notice d'information"),
    "casework:previous_partner_end": _("fin de l'accès d'une saisine précédente"),
    "casework:purge_schedule": _("purges à venir"),
    "casework:situation_close": _("clôture d'une situation"),
    "casework:situation_create": _("nouvelle saisine"),
    "casework:situation_detail": _("fiche de la situation"),
    "casework:situation_edit": _("modification de la situation"),
    "casework:situation_list": _("liste des situations"),
    "casework:situation_print": _("impression de la fiche"),
    "casework:situation_history": _("historique des modifications de la situation"),
    "casework:situation_reopen": _("réouverture (nouvelle saisine)"),
    "dpo:accounts": _("comptes et droits"),
    "dpo:anomalies": _("anomalies"),
    "dpo:breach": _("violation de données"),
    "dpo:break_glass": _("accès exceptionnels"),
    "dpo:console": _("journal d'audit"),
    "dpo:export": _("export du journal"),
    "dpo:inventory": _("inventaire des données"),
    "dpo:inventory_markdown": _("inventaire des données (texte)"),
    "dpo:inventory_pdf": _("inventaire des données (PDF)"),
    "dpo:restriction": _("limitation du traitement"),
    "dpo:retention": _("durées de conservation"),
    "dpo:rights": _("demandes d'exercice des droits"),
    "dpo:rights_cancel": _("annulation d'une demande de droits"),
    "dpo:rights_confirm": _("confirmation d'une demande de droits"),
    "dpo:rights_detail": _("demande d'exercice des droits"),
    "dpo:rights_download": _("dossier du droit d'accès"),
    "dpo:situation": _("historique d'une situation"),
    "dpo:user": _("rapport d'activité d'un utilisateur"),
    "evaluation:dashboard": _("tableau de bord d'évaluation"),
    "evaluation:evaluation_home": _("évaluation"),
    "evaluation:report_pdf": _("bilan d'évaluation (PDF)"),
    "evaluation:report_xlsx": _("bilan d'évaluation (tableur)"),
    "notifications:notification_list": _("mes notifications"),
    "referrals:my_referrals": _("mes orientations"),
    "referrals:overdue": _("orientations en retard"),
    "referrals:referral_action": _("action sur une orientation"),
    "referrals:referral_detail": _("fiche de l'orientation"),
    "referrals:referral_note": _("note d'orientation"),
    "referrals:scheme_create": _("nouveau dispositif"),
    "referrals:scheme_deactivate": _("désactivation d'un dispositif"),
    "referrals:scheme_edit": _("modification d'un dispositif"),
    "referrals:scheme_list": _("catalogue des dispositifs"),
    "referrals:scheme_reactivate": _("réactivation d'un dispositif"),
    "referrals:situation_referrals": _("orientations de la situation"),
    "seances:followup_done": _("action réalisée"),
    "seances:followup_list": _("actions à suivre"),
    "seances:seance_addenda": _("addenda d'une séance"),
    "seances:seance_attendance": _("présence en séance"),
    "seances:seance_attendance_remove": _("retrait d'une présence"),
    "seances:seance_calendar": _("séance dans l'agenda (.ics)"),
    "seances:seance_close": _("clôture d'une séance"),
    "seances:seance_create": _("nouvelle séance"),
    "seances:seance_detail": _("page d'une séance"),
    "seances:seance_edit": _("modification d'une séance"),
    "seances:seance_identity": _("identité affichée en séance"),
    "seances:seance_invite": _("invitation à une séance"),
    "seances:seance_item": _("point de l'ordre du jour"),
    "seances:seance_item_add": _("ajout d'un point à l'ordre du jour"),
    "seances:seance_item_down": _("ordre du jour réordonné"),
    "seances:seance_item_remove": _("retrait d'un point de l'ordre du jour"),
    "seances:seance_item_up": _("ordre du jour réordonné"),
    "seances:seance_list": _("mes séances"),
    "seances:seance_minutes": _("relevé de décisions"),
    "seances:seance_mode": _("mode séance (projection)"),
    "seances:seance_proposal_accept": _("ordre du jour proposé accepté"),
    "seances:seance_start": _("ouverture d'une séance"),
    "seances:seance_uninvite": _("retrait d'une invitation"),
    "strategy:action_create": _("nouvelle fiche-action"),
    "strategy:action_edit": _("modification d'une fiche-action"),
    "strategy:action_status": _("état d'une fiche-action"),
    "strategy:axis_create": _("nouvel axe de la stratégie"),
    "strategy:axis_edit": _("modification d'un axe"),
    "strategy:situation_actions": _("fiches-actions d'une situation"),
    "strategy:strategy_create": _("nouvelle stratégie"),
    "strategy:strategy_edit": _("modification de la stratégie"),
    "strategy:strategy_list": _("stratégie territoriale"),
}
ADMIN_SCREEN = _("administration technique")
NO_SCREEN = _("traitement automatique")


def screen_label(code: str) -> str:
    """The screen in words; an unknown code is shown as it is rather than hidden."""
    if not code:
        return str(NO_SCREEN)
    if code.startswith("admin:"):
        return str(ADMIN_SCREEN)
    label = SCREEN_LABELS.get(code)
    return str(label) if label is not None else code


def is_list_screen(code: str) -> bool:
    return code in LIST_SCREENS


def object_label(object_type: str) -> str:
    """`casework.note` → « note »: the model's own French name."""
    if not object_type:
        return ""
    if object_type in MODEL_LABELS:
        return str(MODEL_LABELS[object_type])
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def kind_label(code: str) -> str:
    try:
        return str(Kind(code).label)
    except ValueError:
        return code


def purpose_label(code: str) -> str:
    try:
        return str(Purpose(code).label)
    except ValueError:
        return code


def grant_reason_label(code: str) -> str:
    try:
        return str(Reason(code).label)
    except ValueError:
        return code


def person_label(user) -> str:
    """« Alice Aubert (alice) »: the name the DPO knows, with the login that tells two namesakes apart."""
    if user is None:
        return ""
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


def row_person_label(row: Mapping) -> str:
    """`person_label` for a row of `values("user__username", "user__first_name", "user__last_name")`."""
    name = f"{row.get('user__first_name', '')} {row.get('user__last_name', '')}".strip()
    return f"{name} ({row['user__username']})" if name else row["user__username"]


# Fields Django named after their attribute (« created at »): the inventory shows them in French.
FIELD_LABELS = {
    "id": _("identifiant"),
    "uid": _("identifiant unique"),
    "data_key": _("clé de données"),
    "identity_index": _("empreinte d'identité"),
    "index_key": _("version de la clé des empreintes"),
    "last_name_key": _("empreinte du nom"),
    "first_name_key": _("empreinte du prénom"),
    "last_name_phonetic": _("empreinte phonétique du nom"),
    "first_name_phonetic": _("empreinte phonétique du prénom"),
    "last_name_bloom": _("empreinte approchée du nom (filtre de Bloom)"),
    "first_name_bloom": _("empreinte approchée du prénom (filtre de Bloom)"),
    "birth_date_key": _("empreinte de la date de naissance"),
    "created_at": _("créé le"),
    "created_by": _("créé par"),
    "updated_at": _("modifié le"),
    "version": _("version"),
    "person": _("jeune"),
    "situation": _("situation"),
    "author": _("auteur"),
    "actor": _("auteur de la modification"),
    "partner": _("partenaire"),
    "recorded_by": _("enregistré par"),
    "action": _("action"),
    "confirmed_by": _("confirmé par"),
    "confirmed_at": _("confirmé le"),
    "proposed_by": _("proposée par"),
    "justification": _("justification"),
    "last_reminder_at": _("dernière relance le"),
    "reminder_count": _("nombre de relances"),
    "date": _("date"),
    "started_by": _("ouverte par"),
    "closed_by": _("clôturée par"),
    "seance": _("séance"),
    "user": _("utilisateur"),
    "invited_by": _("invité par"),
    "invited_at": _("invité le"),
    "item": _("point de l'ordre du jour"),
    "added_by": _("ajouté par"),
    "added_at": _("ajouté le"),
    "decided_by": _("décidé par"),
    "decided_at": _("décidé le"),
    "done_by": _("réalisée par"),
    "opened_at": _("ouvert le"),
    "permission": _("permission"),
    "group": _("groupe"),
    "content_object": _("situation concernée"),
    "mac": _("sceau (HMAC)"),
    "seq": _("numéro dans la chaîne"),
    "chain": _("chaînage"),
    "object_pk": _("identifiant de l'objet"),
    "serialized_data": _("données sérialisées"),
    "remote_port": _("port distant"),
    "timestamp": _("date"),
    "additional_data": _("données complémentaires"),
    "actor_email": _("adresse de l'auteur"),
    "requested_by": _("demandée par"),
    "cancelled_by": _("annulée par"),
    "request": _("demande"),
    "expires_at": _("expire le"),
    "ended_by": _("terminée par"),
}


def field_label(field) -> str:
    """A model field in French: its own verbose name when one was given, else FIELD_LABELS."""
    name = str(field.verbose_name)
    if name != field.name.replace("_", " "):
        return name
    return str(FIELD_LABELS.get(field.name, name))


def field_is_labelled(field) -> bool:
    return str(field.verbose_name) != field.name.replace("_", " ") or field.name in FIELD_LABELS


# Models whose own verbose name is Django's default (in English, or French by chance but implicit).
MODEL_LABELS = {
    "access.datakey": _("clé de données"),
    "casework.motif": _("motif"),
    "casework.situation": _("situation"),
    "casework.referencecounter": _("compteur de références"),
    "casework.note": _("note"),
    "casework.information": _("information de la famille"),
    "seances.invitation": _("invitation à une séance"),
    "seances.addendum": _("addendum"),
    "audit.chainhead": _("tête de chaîne du journal"),
    "audit.purgewindow": _("fenêtre de purge du journal"),
    "notifications.notification": _("notification"),
}


PERMISSION_LABELS = {
    "view_situation": _("lecture"),
    "change_situation": _("modification"),
    "annotate_situation": _("ajout de notes"),
}
CHANGE_ACTIONS = {0: _("création"), 1: _("modification"), 2: _("suppression"), 3: _("consultation")}


def permission_label(codename: str) -> str:
    label = PERMISSION_LABELS.get(codename)
    return str(label) if label is not None else codename


# The trail names an account by its number in an event's detail (« utilisateur n° 6 », « demandé par
# n° 6 »): a detail is sealed in the chain, and a number stays true when the person is renamed.
USER_NUMBER = re.compile(r"\b(utilisateur|par) n° (\d+)")


def user_numbers(detail: str) -> set[int]:
    """The account numbers an event's detail names."""
    return {int(match.group(2)) for match in USER_NUMBER.finditer(detail or "")}


def detail_label(detail: str, people: Mapping | None = None) -> str:
    """An event's detail in words: the permission codes the ledger writes (`view_situation`) and the
    accounts it names by number (`people`, number → user) by name and login."""
    for codename, label in PERMISSION_LABELS.items():
        detail = detail.replace(codename, str(label))
    if not people:
        return detail

    def named(match: re.Match) -> str:
        user = people.get(int(match.group(2)))
        if user is None:
            return match.group(0)
        return person_label(user) if match.group(1) == "utilisateur" else f"par {person_label(user)}"

    return USER_NUMBER.sub(named, detail)


def change_action_label(action: int) -> str:
    label = CHANGE_ACTIONS.get(action)
    return str(label) if label is not None else str(action)
