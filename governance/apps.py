from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self):
        from knowledge import drafting, feed

        from .desk import Desk
        from .services import PUBLICATION_CREATED

        drafting.register(Desk())
        feed.register_event_type(
            PUBLICATION_CREATED,
            "An approver published a role's draft as its next numbered publication (`role`, `data.number`).",
        )
