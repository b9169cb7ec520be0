#!/usr/bin/python3
"""A local mail catcher: a real SMTP server (Debian's python3-aiosmtpd) that keeps every mail it
receives as one JSON file in a folder, and (optionally) a web page listing them. With --tls-cert
and --tls-key it insists on STARTTLS; with --auth-file (user name and password, one per line) it
insists on AUTH too, after STARTTLS, as an organisation's mail server would. Each kept mail records
whether it came over TLS and as whom.

Used by the server tests (tests/server/notify_test.cpp) and by scripts/demo.sh, never in
production. Mail to an address at refuse.example is refused for good (550), so that tests can see
how the server treats a recipient the mail server will never take.

    /usr/bin/python3 scripts/mail-catcher.py --port 2525 --dir /tmp/mails [--http-port 8025]
        [--tls-cert cert.pem --tls-key key.pem [--auth-file credentials]]
"""
import argparse
import email
import email.policy
import html
import http.server
import json
import os
import signal
import ssl
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Keeper:
    def __init__(self, folder):
        self.folder = folder
        self.count = len([n for n in os.listdir(folder) if n.endswith(".json")])
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().endswith("@refuse.example"):
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        body_part = message.get_body(preferencelist=("plain",))
        attachments = []
        for part in message.iter_attachments():
            attachments.append({
                "filename": part.get_filename(),
                "content_type": part.get_content_type(),
                "data": part.get_content() if part.get_content_maintype() == "text"
                else part.get_payload(),
            })
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(message["from"]),
            "to": str(message["to"]),
            "subject": str(message["subject"]),
            "message_id": str(message["message-id"]),
            "date": str(message["date"]),
            "body": body_part.get_content() if body_part is not None else "",
            "attachments": attachments,
            "raw": envelope.original_content.decode("utf-8", "replace"),
            "tls": session.ssl is not None,
            "authenticated_as": session.auth_data.login.decode("utf-8", "replace")
            if session.authenticated and session.auth_data is not None else None,
            "received_at": time.time(),
        }
        with self.lock:
            self.count += 1
            name = "%06d.json" % self.count
            tmp = os.path.join(self.folder, "." + name + ".tmp")
            with open(tmp, "w", encoding="utf-8") as out:
                json.dump(record, out, ensure_ascii=False, indent=1)
            os.rename(tmp, os.path.join(self.folder, name))
        return "250 Message accepted"


def authenticator(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    user, password = lines[0].encode(), lines[1].encode()

    def check(server, session, envelope, mechanism, auth_data):
        if auth_data is None or not hasattr(auth_data, "login"):
            return AuthResult(success=False, handled=False)
        ok = auth_data.login == user and auth_data.password == password
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    return check


def page_handler(folder):
    class Page(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            names = sorted((n for n in os.listdir(folder) if n.endswith(".json")), reverse=True)
            rows = []
            for name in names:
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    mail = json.load(f)
                when = time.strftime("%H:%M:%S", time.localtime(mail["received_at"]))
                files = "".join("<li>%s</li>" % html.escape(a["filename"] or "")
                                for a in mail["attachments"])
                rows.append("<article><h2>%s</h2><p>%s &middot; to %s</p><pre>%s</pre>%s</article>" % (
                    html.escape(mail["subject"]), when, html.escape(", ".join(mail["rcpt_tos"])),
                    html.escape(mail["body"]), "<ul>%s</ul>" % files if files else ""))
            text = ("<!doctype html><meta charset=utf-8><meta http-equiv=refresh content=5>"
                    "<title>Kindband demo mail</title><h1>Mail sent by the demo (%d)</h1>%s" % (
                        len(rows), "".join(rows) or "<p>No mail yet.</p>"))
            data = text.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Page


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--http-port", type=int, default=0)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--auth-file")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    options = {}
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        options.update(tls_context=context, require_starttls=True)
    if args.auth_file:
        options.update(authenticator=authenticator(args.auth_file), auth_required=True,
                       auth_require_tls=True)
    controller = Controller(Keeper(args.dir), hostname="127.0.0.1", port=args.port, **options)
    controller.start()
    if args.http_port:
        web = http.server.ThreadingHTTPServer(("127.0.0.1", args.http_port), page_handler(args.dir))
        threading.Thread(target=web.serve_forever, daemon=True).start()
    print("mail catcher: SMTP on 127.0.0.1:%d, mails in %s" % (args.port, args.dir), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    signal.signal(signal.SIGINT, lambda *a: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
