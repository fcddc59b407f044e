#!/usr/bin/env python3
"""Fails when the modules of a crate import each other around a loop.

docs/architecture.md promises no import circles within a crate: a file's
`crate::a::b` paths (in `use` lines and in code, not in comments or test
modules) are edges from its module to the module they name; a strongly
connected group of two or more modules is a circle. A module importing its
own parent or child is not counted: a folder's mod.rs and its files are one
unit. Plain text, no Rust parser: crate paths in string literals would count,
and none are written today.

    scripts/lib/import_cycles.py CRATE_SRC_DIR...
"""

import os
import re
import sys

CRATE_PATH = re.compile(r"crate::([A-Za-z0-9_]+(?:::[A-Za-z0-9_]+)*)")
USE_GROUP = re.compile(r"use crate::\{([^;]*)\};", re.S)
GROUP_PATH = re.compile(r"([A-Za-z0-9_]+(?:::[A-Za-z0-9_]+)*)")
TEST_MODULE = re.compile(r"#\[cfg\(test\)\]\s*mod tests\s*\{.*", re.S)


def modules(src):
    """Module path ('a::b') -> source text, for every .rs file under src."""
    found = {}
    for folder, _, files in os.walk(src):
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(folder, name)
            parts = os.path.relpath(path, src)[:-3].split(os.sep)
            if parts[-1] in ("mod", "lib", "main"):
                parts = parts[:-1]
            if "tests" in parts:
                continue
            with open(path, encoding="utf-8") as f:
                found["::".join(parts)] = f.read()
    return found


def code_of(text):
    lines = [l for l in text.split("\n") if not l.strip().startswith("//")]
    return TEST_MODULE.sub("", "\n".join(lines))


def edges(mods):
    def resolve(path):
        parts = path.split("::")
        for i in range(len(parts), 0, -1):
            candidate = "::".join(parts[:i])
            if candidate in mods:
                return candidate
        return None

    def related(a, b):
        return a == b or a.startswith(b + "::") or b.startswith(a + "::")

    out = {m: set() for m in mods}
    for m, text in mods.items():
        code = code_of(text)
        paths = CRATE_PATH.findall(code)
        for group in USE_GROUP.findall(code):
            paths += GROUP_PATH.findall(group)
        for p in paths:
            target = resolve(p)
            if target and not related(m, target):
                out[m].add(target)
    return out


def circles(graph):
    """Strongly connected components of two or more modules (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def main(dirs):
    failed = False
    for src in dirs:
        graph = edges(modules(src))
        for group in circles(graph):
            failed = True
            print(f"{src}: modules import each other around a loop: {', '.join(group)}")
            for a in group:
                for b in sorted(graph[a] & set(group)):
                    print(f"    {a} -> {b}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
