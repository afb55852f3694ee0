"""`make run`: Django's development server and, beside it, a Celery worker with embedded beat,
started and stopped together.

    python scripts/run.py [--port 8000]

The worker runs the beat schedule of ``portal/settings/base.py`` (reminders, answer deadlines,
fair allocation, expiry of requests and approvals, child-certificate checks, digests) and
sends the e-mails, which the console backend prints in this terminal. Without REDIS_URL or
CELERY_BROKER_URL the broker is kombu's filesystem transport: messages are files under
``var/celery/`` (FILESYSTEM_BROKER_DIR), no server is needed. SITE_URL, the address in the
e-mails' links and the calendar URLs, is this server's address unless it is set.

Ctrl-C, the server stopping or this script being terminated (SIGTERM) stops both: the server's
process group is terminated, the worker gets a warm shutdown (it finishes its task and stops
its pool and beat), and whatever is left of either group is killed after ``STOP_TIMEOUT``
seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: kombu warns "No hostname was supplied" for a URL without a host; the transport ignores it.
FILESYSTEM_BROKER = "filesystem://localhost/"
STOP_TIMEOUT = 15


def environment(port: int, base: dict | None = None) -> dict:
    """The environment of the server and the worker: dev settings, this address as SITE_URL,
    the filesystem broker unless a broker is configured."""
    env = dict(os.environ if base is None else base)
    env.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    env.setdefault("SITE_URL", f"http://127.0.0.1:{port}")
    if not env.get("CELERY_BROKER_URL") and not env.get("REDIS_URL"):
        env["CELERY_BROKER_URL"] = FILESYSTEM_BROKER
        env.setdefault("FILESYSTEM_BROKER_DIR", str(ROOT / "var" / "celery"))
    env.setdefault("PYTHONUNBUFFERED", "1")  # e-mails and log lines in the order they happen
    return env


def worker_command(loglevel: str = "WARNING") -> list[str]:
    """One worker process with one pool process and beat embedded (``-B``)."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "portal",
        "worker",
        "--beat",
        f"--loglevel={loglevel}",
        "--concurrency=1",
        "--hostname=portal-run@%h",
        "--without-gossip",
        "--without-mingle",
    ]


def start(command: list[str], env: dict, **kwargs) -> subprocess.Popen:
    """A child in a process group of its own: Ctrl-C reaches only this script, which stops
    the children in order, and a stop reaches every process the child started."""
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, **kwargs)  # noqa: S603


def start_worker(env: dict, loglevel: str = "WARNING", **kwargs) -> subprocess.Popen:
    return start(worker_command(loglevel), env, **kwargs)


def stop(process: subprocess.Popen, group: bool = False, timeout: float = STOP_TIMEOUT) -> None:
    """Terminate the child (with ``group``: every process of its group), wait for it, then
    kill whatever is left of its process group."""
    if process.poll() is None:
        try:
            if group:
                os.killpg(process.pid, signal.SIGTERM)
            else:
                os.kill(process.pid, signal.SIGTERM)
            process.wait(timeout=timeout)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def describe(worker: subprocess.Popen, env: dict) -> str:
    broker = env.get("CELERY_BROKER_URL") or env.get("REDIS_URL", "")
    where = (
        f"the filesystem broker in {env['FILESYSTEM_BROKER_DIR']}"
        if broker.startswith("filesystem:")
        else broker.split("@")[-1]
    )
    return (
        f"Periodic jobs and e-mails: Celery worker with beat (pid {worker.pid}) on {where}; "
        f"reminders, answer deadlines, fair allocation, approval expiry and certificate checks "
        f"run on schedule, e-mails are printed here with links to {env['SITE_URL']}. "
        "Ctrl-C stops the server and the worker."
    )


def _terminated(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--worker-loglevel", default="WARNING")
    args = parser.parse_args(argv)
    if not port_is_free(args.port):
        print(f"Port {args.port} is taken: try `make run PORT={args.port + 10}`.", file=sys.stderr)
        return 1
    env = environment(args.port)
    # Ctrl-C and a stop end the server and the worker (even where SIGINT came in ignored,
    # as for a background job of a shell script); the children start with the defaults.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _terminated)
    worker = start_worker(env, args.worker_loglevel)
    server = None
    try:
        print(describe(worker, env), flush=True)
        server = start([sys.executable, "manage.py", "runserver", f"127.0.0.1:{args.port}"], env)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C does not cut this short
            signal.signal(sig, signal.SIG_IGN)
        if server is not None:
            stop(server, group=True)  # the server and its autoreloader's child
        stop(worker)  # a warm shutdown: the worker stops its pool and beat itself
        print("Server and Celery worker stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
