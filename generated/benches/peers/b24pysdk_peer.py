#!/usr/bin/env python3
"""Peer client: b24pysdk, the official Bitrix24 Python SDK (PyPI `b24pysdk`, tested with 1.3.2).

usage: peer_b24pysdk.py WEBHOOK N [create|read|read-list|both]
  WEBHOOK  e.g. http://127.0.0.1:PORT/rest/1/<secret>/
  N        number of leads to create (0 = create nothing)
  mode     default "both": create N leads, then read every lead with as_list_fast()
           "read" = as_list_fast() only, "read-list" = classic as_list() only

b24pysdk always builds  https://{domain}/rest/{user_id}/{key}/{method}.json  (hard-coded
"https://" in b24pysdk.api.callers.call_method._MethodCaller._base_url). The domain is not
validated, so "127.0.0.1:PORT" is fine; only the scheme must be patched for a plain-HTTP server.

create: client.call_batches([client.crm.lead.add(fields=...), ...])
        -> sequential POST .../batch.json, JSON {"cmd":{"0":"crm.lead.add?fields[TITLE]=...",..},"halt":false}
read (fast): client.crm.lead.list(select=[...]).as_list_fast()
        -> POST .../crm.lead.list.json {"select":[..],"order":{"ID":"ASC"},"start":-1}
           then sequential POST .../batch.json with 50 chained commands
           "1": crm.lead.list?...&filter[>ID]=<last id>&start=-1,
           "2": ...filter[%3EID]=%24result%5B1%5D%5B49%5D%5BID%5D&start=-1  ($result[1][49][ID]) ...
read (list): client.crm.lead.list(select=[...]).as_list()
        -> POST .../crm.lead.list.json, then batches of start=50,100,... (sequential).
"""
import sys
import time
from urllib.parse import urlsplit

from b24pysdk import BitrixWebhook, Client
from b24pysdk.api.callers.call_method import _MethodCaller


def make_client(webhook: str):
    u = urlsplit(webhook)
    if u.scheme == "http":
        # Smallest change: the SDK hard-codes https://; make the REST base URL use http://.
        _MethodCaller._base_url = property(lambda self: f"http://{self._domain}/rest")
    # "/rest/1/<secret>/" -> "1/<secret>"
    token = u.path.split("/rest/", 1)[1].strip("/")
    return Client(BitrixWebhook(domain=u.netloc, webhook_token=token))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    webhook, n = sys.argv[1], int(sys.argv[2])
    mode = sys.argv[3] if len(sys.argv) > 3 else "both"

    client = make_client(webhook)

    if mode in ("create", "both") and n > 0:
        requests = [
            client.crm.lead.add(fields={"TITLE": f"peer b24pysdk lead {i}", "NAME": f"Name{i}"})
            for i in range(n)
        ]
        t0 = time.perf_counter()
        batch_result = client.call_batches(requests).result  # executes all batches
        dt = time.perf_counter() - t0
        errors = batch_result.result_error
        print(f"created {len(batch_result.result)} leads in {dt:.3f}s"
              + (f" ({len(errors)} errors)" if errors else ""))

    if mode in ("read", "both", "read-list"):
        t0 = time.perf_counter()
        request = client.crm.lead.list(select=["ID", "TITLE"])
        if mode == "read-list":
            count = len(request.as_list().result)
        else:
            count = sum(1 for _ in request.as_list_fast().result)  # lazy generator
        dt = time.perf_counter() - t0
        how = "as_list" if mode == "read-list" else "as_list_fast"
        print(f"read {count} leads ({how}) in {dt:.3f}s")


if __name__ == "__main__":
    main()
