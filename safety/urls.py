from django.urls import path

from . import views

app_name = "safety"

urlpatterns = [
    path("help/", views.help_page, name="help"),
    path("help/region/", views.region_choose, name="region"),
    path("help/region/guess/", views.region_guess, name="region_guess"),
    path("guidelines/", views.guidelines, name="guidelines"),
    path("crisis/check/", views.crisis_check, name="crisis_check"),
]
