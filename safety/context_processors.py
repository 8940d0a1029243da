from django.utils.translation import get_language

from . import resources


def crisis_lines(request):
    """The crisis lines every page shows, for the reader's region: from the cache, no
    query on a warm page. Worked out once per request and language: a thread page renders
    three templates with the request (the tree, the reply box, the page), and each would
    otherwise read the region's lines again."""
    language = get_language()
    known = getattr(request, "_crisis_lines", None)
    if known is not None and known[0] == language:
        return known[1]
    reader_region = resources.reader_region(request)
    region = reader_region.code
    lines = resources.lines_for(region)
    context = {
        "crisis_banner": resources.banner_for(region, lines),
        "crisis_region": reader_region,
        "crisis_regions": resources.region_choices(),
        "crisis_lines": lines,
    }
    request._crisis_lines = (language, context)
    return context
