#!/usr/bin/python3
# smtpd.py: a small SMTP server for the tests (aiosmtpd, Debian's python3-aiosmtpd) on 127.0.0.1.
#
# usage: smtpd.py --dir INBOX --control FILE [--port N] [--port-file FILE]
#
# Every message it accepts is written to INBOX as NNNN.eml (the bytes as
# received) with NNNN.rcpt (the envelope recipients, one a line), written
# to a temporary name and renamed, so a file that is there is complete.
# The first word of the control file (read at every command, so a test can
# switch it while the server runs) decides how it answers:
#   ok (or no file)  accept
#   451              refuse every recipient for now (temporary: 451 4.3.0)
#   550              refuse every recipient for good (550 5.1.1, naming it)
#   delay SECONDS    accept, write the message, then wait before the final 250
#                    (a client killed meanwhile never hears that it was sent)
# To refuse connections, a test stops the server and starts it again on
# the same --port later. With --port 0 (the default) the port is chosen by
# the system and written to --port-file.
import argparse
import asyncio
import os
import signal
import sys

from aiosmtpd.smtp import SMTP


class Handler:
    def __init__(self, inbox, control):
        self.inbox = inbox
        self.control = control
        self.count = len([f for f in os.listdir(inbox) if f.endswith(".eml")])

    def mode(self):
        try:
            with open(self.control) as f:
                words = f.read().split()
        except FileNotFoundError:
            return ["ok"]
        return words or ["ok"]

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        m = self.mode()
        if m[0] == "451":
            return "451 4.3.0 Mailbox busy, try again later (test)"
        if m[0] == "550":
            return "550 5.1.1 <%s>: no such user here (test)" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.inbox, "%04d" % self.count)
        for ext, data in ((".rcpt", "\n".join(envelope.rcpt_tos).encode() + b"\n"),
                          (".eml", envelope.original_content)):
            with open(base + ext + ".tmp", "wb") as f:
                f.write(data)
            os.rename(base + ext + ".tmp", base + ext)
        m = self.mode()
        if m[0] == "delay":
            await asyncio.sleep(float(m[1]))
        return "250 OK: queued as %04d" % self.count


async def main(args):
    os.makedirs(args.dir, exist_ok=True)
    handler = Handler(args.dir, args.control)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="smtpd.test", enable_SMTPUTF8=True),
        host="127.0.0.1", port=args.port, reuse_address=True)
    port = server.sockets[0].getsockname()[1]
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write("%d\n" % port)
        os.rename(args.port_file + ".tmp", args.port_file)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--control", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    try:
        asyncio.run(main(p.parse_args()))
    except KeyboardInterrupt:
        sys.exit(0)
