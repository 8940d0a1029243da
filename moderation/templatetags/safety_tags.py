from django import template

from moderation import crisis

register = template.Library()


@register.filter
def asks_for_method(text: str) -> bool:
    """Whether a post's text asks for or gives method details (why it was held)."""
    return crisis.method_details(text or "")
