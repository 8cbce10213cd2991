"""The page envelope of list endpoints: count, page, pages, next, previous, results."""

from rest_framework.utils.urls import replace_query_param


def page_envelope(request, page, results: list) -> dict:
    """`page` is a Django Page; `results` its objects as the endpoint writes them. `next` and
    `previous` are the request's own URL with another `page`, so filters carry over."""
    url = request.build_absolute_uri()
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": replace_query_param(url, "page", page.next_page_number())
        if page.has_next()
        else None,
        "previous": replace_query_param(url, "page", page.previous_page_number())
        if page.has_previous()
        else None,
        "results": results,
    }
