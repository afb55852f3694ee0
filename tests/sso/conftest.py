"""Starts a real OpenID provider (tests/oidc_provider, django-oauth-toolkit) in a subprocess."""

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.factories import _cvr

ROOT = Path(__file__).resolve().parent.parent.parent
CLIENT_ID = "aaben-skole-test"
CLIENT_SECRET = "provider-test-secret-1234567890"
REDIRECT_URI = "http://testserver/login/sso/callback/"
PASSWORD = "provider password 42"
SCHOOL_SLUG = "sso-skole"
CVR = _cvr(777)


@dataclass
class Provider:
    base_url: str
    issuer: str
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    password: str = PASSWORD


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rsa_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("oidc_provider")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "PYTHONPATH": str(ROOT),
        "OIDC_PROVIDER_DB": str(workdir / "provider.sqlite3"),
        "OIDC_RSA_PRIVATE_KEY": _rsa_key_pem(),
        "OIDC_TEST_CLAIMS": json.dumps(
            {
                "lone": {"school": SCHOOL_SLUG, "school_role": "department_head"},
                "karl": {"cvr": CVR},
            }
        ),
    }
    django = [sys.executable, "-m", "django"]
    subprocess.run([*django, "migrate", "--no-input", "-v", "0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [
            *django,
            "setup_provider",
            f"--client-id={CLIENT_ID}",
            f"--client-secret={CLIENT_SECRET}",
            f"--redirect-uri={REDIRECT_URI}",
            f"--user=lone:{PASSWORD}:lone.larsen@skole.example:Lone Larsen",
            f"--user=karl:{PASSWORD}:karl@klub.example:Karl Kasserer",
        ],
        env=env,
        cwd=ROOT,
        check=True,
    )
    port = _free_port()
    log = (workdir / "server.log").open("w")
    server = subprocess.Popen(
        [*django, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    issuer = f"{base_url}/o"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError((workdir / "server.log").read_text())
            time.sleep(0.2)
        yield Provider(base_url=base_url, issuer=issuer)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
