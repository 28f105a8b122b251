from django.conf import settings
from rest_framework import permissions


class KnowledgeBasePermission(permissions.DjangoModelPermissions):
    """Reads are open while KB_PUBLIC_READ is on (else sign-in is needed); writes need model rights."""

    authenticated_users_only = False

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return settings.KB_PUBLIC_READ or bool(request.user and request.user.is_authenticated)
        if not (request.user and request.user.is_authenticated):
            return False
        if getattr(view, "queryset", None) is None and not hasattr(view, "get_queryset"):
            return request.user.is_staff
        return super().has_permission(request, view)
