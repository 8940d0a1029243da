from . import resources


def crisis_lines(request):
    """The crisis lines every page shows, for the reader's region: from the cache, no
    query on a warm page."""
    region = resources.region_for(request)
    return {
        "crisis_banner": resources.banner_for(region),
        "crisis_regions": resources.region_choices(),
        "crisis_lines": resources.lines_for(region),
    }
