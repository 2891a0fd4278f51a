#!/usr/bin/env python3
"""Peer client: fast-bitrix24 (PyPI `fast-bitrix24`, tested with 1.8.14).

usage: peer_fast_bitrix24.py WEBHOOK N [create|read|both]
  WEBHOOK  e.g. http://127.0.0.1:PORT/rest/1/<secret>/   (http:// is accepted as is)
  N        number of leads to create (0 = create nothing)
  mode     default "both": create N leads, then read every lead

create: b.call('crm.lead.add', [{'fields': {...}}, ...])
        -> POST WEBHOOK/batch, JSON {"halt":0,"cmd":{"order0000000000":"crm.lead.add?fields[TITLE]=..&__order=order0000000000&",..}}
           50 commands per batch, up to 50 batches in flight concurrently.
read:   b.get_all('crm.lead.list', params={'select': ['ID', 'TITLE']})
        -> POST WEBHOOK/crm.lead.list with JSON body (adds order={"ID":"ASC"}), reads `total`,
           then POST WEBHOOK/batch with cmd = crm.lead.list?...&start=50, start=100, ... (50 per batch, concurrent).
"""
import sys
import time

from fast_bitrix24 import Bitrix

# Library defaults (kept): request_pool_size=50, requests_per_second=2.0, batch_size=50,
# respect_velocity_policy=True, operating_time_limit=480.
# NB: respect_velocity_policy=False crashes with KeyError if the server's "time" contains
# "operating" (fast_bitrix24 1.8.14 srh.add_throttler_records), so leave it True.
CLIENT_KWARGS = dict(verbose=False)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    webhook, n = sys.argv[1], int(sys.argv[2])
    mode = sys.argv[3] if len(sys.argv) > 3 else "both"

    b = Bitrix(webhook, **CLIENT_KWARGS)

    if mode in ("create", "both") and n > 0:
        items = [{"fields": {"TITLE": f"peer fast_bitrix24 lead {i}", "NAME": f"Name{i}"}}
                 for i in range(n)]
        t0 = time.perf_counter()
        if n > 1 and n % 50 == 1:
            # fast_bitrix24 1.8.14 bug: a trailing batch holding exactly one command makes call()
            # crash (AttributeError: 'int' object has no attribute 'append') or silently drop that
            # ID. Send the last item as a single call instead: same number of HTTP requests.
            ids = list(b.call("crm.lead.add", items[:-1])) + [b.call("crm.lead.add", items[-1])]
        else:
            res = b.call("crm.lead.add", items)
            ids = [res] if n == 1 else list(res)  # tuple of new IDs (a bare ID when n == 1)
        dt = time.perf_counter() - t0
        print(f"created {len(ids)} leads in {dt:.3f}s")

    if mode in ("read", "both"):
        t0 = time.perf_counter()
        leads = b.get_all("crm.lead.list", params={"select": ["ID", "TITLE"]})
        dt = time.perf_counter() - t0
        print(f"read {len(leads)} leads in {dt:.3f}s")


if __name__ == "__main__":
    main()
