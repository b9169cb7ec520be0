#!/usr/bin/python3
"""A local mail catcher: a real SMTP server (Debian's python3-aiosmtpd) that keeps every mail it
receives as one JSON file in a folder, and (optionally) a web page listing them.

Used by the server tests (tests/server/notify_test.cpp) and by scripts/demo.sh, never in
production. Mail to an address at refuse.example is refused for good (550), so that tests can see
how the server treats a recipient the mail server will never take.

    /usr/bin/python3 scripts/mail-catcher.py --port 2525 --dir /tmp/mails [--http-port 8025]
"""
import argparse
import email
import email.policy
import html
import http.server
import json
import os
import signal
import threading
import time

from aiosmtpd.controller import Controller


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
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(Keeper(args.dir), hostname="127.0.0.1", port=args.port)
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
