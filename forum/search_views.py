"""The search page. A query that reads as a crisis shows the reader's crisis lines: the
template asks safety's `reads_as_crisis` filter."""

from django.shortcuts import render

from . import search


def search_view(request):
    results = search.search(request.user, request.GET.get("q"), request.GET.get("page"))
    return render(request, "forum/search.html", {"results": results, "query": results.query})
