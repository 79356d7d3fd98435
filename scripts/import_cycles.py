#!/usr/bin/env python3
"""Checks the module structure of src/: no import circles, layers point down.

Every `crate::…` and `super::…` path a file names (in `use` trees, braces
expanded, and inline in code) is an edge to the deepest module it reaches
(a file is a module). Two checks, exit 1 when either fails:

- no import circles: no group of two or more modules that reach each
  other (each group is printed with its edges);
- layers: a top-level folder imports only folders of a lower layer
  (`LAYERS` below, the picture in docs/architecture.md).

    python3 scripts/import_cycles.py           # both checks
    python3 scripts/import_cycles.py --graph   # and every edge
"""
import re
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


# Lower numbers are lower layers; a module may import only strictly lower
# ones (so two folders of one layer never import each other).
LAYERS = {
    "model": 0,
    "query": 1, "authz": 1, "components": 1, "secret": 1,
    "store": 2,
    "services": 3, "envelope": 3,
    "auth": 4,
    "api": 5, "login": 5, "pages": 5,
    "app": 6,
    "server": 7,
}


def module_of(path: Path) -> str:
    rel = path.relative_to(SRC).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "mod":
        parts = parts[:-1]
    if parts in (["lib"], ["main"]):
        return "crate"
    return "crate::" + "::".join(parts)


def strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    out = []
    for line in text.splitlines():
        # Drop // comments (doc comments too) but not `//` inside strings,
        # crudely: strings with // are rare in paths we care about.
        idx = line.find("//")
        if idx >= 0 and line[:idx].count('"') % 2 == 0:
            line = line[:idx]
        out.append(line)
    return "\n".join(out)


def expand_use_tree(tree: str):
    """`a::{b, c::{d, e}}` -> ['a::b', 'a::c::d', 'a::c::e']."""
    tree = re.sub(r"\s+", "", tree)
    results = []

    def walk(prefix: str, text: str):
        # split top-level commas
        depth, start, items = 0, 0, []
        for i, ch in enumerate(text):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                items.append(text[start:i])
                start = i + 1
        items.append(text[start:])
        for item in items:
            if not item:
                continue
            brace = item.find("{")
            if brace >= 0 and item.endswith("}"):
                head = item[:brace].rstrip(":")
                walk(join(prefix, head), item[brace + 1 : -1])
            else:
                item = re.sub(r"as[A-Za-z_]+$", "", item) if "as" in item else item
                results.append(join(prefix, item))

    walk("", tree)
    return results


def join(prefix: str, rest: str) -> str:
    if not prefix:
        return rest
    if not rest or rest == "self":
        return prefix
    return prefix + "::" + rest


def resolve(path: str, current: str, modules: set):
    parts = path.split("::")
    if parts[0] == "crate":
        base = ["crate"]
        parts = parts[1:]
    elif parts[0] in ("super", "self"):
        base = current.split("::")
        while parts and parts[0] in ("super", "self"):
            if parts[0] == "super":
                base = base[:-1]
            parts = parts[1:]
    else:
        return None
    best = None
    for i in range(len(parts) + 1):
        candidate = "::".join(base + parts[:i])
        if candidate in modules:
            best = candidate
    return best


def main():
    files = sorted(SRC.rglob("*.rs"))
    modules = {module_of(f): f for f in files}
    names = set(modules)
    edges = {m: set() for m in modules}
    for module, path in modules.items():
        text = strip_comments(path.read_text())
        # `#[cfg(test)] mod tests` reach up into their parent: not a circle.
        cut = text.find("#[cfg(test)]\nmod tests")
        if cut >= 0:
            text = text[:cut]
        paths = []
        for m in re.finditer(r"\buse\s+([^;]+);", text):
            paths.extend(expand_use_tree(m.group(1)))
        paths.extend(re.findall(r"\b((?:crate|super)(?:::[A-Za-z_][A-Za-z0-9_]*)+)", text))
        for p in paths:
            target = resolve(p, module, names)
            if target and target != module and not module.startswith(target + "::") and target != "crate":
                edges[module].add(target)
    if "--graph" in sys.argv:
        for m in sorted(edges):
            for t in sorted(edges[m]):
                print(f"{m} -> {t}")

    # Tarjan's strongly connected components.
    index, low, on, stack, sccs = {}, {}, set(), [], []
    counter = [0]
    sys.setrecursionlimit(10000)

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                sccs.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            strong(v)
    for group in sccs:
        print(f"import circle of {len(group)} modules:")
        for m in group:
            inside = sorted(t for t in edges[m] if t in group)
            print(f"  {m} -> {', '.join(inside)}")
    upward = []
    for m in sorted(edges):
        for t in sorted(edges[m]):
            a, b = m.split("::")[1], t.split("::")[1]
            if a == b:
                continue
            if a not in LAYERS or b not in LAYERS:
                upward.append(f"  {m} -> {t}: give `{a if a not in LAYERS else b}` a layer in LAYERS")
            elif LAYERS[a] <= LAYERS[b]:
                upward.append(f"  {m} -> {t}: `{a}` (layer {LAYERS[a]}) may not import `{b}` (layer {LAYERS[b]})")
    for line in upward:
        print(line)
    if sccs or upward:
        sys.exit(1)
    print(f"no import circles among {len(modules)} modules; every import points down a layer")


if __name__ == "__main__":
    main()
