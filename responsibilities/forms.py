from knowledge.forms import CITATION_FIELDS, VersionedModelForm

from .models import Duty


class DutyForm(VersionedModelForm):
    class Meta:
        model = Duty
        fields = (
            "category",
            "title_en",
            "title_nb",
            "description_en",
            "description_nb",
            "involvement",
            *CITATION_FIELDS,
        )
