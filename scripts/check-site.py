#!/usr/bin/env python3
"""Checks the release site scripts/build-site.sh made, by the rules cargo-leptos 0.3.11
follows for this project, so the two builds cannot drift apart unseen:

- target/release/hash.txt is "js: H", "wasm: H", "css: H", one per line, H being the
  MD5 of the file, base64url without padding (cargo-leptos' hash.rs);
- target/site/pkg holds exactly tickerboard.H.js, .wasm and .css (and their .br/.gz);
- the wasm is a WebAssembly module that wasm-opt has run over (no name section left,
  under its size budgets: raw bytes, and #26's 120 KB brotli), the loader is an ES
  module with `export default` and `initSync` (what Leptos' hydration script imports),
  minified; the stylesheet minified;
- every file of public/ is in target/site, byte for byte.

With --against DIR (a site `cargo leptos build --release` made, its hash file at
DIR/../release/hash.txt or given by --against-hash), also: the same wasm bytes, and
the loader and stylesheet within 10 % of its sizes.

    python3 scripts/check-site.py [--against OTHER/target/site --against-hash OTHER/target/release/hash.txt]
Exits 1 naming what differs. The server's view of the files (the page links the hashed
names, and they hydrate) is what the end-to-end tests check.
"""
import argparse
import base64
import hashlib
import os
import sys

NAME = "tickerboard"
WASM_BUDGET = 600 * 1024  # raw bytes, after wasm-opt (351 KB today)
# #26's budget for what a first load downloads of the wasm: brotli bytes (119.4 KB today;
# the clone's path moves it by tens of bytes). README, "Speed".
WASM_BROTLI_BUDGET = 120_000
problems = []


def tag_of(path):
    with open(path, "rb") as f:
        return base64.urlsafe_b64encode(hashlib.md5(f.read()).digest()).decode().rstrip("=")


def read_hash_file(path):
    tags = {}
    with open(path) as f:
        for line in f:
            ext, _, tag = line.strip().partition(": ")
            tags[ext] = tag
    if list(tags) != ["js", "wasm", "css"]:
        problems.append(f"{path}: expected js, wasm, css lines, got {list(tags)}")
    return tags


def has_name_section(wasm):
    """Whether the module still carries a custom section called "name"."""
    i = 8
    while i < len(wasm):
        kind = wasm[i]
        i += 1
        size, shift = 0, 0
        while True:
            b = wasm[i]
            i += 1
            size |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                break
        if kind == 0:
            n = wasm[i]
            if wasm[i + 1 : i + 1 + n] == b"name":
                return True
        i += size
    return False


def check(site, hash_file):
    pkg = os.path.join(site, "pkg")
    tags = read_hash_file(hash_file)
    files = {}
    for ext, tag in tags.items():
        path = os.path.join(pkg, f"{NAME}.{tag}.{ext}")
        if not os.path.isfile(path):
            problems.append(f"{path} is missing (hash.txt names it)")
            continue
        if tag_of(path) != tag:
            problems.append(f"{path}: its MD5 is {tag_of(path)}, not the name's {tag}")
        files[ext] = path
    expected = set()
    for path in files.values():
        base = os.path.basename(path)
        expected |= {base, base + ".br", base + ".gz"}
    extra = sorted(set(os.listdir(pkg)) - expected)
    if extra:
        problems.append(f"{pkg} holds files no build step makes: {extra}")
    if "wasm" in files:
        wasm = open(files["wasm"], "rb").read()
        if wasm[:4] != b"\0asm":
            problems.append(f"{files['wasm']} is not a WebAssembly module")
        elif has_name_section(wasm):
            problems.append(f"{files['wasm']} still has its name section: wasm-opt did not run")
        if len(wasm) > WASM_BUDGET:
            problems.append(f"{files['wasm']}: {len(wasm)} bytes, over {WASM_BUDGET}")
        br = files["wasm"] + ".br"
        if os.path.isfile(br) and os.path.getsize(br) > WASM_BROTLI_BUDGET:
            problems.append(
                f"{br}: {os.path.getsize(br):,} bytes brotli, over #26's {WASM_BROTLI_BUDGET:,}"
            )
    if "js" in files:
        js = open(files["js"]).read()
        if "export default" not in js.replace("export{", "export {") and " as default" not in js:
            problems.append(f"{files['js']} has no default export (the init function)")
        if "initSync" not in js:
            problems.append(f"{files['js']} has no initSync")
        if js.count("\n") > 20:
            problems.append(f"{files['js']} is not minified ({js.count(chr(10))} lines)")
    if "css" in files:
        css = open(files["css"]).read()
        if "\n  " in css:
            problems.append(f"{files['css']} is not minified")
    for folder, _, names in os.walk("public"):
        for n in names:
            source = os.path.join(folder, n)
            copy = os.path.join(site, os.path.relpath(source, "public"))
            if not os.path.isfile(copy) or open(copy, "rb").read() != open(source, "rb").read():
                problems.append(f"{copy} is not a copy of {source}")
    return files


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", default="target/site")
    parser.add_argument("--hash-file", default="target/release/hash.txt")
    parser.add_argument("--against")
    parser.add_argument("--against-hash")
    args = parser.parse_args()
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    ours = check(args.site, args.hash_file)
    sizes = {ext: os.path.getsize(p) for ext, p in ours.items()}
    print("site: " + ", ".join(f"{os.path.basename(p)} {sizes[e]:,} B" for e, p in ours.items()))
    if args.against:
        other_hash = args.against_hash or os.path.join(args.against, "..", "release", "hash.txt")
        theirs = {e: os.path.join(args.against, "pkg", f"{NAME}.{t}.{e}")
                  for e, t in read_hash_file(other_hash).items()}
        if tag_of(theirs["wasm"]) != tag_of(ours["wasm"]):
            problems.append("the wasm differs from cargo-leptos' build")
        for ext in ("js", "css"):
            a, b = os.path.getsize(ours[ext]), os.path.getsize(theirs[ext])
            if abs(a - b) > 0.1 * b:
                problems.append(f"the {ext}: {a:,} B here, {b:,} B from cargo-leptos")
            print(f"{ext}: {a:,} B here, {b:,} B from cargo-leptos")
    for p in problems:
        print("check-site: " + p, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
