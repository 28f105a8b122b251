from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login


def kb_read_required(view):
    """Anyone may read while KB_PUBLIC_READ is on; otherwise readers must sign in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.KB_PUBLIC_READ and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper
