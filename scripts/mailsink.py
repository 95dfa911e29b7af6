#!/usr/bin/env python3
"""A test SMTP server that keeps what it receives and lists it over HTTP.

    mailsink.py SMTP_PORT HTTP_PORT

SMTP on 127.0.0.1:SMTP_PORT (aiosmtpd). Recipients steer its behaviour:
  reject*@...     refused with 550 (a permanent failure)
  flaky*@...      refused with 451 (a temporary failure) the first two times
  ...@slow.test   the reply to DATA comes after MAILSINK_SLOW_SECONDS (default 2);
                  a message whose sender hangs up meanwhile is not kept
  stallN*@...     the first message to the address stalls N seconds after DATA
                  before the reply (kept if the sender is still there); later
                  ones are answered at once
Everything else is accepted and kept.

HTTP on 127.0.0.1:HTTP_PORT:
  GET /api/email[?to=ADDRESS]  the kept messages, parsed: subject, from, to,
                               message_id, text, html, inline images (cid,
                               content_type, size, png)
  GET /api/inflight            recipients of the messages waiting in the slow reply
"""

import email
import email.policy
import json
import os
import re
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import asyncio
from aiosmtpd.controller import Controller

SLOW_SECONDS = float(os.environ.get("MAILSINK_SLOW_SECONDS", "2"))
LOCK = threading.Lock()
KEPT = []
FLAKY = {}
STALLED = {}
INFLIGHT = []
STALL = re.compile(r"stall(\d+)")


def parse(envelope):
    msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
    out = {
        "id": str(uuid.uuid4()),
        "envelope_to": list(envelope.rcpt_tos),
        "from": str(msg.get("From", "")),
        "to": str(msg.get("To", "")),
        "subject": str(msg.get("Subject", "")),
        "reply_to": str(msg.get("Reply-To", "")),
        "message_id": str(msg.get("Message-ID", "")),
        "text": "",
        "html": "",
        "inline": [],
        "received_at": time.time(),
    }
    for part in msg.walk():
        ctype = part.get_content_type()
        if part.is_multipart():
            continue
        if ctype == "text/plain":
            out["text"] += part.get_content()
        elif ctype == "text/html":
            out["html"] += part.get_content()
        else:
            body = part.get_content()
            out["inline"].append({
                "cid": str(part.get("Content-ID", "")).strip("<>"),
                "disposition": str(part.get("Content-Disposition", "")),
                "content_type": ctype,
                "size": len(body),
                "png": bytes(body[:8]) == b"\x89PNG\r\n\x1a\n",
            })
    return out


def stall_seconds(rcpt_tos):
    """The stall for a first message to a `stallN…` address, else None."""
    for address in rcpt_tos:
        found = STALL.match(address.split("@", 1)[0].lower())
        if found:
            with LOCK:
                STALLED[address] = STALLED.get(address, 0) + 1
                if STALLED[address] == 1:
                    return float(found.group(1))
    return None


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 No such mailbox here"
        if local.startswith("flaky"):
            with LOCK:
                FLAKY[address] = FLAKY.get(address, 0) + 1
                tries = FLAKY[address]
            if tries <= 2:
                return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        delay = stall_seconds(envelope.rcpt_tos)
        if delay is None and any(a.lower().endswith("@slow.test") for a in envelope.rcpt_tos):
            delay = SLOW_SECONDS
        if delay is not None:
            waiting = list(envelope.rcpt_tos)
            with LOCK:
                INFLIGHT.append(waiting)
            try:
                # Cancelled if the sender hangs up meanwhile: nothing is kept.
                await asyncio.sleep(delay)
            finally:
                with LOCK:
                    INFLIGHT.remove(waiting)
            if server.transport is None or server.transport.is_closing():
                return "421 4.4.2 Sender went away"
        kept = parse(envelope)
        with LOCK:
            KEPT.append(kept)
        return "250 OK: kept as " + kept["id"]


class Api(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/api/email":
            to = parse_qs(url.query).get("to", [None])[0]
            with LOCK:
                found = [m for m in KEPT if to is None or to in m["envelope_to"]]
            self.reply(200, found)
        elif url.path == "/api/inflight":
            with LOCK:
                self.reply(200, {"recipients": [a for rcpts in INFLIGHT for a in rcpts]})
        else:
            self.reply(404, {"error": "not found"})

    def reply(self, status, value):
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    smtp_port, http_port = int(sys.argv[1]), int(sys.argv[2])
    controller = Controller(Handler(), hostname="127.0.0.1", port=smtp_port)
    controller.start()
    ThreadingHTTPServer(("127.0.0.1", http_port), Api).serve_forever()


if __name__ == "__main__":
    main()
