from django.urls import path

from . import views

app_name = "safety"

urlpatterns = [
    path("help/", views.help_page, name="help"),
    path("help/region/", views.region_choose, name="region"),
    path("help/region/guess/", views.region_guess, name="region_guess"),
    path("help/safety-plan/", views.plan_detail, name="plan"),
    path("help/safety-plan/edit/", views.plan_edit, name="plan_edit"),
    path("help/safety-plan/print/", views.plan_print, name="plan_print"),
    path("help/safety-plan/my-safety-plan.txt", views.plan_text, name="plan_text"),
    path("help/safety-plan/delete/", views.plan_delete, name="plan_delete"),
    path("guidelines/", views.guidelines, name="guidelines"),
    path("crisis/check/", views.crisis_check, name="crisis_check"),
]
