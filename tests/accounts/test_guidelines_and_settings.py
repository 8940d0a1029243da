"""Community guidelines at signup, and a member's own settings page."""

from django.utils import timezone

from accounts.models import User
from forum import services
from tests.conftest import PASSWORD, client_for


def signup_data(**overrides):
    data = {"username": "quiet_fern", "email": "fern@example.org", "password1": PASSWORD, "password2": PASSWORD}
    data.update(overrides)
    return data


def test_signup_without_accepting_the_guidelines_is_refused_and_keeps_the_draft(reader, db):
    response = reader.post("/accounts/signup/", signup_data())
    html = response.content.decode()
    assert response.status_code == 200
    assert not User.objects.filter(username="quiet_fern").exists()
    assert "Please read the community guidelines and tick the box to join." in html
    assert 'value="quiet_fern"' in html and 'value="fern@example.org"' in html


def test_signup_with_the_box_ticked_stores_when_the_guidelines_were_accepted(reader, db):
    before = timezone.now()
    response = reader.post("/accounts/signup/", signup_data(guidelines="on"))
    assert response.status_code == 302
    member = User.objects.get(username="quiet_fern")
    assert member.guidelines_accepted_at is not None and member.guidelines_accepted_at >= before


def test_the_signup_form_links_to_the_guidelines_from_its_checkbox(reader, db):
    html = reader.get("/accounts/signup/").content.decode()
    assert 'name="guidelines"' in html and "required" in html
    assert '<a href="/guidelines/" target="_blank" rel="noopener">community guidelines</a>' in html


def test_the_guidelines_page_says_what_the_community_asks_and_where_to_get_help(reader, db):
    page = reader.get("/guidelines/").content.decode()
    for phrase in (
        "Be kind",
        "Share experiences, not instructions",
        "No sourcing or selling",
        "No method details of suicide or self-harm",
        "Use content warnings",
        "This is peer support, not a crisis service",
        "Find A Helpline",  # a reader we know nothing about: the worldwide directory
    ):
        assert phrase in page, phrase
    assert 'href="/help/"' in page


def test_the_guidelines_are_linked_beside_every_reply_and_thread_form(member_client, thread):
    for url in (thread.get_absolute_url(), f"/t/{thread.pk}/reply/", f"/c/{thread.category.slug}/new/"):
        html = member_client.get(url).content.decode()
        # The posting form: the page's other forms (follow, reactions) are not for writing.
        form = html[html.index('class="post-form', html.index("<main")):]
        form = form[: form.index("</form>")]
        assert 'href="/guidelines/"' in form, url


def test_a_member_saves_their_region_and_reading_settings(member, member_client):
    response = member_client.post(
        "/settings/", {"region": "AU", "always_expand_warnings": "on", "hidden_warnings": ["trauma", "other"]}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.region == "AU"
    assert member.always_expand_warnings is True
    assert member.hidden_warnings == ["other", "trauma"]
    page = member_client.get("/settings/").content.decode()
    assert "Your settings are saved." in page
    assert '<option value="AU" selected>Australia</option>' in page
    assert 'Call <a href="tel:131114">13 11 14</a> or text' in page


def test_settings_refuse_a_region_that_has_no_lines(member, member_client):
    response = member_client.post("/settings/", {"region": "XX"})
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.region == ""


def test_settings_need_an_account(reader, db):
    response = reader.get("/settings/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_member_can_clear_their_region_to_let_their_browser_decide_again(db):
    from tests.conftest import make_member

    member = make_member("rowan", region="GB")
    client_for(member).post("/settings/", {"region": ""})
    member.refresh_from_db()
    assert member.region == ""
    client = client_for(member)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en-AU"
    assert 'Call <a href="tel:131114">13 11 14</a>' in client.get("/").content.decode()


def test_settings_pages_show_the_members_thread_lists_without_hidden_threads(member, member_client, category):
    services.thread_create(author=member, category=category, title="Flashbacks after session 3", body="...",
                           content_warning="trauma")
    member_client.post("/settings/", {"hidden_warnings": ["trauma"]})
    html = member_client.get(category.get_absolute_url()).content.decode()
    assert "Flashbacks after session 3" not in html
    assert "left out of this list, as your" in html


def test_the_guidelines_box_is_the_last_field_before_the_button(reader, db):
    html = reader.get("/accounts/signup/").content.decode()
    assert html.index('name="password2"') < html.index('name="guidelines"')
