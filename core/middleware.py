"""Middleware of the browser pages."""

from django.shortcuts import render


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
