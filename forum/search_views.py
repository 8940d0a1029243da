"""The search page. A query that reads as a crisis shows the reader's crisis lines: the
template asks safety's `reads_as_crisis` filter."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from . import search

UNSEARCHABLE = _(
    "Your search has an invisible character in it that we cannot search for. Please type the words again."
)


def search_view(request):
    raw = request.GET.get("q") or ""
    if "\x00" in raw:  # PostgreSQL refuses NUL in any text
        query = search.clean_query(raw.replace("\x00", ""))
        context = {"results": search.SearchResults(query=query, page=None, hits=[]), "query": query,
                   "error": UNSEARCHABLE}
        return render(request, "forum/search.html", context, status=400)
    results = search.search(request.user, raw, request.GET.get("page"))
    return render(request, "forum/search.html", {"results": results, "query": results.query})
