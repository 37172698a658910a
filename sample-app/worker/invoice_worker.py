#!/usr/bin/python3
"""Turns order lines into invoice lines; run by the order desk under supervision.

Input (stdin), one order per line:   order <id> <quantity> <item> <unit price>
Output (stdout), one line per order: invoice <id>: <quantity> x <item> = <total>
Problems go to stderr. With no input for two seconds it invents an order itself, so the
sample always has something to show; every fifth invented order it crashes with SIGSEGV so
that the supervisor's restart is visible in the log.
"""
import os
import select
import signal
import sys

invented = 0

def invoice(line):
    parts = line.split()
    if len(parts) != 5 or parts[0] != "order":
        print(f"cannot read order line: {line!r}", file=sys.stderr, flush=True)
        return
    _, order_id, quantity, item, price = parts
    total = int(quantity) * float(price)
    print(f"invoice {order_id}: {quantity} x {item} = {total:.2f}", flush=True)

print(f"invoice worker ready (pid {os.getpid()})", file=sys.stderr, flush=True)
while True:
    ready, _, _ = select.select([sys.stdin], [], [], 2.0)
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
            print("crashing on purpose to show a restart", file=sys.stderr, flush=True)
            os.kill(os.getpid(), signal.SIGSEGV)
        invoice(f"order {1000 + invented} {invented} widget 2.50")
