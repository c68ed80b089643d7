#!/usr/bin/env python3
"""Checks the layout rules of app/src and server/src (README, "Where code runs"):

1. no two files import each other, directly or round a loop;
2. no function outside a test module is longer than 60 lines;
3. in app/src, `#[cfg(feature = ...)]` sits on a `mod` line, or inside an island
   (`island.rs`) where it calls the island's browser half.

Prints the files and lines per folder; exits 1 naming what breaks a rule.
    python3 scripts/check-layout.py
"""
import os
import re
import sys

MAX_LINES = 60
ROOTS = ["app/src", "server/src"]


def rust_files(root):
    for folder, _, names in sorted(os.walk(root)):
        for name in sorted(names):
            if name.endswith(".rs"):
                yield os.path.join(folder, name)


def module_of(root, path):
    parts = os.path.relpath(path, root)[:-3].split("/")
    return tuple(parts[:-1] if parts[-1] in ("mod", "lib", "main") else parts)


def code_of(text):
    """The file without its test module and comments."""
    text = re.split(r"#\[cfg\((?:all\()?test", text)[0]
    return re.sub(r"//.*", "", text)


def imports(root):
    """Each module's file and the modules (files) it uses."""
    files = {module_of(root, p): p for p in rust_files(root)}

    def resolve(path):
        for k in range(len(path), -1, -1):
            if tuple(path[:k]) in files:
                return tuple(path[:k])
        return None

    edges = {}
    for module, path in files.items():
        code = code_of(open(path, encoding="utf-8").read())
        uses = set()
        for m in re.finditer(r"\b(crate|super)((?:::\w+)+)", code):
            rest = m.group(2).split("::")[1:]
            target = resolve(rest if m.group(1) == "crate" else list(module[:-1]) + rest)
            if target is not None and target != module[: len(target)]:
                uses.add(target)
        for m in re.finditer(r"^\s*(?:pub )?mod (\w+);", code, re.M):
            if re.search(r"(?<![\w:])" + m.group(1) + r"::", code):
                uses.add(module + (m.group(1),))
        edges[module] = uses
    return files, edges


def cycles(edges):
    found = set()

    def walk(node, stack):
        for nxt in edges.get(node, ()):
            if nxt in stack:
                loop = stack[stack.index(nxt):]
                found.add(tuple(sorted("/".join(m) or "lib" for m in loop)))
            elif len(stack) < 12:
                walk(nxt, stack + [nxt])

    for node in edges:
        walk(node, [node])
    return sorted(found)


def long_functions(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    in_tests = next((i for i, l in enumerate(lines) if re.match(r"#\[cfg\((all\()?test", l)), len(lines))
    for i, line in enumerate(lines[:in_tests]):
        m = re.match(r"^(\s*)(pub(\([^)]*\))? )?(const )?(async )?fn (\w+)", line)
        if not m:
            continue
        j = i
        while j < len(lines) and not lines[j].rstrip().endswith(("{", ";")):
            j += 1
        if j == len(lines) or lines[j].rstrip().endswith(";"):
            continue
        end = next((k for k in range(j + 1, len(lines)) if lines[k] == m.group(1) + "}"), j)
        if end - i + 1 > MAX_LINES:
            yield f"{path}:{i + 1} {m.group(6)} is {end - i + 1} lines (at most {MAX_LINES})"


def misplaced_cfgs(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    for i, line in enumerate(lines):
        if not re.match(r"\s*#\[cfg\(.*feature", line):
            continue
        following = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if re.match(r"(pub(\([^)]*\))? )?mod \w+;", following):
            continue
        if os.path.basename(path) == "island.rs" and "hydrate" in line:
            continue
        yield f"{path}:{i + 1} a cfg off a mod line: {following}"


def main():
    problems = []
    for root in ROOTS:
        files, edges = imports(root)
        for loop in cycles(edges):
            problems.append(f"{root}: files import each other: {' -> '.join(loop)}")
        per_folder = {}
        for path in files.values():
            folder = os.path.dirname(os.path.relpath(path))
            count = sum(1 for _ in open(path, encoding="utf-8"))
            files_, lines_ = per_folder.get(folder, (0, 0))
            per_folder[folder] = (files_ + 1, lines_ + count)
            problems.extend(long_functions(path))
            if root == "app/src":
                problems.extend(misplaced_cfgs(path))
        for folder, (n, count) in sorted(per_folder.items()):
            print(f"{folder:28} {n:3} files {count:6} lines")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        sys.exit(1)
    print("layout: no import loops, no function over", MAX_LINES, "lines, cfgs on mod lines")


if __name__ == "__main__":
    main()
