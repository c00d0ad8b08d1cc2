"""Middleware of the browser pages."""

import time

from django.conf import settings
from django.shortcuts import render

SESSION_RENEWED = "_idle_renewed"  # the session key holding when its expiry was last pushed back (epoch s)


class MethodNotAllowedPage:
    """A page opened with a method it does not take (a form's address typed into the address bar, a
    bookmarked POST) answers 405 with a Chinese sentence instead of Django's empty body. The API answers
    its own 405 in JSON (core.api)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.path.startswith("/api/"):
            return response
        page = render(
            request,
            "error.html",
            {"message": "该地址只受理页面上的表单提交，不能直接打开。请回到项目页面办理。"},
            status=405,
        )
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page


class SessionIdleRenewal:
    """The idle timeout (SESSION_COOKIE_AGE after the last request) at one write a minute, not one a request.
    Django's SESSION_SAVE_EVERY_REQUEST writes the session — a transaction and a committed UPDATE on
    PostgreSQL, the cache — on every request, the cost of a whole page again at a province's scale; here a
    request pushes the expiry back only when the last push is `SESSION_RENEW_SECONDS` (60) old, so a session
    ends between 29 and 30 idle minutes after its last request, never later. After SessionMiddleware, so that
    its response sees the session modified and saves it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.every = getattr(settings, "SESSION_RENEW_SECONDS", 60)

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.session_key is None or session.is_empty():
            return response  # no session, a fresh anonymous one, or one just flushed at logout
        if int(time.time()) - session.get(SESSION_RENEWED, 0) >= self.every:
            session_renewed(session)  # modified: SessionMiddleware saves it with a new expiry
        return response


def session_renewed(session) -> None:
    """Mark `session` as renewed now (core.signals does so at login, whose save starts the expiry)."""
    session[SESSION_RENEWED] = int(time.time())
