"""The overview for the person, in easy words."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from .. import selectors
from ._common import _case, _page


@login_required
@require_GET
def easy_read(request, public_id):
    case = _case(request, public_id)
    context = {"overview": selectors.easy_read_for(actor=request.actor, case=case)}
    return _page(request, "cases/easy_read.html", case, "easy_read", context)
