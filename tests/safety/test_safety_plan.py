"""A member's own safety plan: private, shown first when it is needed, printable, copied
as text, in the data export and erased with the account."""

import json

import pytest

from accounts import services as account_services
from safety import safety_plan, services
from safety.models import SafetyPlan
from tests.conftest import client_for

CONCERN = "Some nights I wish I could go to sleep and not wake up."
PLAN = {
    "warning_signs": "Not answering texts\nStaying in bed past noon",
    "coping_alone": "Walk to the river\nHot shower",
    "distractions": "The library café",
    "people_to_ask": "My sister Jo, 07700 900123",
    "professionals": "Dr Amin at the surgery\nSamaritans 116 123",
    "safer_surroundings": "Give the spare pills to Jo",
    "reasons_for_living": "My cat Pebble\nSeeing the sea in June",
}


@pytest.fixture
def plan(member):
    return services.safety_plan_save(member=member, **PLAN)


def test_a_member_writes_a_plan_step_by_step_and_sees_it_in_order(member):
    client = client_for(member)
    assert client.get("/help/safety-plan/").url == "/help/safety-plan/edit/"  # none yet: the form
    form = client.get("/help/safety-plan/edit/").content.decode()
    headings = [step.heading for step in safety_plan.STEPS]
    assert [form.index(heading) for heading in headings] == sorted(form.index(heading) for heading in headings)
    response = client.post("/help/safety-plan/edit/", PLAN, follow=True)
    html = response.content.decode()
    assert "Your safety plan is saved. Only you can see it." in html
    assert html.index("Not answering texts") < html.index("Walk to the river") < html.index("My cat Pebble")


def test_each_step_may_stay_empty_and_a_long_one_is_refused_keeping_the_rest(member):
    client = client_for(member)
    response = client.post("/help/safety-plan/edit/", {"reasons_for_living": "Pebble", "coping_alone": "x" * 2001})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please keep each step under 2,000 characters" in html and "Pebble</textarea>" in html
    assert not SafetyPlan.objects.filter(member=member).exists()
    client.post("/help/safety-plan/edit/", {"reasons_for_living": "Pebble"})
    assert SafetyPlan.objects.get(member=member).reasons_for_living == "Pebble"


def test_the_plan_is_shown_first_in_the_composers_crisis_note(plan, member):
    note = client_for(member).post("/crisis/check/", {"text": CONCERN}).json()["note_html"]
    assert "Here is the safety plan you wrote." in note
    assert note.index("My cat Pebble") < note.index("you can also talk to someone right now")


def test_the_plan_comes_first_on_help_for_its_member(plan, member):
    html = client_for(member).get("/help/").content.decode()
    main = html[html.index("<main"):]
    assert main.index("Your safety plan") < main.index('class="lead"') < main.index('class="help-region')
    assert "Give the spare pills to Jo" in main


def test_nobody_else_sees_the_plan_not_even_a_moderator(plan, other_member, moderator, reader):
    for client in (client_for(other_member), client_for(moderator), reader):
        for url in ("/help/", "/help/safety-plan/print/", "/help/safety-plan/my-safety-plan.txt", "/help/safety-plan/"):
            response = client.get(url)
            assert "Pebble" not in response.content.decode(), url
    note = client_for(moderator).post("/crisis/check/", {"text": CONCERN}).json()["note_html"]
    assert "Pebble" not in note
    for path in ("/moderation/", f"/moderation/members/{plan.member_id}/"):
        assert "Pebble" not in client_for(moderator).get(path).content.decode()


def test_the_plan_is_not_in_the_admin(plan, admin_user):
    assert client_for(admin_user).get("/admin/safety/safetyplan/").status_code == 404


def test_plan_pages_are_for_members_and_never_cached(plan, member, reader):
    assert reader.get("/help/safety-plan/").status_code == 302
    for url in ("/help/safety-plan/", "/help/safety-plan/print/", "/help/safety-plan/my-safety-plan.txt", "/help/"):
        cache_control = client_for(member).get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url


def test_the_printable_page_has_the_plan_and_the_members_lines(plan, member):
    member.region = "IE"
    member.save(update_fields=["region"])
    html = client_for(member).get("/help/safety-plan/print/").content.decode()
    assert "<h1>My safety plan</h1>" in html and "Seeing the sea in June" in html
    assert "50808" in html and "In immediate danger: call 999 or 112." in html
    assert 'data-print hidden' in html  # the button appears with the script; the browser's Print works anyway


def test_the_plan_copies_and_downloads_as_plain_text_to_share_where_the_member_chooses(plan, member):
    client = client_for(member)
    download = client.get("/help/safety-plan/my-safety-plan.txt")
    assert download["Content-Type"].startswith("text/plain")
    assert 'attachment; filename="my-safety-plan.txt"' == download["Content-Disposition"]
    text = download.content.decode()
    assert text.startswith("My safety plan\n")
    assert "1. My warning signs\n   - Not answering texts\n   - Staying in bed past noon" in text
    assert "7. My reasons for living\n   - My cat Pebble" in text
    page = client.get("/help/safety-plan/").content.decode()
    assert '<textarea id="plan-as-text"' in page and "7. My reasons for living" in page
    # On the page too, each step keeps its number in the whole plan, whichever are filled.
    services.safety_plan_save(member=member, warning_signs="", distractions="")
    page = client.get("/help/safety-plan/").content.decode()
    assert '<li class="plan-step" value="2">' in page and '<li class="plan-step" value="1">' not in page


def test_the_plan_is_in_the_data_export(plan, member):
    data = json.loads(client_for(member).get("/settings/my-data/").content)
    steps = {step["step"]: step["text"] for step in data["safety_plan"]["steps"]}
    assert steps["My reasons for living"] == PLAN["reasons_for_living"]


def test_the_plan_is_erased_with_the_account(plan, member):
    account_services.member_delete(member=member, remove_posts=False)
    assert not SafetyPlan.objects.exists()


def test_a_member_deletes_their_plan(plan, member):
    client = client_for(member)
    assert client.get("/help/safety-plan/delete/").status_code == 200
    client.post("/help/safety-plan/delete/")
    assert not SafetyPlan.objects.exists()
    assert "Make a safety plan" in client.get("/help/").content.decode()
