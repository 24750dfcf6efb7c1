from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = "Stratégie locale"

    def ready(self):
        # Imports here, not at the top: models load only once the app registry is ready.
        from audit.registry import register_audited
        from strategy.models import (
            Action,
            Axis,
            CollectiveCount,
            CollectiveSession,
            Indicator,
            IndicatorValue,
            Progress,
            SituationAction,
            Strategy,
        )

        register_audited(SituationAction)
        register_audited(Strategy)
        register_audited(Axis)
        register_audited(Action, m2m_fields={"partners", "suggested_for_motifs"})
        register_audited(Indicator)
        register_audited(IndicatorValue)
        register_audited(Progress)
        register_audited(CollectiveSession)
        register_audited(CollectiveCount)
