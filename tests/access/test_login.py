from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.factories import PASSWORD, verified_login

LOGIN = "/connexion/"


def _post_login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def test_it_shows_the_login_form(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert 'autocomplete="current-password"' in response.content.decode()


def test_it_logs_in_with_the_right_password(client, alice):
    response = _post_login(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(alice.pk)


def test_it_refuses_a_wrong_password(client, alice):
    response = _post_login(client, "alice", "wrong-Password-1")
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_it_shows_a_french_error_linked_to_the_form(client, alice):
    response = _post_login(client, "alice", "wrong-Password-1")
    assert 'role="alert"' in response.content.decode()
    assert "Identifiant ou mot de passe incorrect." in response.content.decode()  # the field's own name


def test_it_gives_the_same_answer_for_an_unknown_account(client, alice):
    wrong_password = _post_login(client, "alice", "wrong-Password-1").context["form"].errors
    unknown = _post_login(client, "nobody", "wrong-Password-1").context["form"].errors
    assert wrong_password == unknown


def test_it_redirects_an_already_signed_in_user(client, alice):
    verified_login(client, alice)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_it_follows_a_local_next(client, alice):
    response = _post_login(client, "alice", PASSWORD, next="/situations/?page=2")
    assert response.url == "/situations/?page=2"


def test_it_ignores_a_next_pointing_elsewhere(client, alice):
    response = _post_login(client, "alice", PASSWORD, next="https://evil.example/")
    assert response.url == reverse("home")


def test_it_locks_the_identifier_from_this_address_after_five_failures(client, alice):
    for _ in range(5):
        _post_login(client, "alice", "wrong-Password-1")
    response = _post_login(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "access/locked_out.html" in [t.name for t in response.templates]


def test_a_locked_identifier_is_not_signed_in_even_with_the_right_password(client, alice):
    for _ in range(5):
        _post_login(client, "alice", "wrong-Password-1")
    _post_login(client, "alice", PASSWORD)
    assert SESSION_KEY not in client.session


def test_the_locked_page_does_not_name_the_account(client, alice):
    for _ in range(5):
        _post_login(client, "alice", "wrong-Password-1")
    response = _post_login(client, "alice", PASSWORD)
    assert "alice" not in response.content.decode().lower()


def test_the_lock_is_per_account(client, alice, bob):
    for _ in range(5):
        _post_login(client, "alice", "wrong-Password-1")
    response = _post_login(client, "bob", PASSWORD)
    assert response.status_code == 302


def test_the_lock_is_per_address(client, alice):
    """Nobody can lock someone else out: the failures from one address leave the others free
    (tests/access/test_throttling.py has the growing lock and the delay)."""
    for _ in range(5):
        client.post(LOGIN, {"username": "alice", "password": "wrong-Password-1"}, REMOTE_ADDR="192.0.2.1")
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="192.0.2.2")
    assert response.status_code == 302


def test_logout_needs_a_post(client, alice):
    verified_login(client, alice)
    assert client.get("/deconnexion/").status_code == 405


def test_logout_ends_the_session(client, alice):
    verified_login(client, alice)
    response = client.post("/deconnexion/")
    assert response.url == reverse("access:login")
    assert SESSION_KEY not in client.session


def test_the_fields_point_to_a_wrong_password_error(client, alice):
    content = _post_login(client, "alice", "wrong-Password-1").content.decode()
    assert 'aria-describedby="form-errors"' in content
