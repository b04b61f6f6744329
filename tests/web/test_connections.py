"""Slow and half-open connections do not lock other clients out."""

from __future__ import annotations

import socket
from urllib.parse import urlparse

import requests


def test_half_open_connections_do_not_block_others(live_server):
    address = urlparse(live_server)
    stalled = []
    try:
        for _ in range(12):  # more than the server's request threads
            sock = socket.create_connection((address.hostname, address.port), timeout=5)
            sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n")  # headers never finished
            stalled.append(sock)
        for _ in range(3):
            response = requests.get(f"{live_server}/api/search", params={"q": "ghana"}, timeout=5)
            assert response.status_code == 200
            assert any(hit["iri"].endswith("/state/ghana") for hit in response.json()["results"])
    finally:
        for sock in stalled:
            sock.close()
