"""The search page. Kept beside forum/views.py so the thread views stay the lead's."""

from django.shortcuts import render

from moderation import resources

from . import search


def search_view(request):
    results = search.search(request.user, request.GET.get("q"), request.GET.get("page"))
    context = {"results": results, "query": results.query}
    if results.is_crisis_query:
        region = resources.region_for(request)
        context["crisis_lines"] = resources.lines_for(region)
        context["crisis_help"] = resources.banner_for(region)
    return render(request, "forum/search.html", context)
