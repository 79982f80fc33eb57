"""Issue 14: slow clients hold a thread each, not the site.

gunicorn runs as `make serve` runs it (-c python:visits.gunicorn, two workers of
visits.gunicorn.ThreadWorker) on an SQLite file with the seed article and 5,000 demo visits.
Six clients then hang at once: three send their request head a byte at a time, or part of it
and then nothing, and three ask for the JSON export of every visit (about 4.8 MB, more than the
sockets hold) and never read it. While they hang, a seventh client's requests for the home
page, the visit list and a visit page must each be answered 200 within two seconds. gunicorn
closes the heads that never end after GUNICORN_HEADER_TIMEOUT; once the other clients go, every
thread is free again and the site answers as before. An export nobody reads is given up after
GUNICORN_SEND_TIMEOUT (30 s; 1 s in that test, to keep it short).

Which requests have been answered is read from gunicorn's access log (each carries an X-Probe
header, see tests/servers.py): an export that has no line there is still being sent, so its
thread is still held."""

import contextlib
import http.client
import secrets
import selectors
import socket
import threading
import time

import pytest

from tests.servers import GUNICORN, Server, SqliteDatabase, environment, manage
from visits import gunicorn as config

SEED = "azertac-2025-09-25-prosecutor-general-visit"
SEED_VISIT = "/visits/2025-09-24-azerbaijan-uzbekistan-prosecutor-general/"
VISITS = 5000  # about 950 bytes a visit in JSON; a socket holds about 2.8 MB here
PAGES = ("/", "/visits/", SEED_VISIT)
BOUND = 2.0  # seconds for each ordinary request while the slow clients hang
HOLD = 6.0  # seconds of ordinary requests while they hang

pytestmark = [
    pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed"),
    pytest.mark.database_of_its_own("sqlite"),
]


def serve(env, folder, name="slow", **options):
    """gunicorn as `make serve` starts it, unless `options` say otherwise."""
    settings = {"worker_class": config.worker_class, "threads": config.threads}
    return Server(
        env, folder, workers=2, name=name, config="python:visits.gunicorn", **settings | options
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("slow-clients")
    database = SqliteDatabase(folder)
    env = environment(database.url)
    database.create()
    server = serve(env, folder)
    try:
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "loaddata", SEED, "-v", "0")
        manage(env, "generate_demo", "--visits", str(VISITS), "-v", "0")
        yield server.start()
    finally:
        server.stop()
        database.drop()


# Slow clients -------------------------------------------------------------------------------


class SlowHead:
    """Sends the start of a request head, then one more byte every half second (a header that
    never ends) or, with `stall`, nothing more; notes when the server closes the connection."""

    def __init__(self, port, stall=False):
        self.probe = f"slow-{secrets.token_hex(4)}"
        self.stall = stall
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.opened = time.monotonic()
        self.closed_after = None  # seconds from opening to the server's close
        self.stop = threading.Event()
        self.sock.sendall(
            f"GET /visits/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"X-Probe: {self.probe}\r\nX-Slow: ".encode()
        )
        self.thread = threading.Thread(target=self.trickle, daemon=True)
        self.thread.start()

    def trickle(self):
        with selectors.DefaultSelector() as selector:
            selector.register(self.sock, selectors.EVENT_READ)
            while not self.stop.is_set():
                if selector.select(timeout=0.5):
                    try:
                        ended = not self.sock.recv(1024)
                    except OSError:
                        ended = True
                    if ended:
                        self.closed_after = time.monotonic() - self.opened
                        return
                elif not self.stall:
                    with contextlib.suppress(OSError):  # a close shows on the next select
                        self.sock.send(b"a")

    def close(self):
        self.stop.set()
        self.thread.join(5)
        self.sock.close()


class UnreadExport:
    """Asks for the JSON export of every visit with a small receive buffer, and reads none."""

    def __init__(self, port):
        self.probe = f"export-{secrets.token_hex(4)}"
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.settimeout(5)
        self.sock.connect(("127.0.0.1", port))
        self.sock.sendall(
            f"GET /visits/export.json HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"X-Probe: {self.probe}\r\n\r\n".encode()
        )

    def close(self):
        self.sock.close()


def answered(server):
    """The probes of the requests gunicorn has finished answering (its access log)."""
    try:
        lines = server.access_log.read_text(errors="replace").splitlines()
    except FileNotFoundError:
        return set()
    return {line.split()[0] for line in lines if line.strip()}


def timed(server, path):
    started = time.monotonic()
    try:
        status = server.get(path).status
    except OSError as error:
        status = f"{type(error).__name__}: {error}"
    return path, status, time.monotonic() - started


def ordinary_requests(server, seconds):
    """The home page, the visit list and a visit page, one after another, for `seconds`:
    (path, status, seconds) for each."""
    results = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        results += [timed(server, path) for path in PAGES]
    return results


def hang_six(server):
    heads = [SlowHead(server.port), SlowHead(server.port), SlowHead(server.port, stall=True)]
    exports = [UnreadExport(server.port) for _ in range(3)]
    time.sleep(1)  # each has a thread now
    return heads, exports


def wait_until(condition, seconds):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.2)
    return condition()


# Tests --------------------------------------------------------------------------------------


def test_six_slow_clients_do_not_stop_other_requests(site):
    heads, exports = hang_six(site)
    probes = {export.probe for export in exports}
    try:
        results = ordinary_requests(site, HOLD)
        held_heads = [head for head in heads if head.closed_after is None]
        unfinished = probes - answered(site)

        late = [
            f"{path}: {status} in {seconds:.2f} s"
            for path, status, seconds in results
            if status != 200 or seconds > BOUND
        ]
        assert not late, (
            f"{len(late)} of {len(results)} requests took over {BOUND} s or failed while six "
            f"slow clients hung:\n" + "\n".join(late) + f"\ngunicorn's log:\n{site.log(last=20)}"
        )
        assert len(results) >= 3 * len(PAGES)
        # The six really held their threads all along: the heads were still open and no
        # export had been sent in full.
        assert len(held_heads) == 3, [head.closed_after for head in heads]
        assert len(unfinished) == 3, "an export was sent in full: the test needs more visits"

        # A head that never ends is closed once GUNICORN_HEADER_TIMEOUT has passed.
        assert wait_until(
            lambda: all(head.closed_after is not None for head in heads),
            config.HEADER_TIMEOUT + 5,
        ), f"a request head still open after {config.HEADER_TIMEOUT + 5:g} s"
        for head in heads:
            assert config.HEADER_TIMEOUT - 1 <= head.closed_after <= config.HEADER_TIMEOUT + 3
        log = site.log()
        assert log.count(f"no request within {config.HEADER_TIMEOUT:g} s") == 3, log
    finally:
        for client in [*heads, *exports]:
            client.close()

    # The exports' threads see their clients go and are free again.
    assert wait_until(lambda: probes <= answered(site), 10), "an export still holds its thread"
    after = [timed(site, path) for path in PAGES * 3]
    assert all(status == 200 and seconds <= BOUND for _, status, seconds in after), after
    assert site.booted_workers() == 2, "a worker was restarted:\n" + site.log(last=20)
    assert "Traceback" not in site.log()


def test_a_slow_but_complete_request_head_is_answered(site):
    """Sent in four pieces over three seconds, well within the time a head may take."""
    pieces = [b"GET /visits/ HTTP/1.1\r\n", b"Host: 127.0.0.1\r\n", b"Connection: close\r\n"]
    with socket.create_connection(("127.0.0.1", site.port), timeout=10) as sock:
        for piece in pieces:
            sock.sendall(piece)
            time.sleep(1)
        sock.sendall(b"\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n"), answer[:200]
    assert b"</html>" in answer


def test_an_answer_the_client_takes_nothing_of_is_given_up(site, tmp_path):
    """The same site with GUNICORN_SEND_TIMEOUT at 1 s: an export nobody reads is given up
    once the sockets are full, and its thread is free again."""
    server = serve({**site.env, "GUNICORN_SEND_TIMEOUT": "1"}, tmp_path, name="send-timeout")
    server.start()
    try:
        export = UnreadExport(server.port)
        try:
            assert wait_until(lambda: export.probe in answered(server), 40), (
                "the unread export still holds its thread after 40 s"
            )
        finally:
            export.close()
        assert "it took nothing for 1 s (GET /visits/export.json)" in server.log()
        assert timed(server, "/visits/")[1] == 200
    finally:
        server.stop()


def test_kept_alive_connections_spread_over_the_workers(site):
    """Four clients on kept-alive connections, opened one after another: both workers take
    some, so that they run on both cores (before, the worker that woke first took them all,
    and the site ran at one worker's speed)."""
    connections, probes = [], []
    try:
        for number in range(4):
            connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=10)
            probe = f"{site.run_id}-kept-{number}"
            connection.request("GET", "/visits/", headers={"X-Probe": probe})
            response = connection.getresponse()
            response.read()
            assert response.status == 200
            assert response.getheader("Connection", "").lower() != "close"
            connections.append(connection)
            probes.append(probe)
        assert wait_until(lambda: site.read_access_log() or set(probes) <= site.seen.keys(), 10)
        pids = [site.seen[probe] for probe in probes]
    finally:
        for connection in connections:
            connection.close()
    assert len(set(pids)) == 2, f"all four connections went to worker {pids[0]}"
