from django import template

from safety import crisis, search_help

register = template.Library()


@register.filter
def asks_for_method(text: str) -> bool:
    """Whether a post's text asks for or gives method details (why it was held)."""
    return crisis.method_details(text or "")


@register.filter
def reads_as_crisis(query: str) -> bool:
    """Whether a search query reads as someone looking for help right now."""
    return search_help.is_crisis_query(query or "")
