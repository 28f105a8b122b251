from rest_framework import viewsets

from . import serializers as s
from .models import Duty, DutyCategory


class DutyCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    queryset = DutyCategory.objects.all()
    serializer_class = s.DutyCategorySerializer


class DutyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Duty.objects.select_related("role", "category", "source")
    serializer_class = s.DutySerializer
    filterset_fields = ("role__slug", "category__slug", "involvement", "source__slug", "editorial")
