#!/usr/bin/python3
"""Turns order lines into invoice lines; run by the order desk under supervision.

Input (stdin), one order per line:   order <id> <quantity> <item> <unit price>
Output (stdout), one line per order: invoice <id>: <quantity> x <item> = <total>
Problems go to stderr. The order desk sends it every accepted order.

With WORKER_DEMO=1 (the desk's --order-desk.worker.demo=true) it also invents an order
after two idle seconds, and crashes with SIGSEGV on every fifth invented order, so that
the supervisor's restart shows in the log (and the health of 'invoices' is
OUT_OF_SERVICE for the second before it runs again).
"""
import os
import select
import signal
import sys

demo = os.environ.get("WORKER_DEMO", "") in ("1", "true")
invented = 0

def invoice(line):
    parts = line.split()
    if len(parts) != 5 or parts[0] != "order":
        print(f"cannot read order line: {line!r}", file=sys.stderr, flush=True)
        return
    _, order_id, quantity, item, price = parts
    total = int(quantity) * float(price)
    print(f"invoice {order_id}: {quantity} x {item} = {total:.2f}", flush=True)

print(f"invoice worker ready (pid {os.getpid()}{', demo: crashes on purpose' if demo else ''})",
      file=sys.stderr, flush=True)
while True:
    ready, _, _ = select.select([sys.stdin], [], [], 2.0 if demo else None)
    if ready:
        line = sys.stdin.readline()
        if not line:
            break  # stdin closed: the application is done with us
        if line.strip() == "crash":
            os.kill(os.getpid(), signal.SIGSEGV)
        invoice(line.strip())
    else:
        invented += 1
        if invented % 5 == 0:
            print("crashing on purpose to show a restart (demo)", file=sys.stderr, flush=True)
            os.kill(os.getpid(), signal.SIGSEGV)
        invoice(f"order {1000 + invented} {invented} widget 2.50")
