from django.urls import path

from . import safety_views

app_name = "safety"

urlpatterns = [
    path("help/", safety_views.help_page, name="help"),
    path("help/region/", safety_views.region_choose, name="region"),
    path("guidelines/", safety_views.guidelines, name="guidelines"),
    path("crisis/check/", safety_views.crisis_check, name="crisis_check"),
]
