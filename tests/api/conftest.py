import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    """`api(user)`: a client acting as `user` (None: anonymous)."""

    def client_for(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user=user)
        return client

    return client_for
