"""The situation page's fiches-actions panel, drawn by the strategy app inside casework's template
(casework sits below the strategy and does not import it)."""

from django import template

from strategy import selectors
from strategy.services import may_confirm_actions

register = template.Library()


@register.inclusion_tag("strategy/_situation_actions.html", takes_context=True)
def situation_actions_panel(context, situation):
    user = context["request"].user
    links = list(selectors.confirmed_links(situation))
    may_confirm = may_confirm_actions(user, situation)
    proposals = selectors.proposed_actions(situation, {link.action_id for link in links}) if may_confirm else []
    return {
        "situation": situation,
        "action_links": links,
        "action_proposals": proposals,
        "may_confirm_actions": may_confirm,
        "csrf_token": context.get("csrf_token"),
    }
