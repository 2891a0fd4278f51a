#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz target from the real spec, the docs' command lines and
the recorded answers in the spec's examples: seeds/<target>/<name>. Run by run.sh."""

import glob
import hashlib
import os
import shlex
import sys

import json

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
out = sys.argv[1]


def write(target, data):
    directory = os.path.join(out, target)
    os.makedirs(directory, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


library = open(os.path.join(root, "spec/bitrix24/library.yaml"), "rb").read()
for path in sorted(glob.glob(os.path.join(root, "spec/bitrix24/methods/*.yaml"))):
    method = open(path, "rb").read()
    write("spec_loader", method)
    write("spec_loader", library + b"\0" + method)

for path in sorted(glob.glob(os.path.join(root, "generated/docs/bitrix24/**/*.md"), recursive=True)):
    for line in open(path, encoding="utf-8"):
        if line.startswith("oint bitrix24 "):
            try:
                args = shlex.split(line)[1:]
            except ValueError:
                continue
            write("cli_values", b"\x07" + "\0".join(args).encode())
            for value in args:
                for parser in range(7):
                    write("cli_values", bytes([parser]) + value.encode())

# The recorded answer of every method (each spec file's example), as a success and as an
# error status; and Bitrix24's error bodies.
import re

for path in sorted(glob.glob(os.path.join(root, "spec/bitrix24/methods/*.yaml"))):
    text = open(path, encoding="utf-8").read()
    match = re.search(r"^  result: \|\n((?:    .*\n|\n)+)", text, re.M)
    if not match:
        continue
    body = "\n".join(line[4:] for line in match.group(1).splitlines()).encode()
    write("answer", b"\x00\x00" + body)
    write("answer", b"\x00\x01" + body)
for status, body in [
    (4, {"error": "CHAT_ID_EMPTY", "error_description": "Chat ID can't be empty"}),
    (5, {"error": "expired_token", "error_description": "The access token provided has expired."}),
    (11, {"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"}),
    (8, {"error": "OPERATION_TIME_LIMIT", "error_description": "blocked", "time": {"operating_reset_at": 1765397123}}),
    (0, {"result": {"result": {"c0": [1, 2]}, "result_error": {"c1": {"error": "X", "error_description": "y"}}, "result_total": {"c0": 2}}}),
]:
    write("answer", bytes([status, 0]) + json.dumps(body).encode())
write("answer", b"\x09\x00<!DOCTYPE html><html><body>500 fuzzs3cr3tw3bh00k</body></html>")
