from . import resources


def crisis_lines(request):
    """The crisis lines every page shows, for the reader's region: from the cache, no
    query on a warm page."""
    reader_region = resources.reader_region(request)
    region = reader_region.code
    lines = resources.lines_for(region)
    return {
        "crisis_banner": resources.banner_for(region, lines),
        "crisis_region": reader_region,
        "crisis_regions": resources.region_choices(),
        "crisis_lines": lines,
    }
