"""A worker populates the URL resolver in every language, compiles the live path's
templates and readies post screening before it takes traffic (config/warmup.py, called
by config/asgi.py)."""

from django.conf import settings
from django.template import engines
from django.urls import get_resolver

import config.asgi  # noqa: F401 - importing the application warms the worker up
from config import warmup


def test_the_resolver_is_ready_in_every_language_before_the_first_request():
    resolver = get_resolver()
    for cache in (resolver._reverse_dict, resolver._namespace_dict, resolver._app_dict):
        cache.clear()  # as in a fresh process
    warmup.warm_up()
    assert {code for code, _name in settings.LANGUAGES} <= set(resolver._reverse_dict)


def test_the_live_paths_templates_are_compiled_before_the_first_request():
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    warmup.warm_up()
    compiled = {key.split(":")[0] if isinstance(key, str) else key for key in loader.get_template_cache}
    for name in warmup.HOT_TEMPLATES:
        assert any(name in str(key) for key in compiled), name


def test_the_screening_every_post_goes_through_is_ready_before_the_first_reply():
    """Parsing and compiling the crisis rules took more than half a second of the first
    reply after a restart, with the worker's reconnect storm under way."""
    from safety import crisis

    crisis._rules.cache_clear()  # as in a fresh process
    crisis._assess_normalised.cache_clear()
    warmup.warm_up()
    assert crisis._rules.cache_info().currsize == 1
