from django.test import RequestFactory, override_settings

from schakel.core.net import client_ip


def _request(remote="10.0.0.2", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_proxies_the_socket_address_counts():
    assert client_ip(_request(forwarded="1.2.3.4")) == "10.0.0.2"


@override_settings(SCHAKEL_TRUSTED_PROXY_COUNT=1)
def test_one_proxy_takes_the_last_forwarded_address_not_what_the_client_wrote():
    assert client_ip(_request(forwarded="6.6.6.6, 203.0.113.7")) == "203.0.113.7"


@override_settings(SCHAKEL_TRUSTED_PROXY_COUNT=2)
def test_two_proxies_and_bad_values_fall_back_safely():
    assert client_ip(_request(forwarded="6.6.6.6, 203.0.113.7, 10.0.0.1")) == "203.0.113.7"
    assert client_ip(_request(forwarded="203.0.113.7")) == "10.0.0.2"
    assert client_ip(_request(forwarded="nonsense, 10.0.0.1")) == "10.0.0.2"
