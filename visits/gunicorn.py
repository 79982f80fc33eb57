"""gunicorn's settings for this site (`make serve`: gunicorn -c python:visits.gunicorn).

Threaded workers (gthread): a worker process holds several requests at once, so a client that
sends its request slowly, or reads a long export slowly, holds one thread and not a whole
process. The numbers that depend on the machine can be set from the environment.

gunicorn 27's gthread worker waits up to 5 s for a connection's first bytes, then parks it
without a thread; but once a request has begun, a thread reads its head and writes its answer
without any time limit, and a worker goes on accepting connections while all its threads are
held, queueing them behind the slow ones. `ThreadWorker` below adds three limits:

- a worker takes a new connection only when one of its threads is free, so a worker whose
  threads are all held by slow clients leaves new connections to the other workers; and a
  worker holding connections lets one holding fewer take it first, so that connections spread
  over the workers (and the cores);
- a request's head (request line and headers) must be in within GUNICORN_HEADER_TIMEOUT
  seconds (10), or the connection is closed (as nginx's client_header_timeout);
- an answer whose client takes nothing of it for GUNICORN_SEND_TIMEOUT seconds (30) is
  abandoned and the connection closed (as nginx's send_timeout).

It overrides parts of gthread's ThreadWorker (gunicorn is pinned in constraints.txt), and
tests/test_slow_clients.py checks all three through a real gunicorn. `--worker-class gthread`
on the command line would replace it with gunicorn's own.

In production a reverse proxy that buffers requests and answers (README, "Deploying") keeps
slow clients away from gunicorn altogether; these limits are for what still reaches it.

Not set: max_requests. Nothing here leaks, and a worker restarting after N requests would cut
the exports it is streaming after graceful_timeout and empty its in-memory cache.
"""

import contextlib
import os
import socket
import struct
import time

from gunicorn.workers import gthread

HEADER_TIMEOUT = float(os.environ.get("GUNICORN_HEADER_TIMEOUT", "10"))
# How long a worker waits, per connection it holds, before taking a new one (see accept).
BALANCE_PAUSE = 0.001
SEND_TIMEOUT = float(os.environ.get("GUNICORN_SEND_TIMEOUT", "30"))
# The socket option that ends a write the client takes nothing of for that long (a struct
# timeval); each bit of progress starts it afresh.
SEND_TIMEVAL = struct.pack("ll", int(SEND_TIMEOUT), int(SEND_TIMEOUT % 1 * 1_000_000))


class ThreadWorker(gthread.ThreadWorker):
    """gunicorn's gthread worker with the three limits above."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.busy = 0  # connections in a thread or queued for one (the main thread's count)
        self.reading = {}  # connection -> time by which its request head must be in

    # The main thread ---------------------------------------------------------------------

    def enqueue_req(self, conn):
        super().enqueue_req(conn)
        self.busy += 1
        self.accept_if_free()

    def finish_request(self, conn, fs):
        self.busy -= 1
        super().finish_request(conn, fs)
        self.accept_if_free()

    def set_accept_enabled(self, enabled):
        super().set_accept_enabled(enabled and self.busy < self.cfg.threads)

    def accept(self, listener):
        """Takes the connection at once when this worker holds none; otherwise after a pause of
        a millisecond per connection it holds (busy in a thread or kept alive between requests,
        at most one per thread), in which a worker holding fewer, woken by the same connection,
        takes it first (this one then finds nothing to accept). Without it, the worker that wakes
        first takes every connection: wrk's four kept-alive connections all went to one of two
        workers, which ran on one core at half the requests a second. Counting only the busy
        threads was not enough: a client that reads its answer and opens its next connection
        finds the first one idle, and one in seven times all four went to one worker."""
        if held := min(self.nr_conns, self.cfg.threads):
            time.sleep(BALANCE_PAUSE * held)
        super().accept(listener)

    def accept_if_free(self):
        if self.alive:
            self.set_accept_enabled(self.nr_conns < self.worker_connections)

    def murder_pending(self):
        """Runs about once a second: also closes the connections whose head is late (the
        thread reading it then sees the end of the connection and is free)."""
        super().murder_pending()
        now = time.monotonic()
        for conn, deadline in self.reading.copy().items():
            if deadline <= now and self.reading.pop(conn, None) is not None:
                self.log.info(
                    "Closed the connection from %s: no request within %g s",
                    conn.client,
                    HEADER_TIMEOUT,
                )
                close_now(conn.sock)

    # Worker threads ------------------------------------------------------------------------

    def handle(self, conn):
        self.reading[conn] = time.monotonic() + HEADER_TIMEOUT
        try:
            return super().handle(conn)
        finally:
            self.reading.pop(conn, None)

    def handle_request(self, req, conn):
        self.reading.pop(conn, None)  # the head is in
        conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, SEND_TIMEVAL)
        try:
            return super().handle_request(req, conn)
        except BlockingIOError:  # a write timed out (SO_SNDTIMEO on a blocking socket)
            self.log.info(
                "Closed the connection from %s: it took nothing for %g s (%s %s)",
                conn.client,
                SEND_TIMEOUT,
                req.method,
                req.path,
            )
            close_now(conn.sock)
            return False


def close_now(sock):
    """Ends both directions at once, so that neither a thread reading nor the main thread's
    graceful close waits for the client."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


wsgi_app = "visits.wsgi:application"
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "visits.gunicorn.ThreadWorker")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# The arbiter restarts a worker that has not reported for `timeout` seconds: a sync worker
# stuck on one request; a gthread worker's main loop reports every second whatever its threads
# do, so there it only catches a wedged process.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
# An idle kept-alive connection is closed after `keepalive` seconds; so is one that sends
# nothing at all (after 5 s waiting for its first bytes).
keepalive = 5
# A request's head is at most 4,094 bytes of request line and 50 fields of 8,190 bytes (a
# browser sends about 15); beyond, gunicorn answers 414 or 431 itself.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190
control_socket_disable = True
