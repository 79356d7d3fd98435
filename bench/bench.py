#!/usr/bin/env python3
"""Portolan benchmark: a deterministic catalog, loaded through the REST API
into a fresh release server, then measured. Standard library only.

Results go to bench/results/<date>.json and are printed as a markdown table
for bench/README.md. Nothing here asserts a time: figures are reported.
"""

import argparse
import datetime
import gzip
import http.client
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT_ID = "bench-admin"
CLIENT_SECRET = "bench-admin-secret-0123456789"
TEAMS = [f"team-{i:02d}" for i in range(20)]
TIERS = ["gold", "silver", "bronze"]
LANGUAGES = ["Rust", "Go", "Python", "TypeScript", "Java", "Kotlin"]
WORDS = ["ledger", "cart", "search", "billing", "auth", "catalog", "orders", "fraud",
         "pricing", "inventory", "shipping", "reviews", "profile", "gateway", "events"]
DASHBOARD = {
    "identifier": "bench", "title": "Bench", "type": "dashboard",
    "pageFilters": [{"identifier": "teams", "title": "Teams", "query": {
        "combinator": "and", "rules": [], "blueprint": "dashboard-filters-meta-blueprint"}}],
    "widgets": [
        {"id": "count", "type": "entities-number-chart", "title": "Services", "blueprint": "service",
         "chartType": "countEntities", "func": "count"},
        {"id": "cost", "type": "entities-number-chart", "title": "Cost", "blueprint": "service",
         "chartType": "aggregateByProperty", "property": "property#monthlyCost", "func": "median"},
        {"id": "tiers", "type": "entities-pie-chart", "title": "Tiers", "blueprint": "service",
         "property": "property#tier"},
        {"id": "languages", "type": "entities-bar-chart", "title": "Languages", "blueprint": "service",
         "property": "property#language"},
        {"id": "launched", "type": "line-chart", "title": "Launched", "blueprint": "service",
         "lineChartType": "countEntities", "measureTimeBy": "launchedAt", "timeInterval": "week",
         "timeRange": 365, "breakdownProperty": "tier"},
        {"id": "table", "type": "table-entities-explorer", "title": "Table", "blueprint": "service",
         "columns": ["$title", "tier", "monthlyCost"]},
    ],
}
BULK = 250  # entities per bulk request (well under the 1 MiB body limit)

SERVICE = {
    "identifier": "service", "title": "Service", "icon": "Microservice",
    "schema": {"properties": {
        "language": {"type": "string", "title": "Language"},
        "tier": {"type": "string", "title": "Tier", "enum": TIERS,
                 "enumColors": {"gold": "yellow", "silver": "lightGray", "bronze": "bronze"}},
        "monthlyCost": {"type": "number", "title": "Monthly cost"},
        "public": {"type": "boolean", "title": "Public"},
        "launchedAt": {"type": "string", "format": "date-time", "title": "Launched"},
        "repository": {"type": "string", "format": "url", "title": "Repository"},
        "readme": {"type": "string", "format": "markdown", "title": "README"},
        "tags": {"type": "array", "title": "Tags"},
    }, "required": []},
    "relations": {"dependsOn": {"title": "Depends on", "target": "service", "many": True, "required": False}},
}


def generate(n, seed):
    """N services over 20 teams; each relates to 1-3 earlier services, so a
    batch never points at an entity not yet written."""
    rng = random.Random(seed)
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    for i in range(n):
        name = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}"
        deps = sorted({f"svc-{rng.randrange(i):07d}" for _ in range(rng.randint(1, 3))}) if i else []
        yield {
            "identifier": f"svc-{i:07d}",
            "title": f"{name.title().replace('-', ' ')} {i}",
            "team": [TEAMS[rng.randrange(len(TEAMS))]],
            "properties": {
                "language": rng.choice(LANGUAGES),
                "tier": rng.choice(TIERS),
                "monthlyCost": rng.randint(10, 20000),
                "public": rng.random() < 0.3,
                "launchedAt": (start + datetime.timedelta(minutes=rng.randrange(3_000_000))).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "repository": f"https://git.example.com/{name}-{i}",
                "readme": f"# {name}\n\nOwned by the {rng.choice(WORDS)} group. Handles {rng.choice(WORDS)} traffic.",
                "tags": rng.sample(WORDS, 2),
            },
            "relations": {"dependsOn": deps},
        }


def read_jsonl(path):
    with open(path) as f:
        for line in f:
            if line.strip():
                e = json.loads(line)
                yield {k: e[k] for k in ("identifier", "title", "team", "properties", "relations") if k in e}


class Client:
    """One keep-alive HTTP connection to the server."""

    def __init__(self, port, token=None, cookie=None):
        """`token` for the API (machines); `cookie`, a signed-in session,
        for pages and server functions (people)."""
        self.port, self.token, self.cookie = port, token, cookie
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method, path, body=None, form=None):
        headers = {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.cookie:
            headers["Cookie"] = self.cookie
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        if form is not None:
            data = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                resp = self.conn.getresponse()
                return resp.status, resp.read()
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt:
                    raise


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid, field="VmRSS"):
    """A memory figure of the process from /proc, in MB: `VmRSS` (every
    resident page), `RssAnon` (memory it allocated) or `RssFile` (file pages
    it maps; SQLite's connections each map the database file, so a page of
    it counts once per connection that touched it)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return None


def pss_mb(pid):
    """Proportional set size: resident pages with shared ones (the database
    file mapped by several connections) counted once, in MB."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


class Server:
    def __init__(self, database_url, port, plan_log):
        env = dict(os.environ,
                   PORTOLAN_QUERY_PLAN_LOG=plan_log,
                   PORTOLAN_ADDR=f"127.0.0.1:{port}",
                   PORTOLAN_DATABASE_URL=database_url,
                   PORTOLAN_DEMO_DATA="0",
                   PORTOLAN_ADMIN_CLIENT_ID=CLIENT_ID,
                   PORTOLAN_ADMIN_CLIENT_SECRET=CLIENT_SECRET,
                   PORTOLAN_ADMIN_PASSWORD="bench-admin-password",
                   LEPTOS_SITE_ROOT=os.environ.get("PORTOLAN_SITE", "target/site"),
                   RUST_LOG="warn")
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([os.environ["PORTOLAN_BIN"]], env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.port = port
        self.plan_log, self.plans_read = plan_log, 0
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                status, _ = Client(port).request("GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        self.log.seek(0)
        raise SystemExit(f"the server did not start:\n{self.log.read().decode()[-2000:]}")

    def new_plans(self):
        """The plans the server logged since the last call: the statements
        the request(s) in between ran for the first time."""
        if not os.path.exists(self.plan_log):
            return []
        with open(self.plan_log) as f:
            lines = f.read().splitlines()
        new, self.plans_read = lines[self.plans_read:], len(lines)
        return [json.loads(line) for line in new]

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def token(port):
    status, body = Client(port).request("POST", "/v1/auth/access_token",
                                        {"clientId": CLIENT_ID, "clientSecret": CLIENT_SECRET})
    assert status == 200, body
    return json.loads(body)["accessToken"]


def ingest(port, tok, entities, workers=2):
    """Bulk upsert through the API, `workers` requests in flight; answers
    (entities written, seconds)."""
    batches, batch = [], []
    for e in entities:
        batch.append(e)
        if len(batch) == BULK:
            batches.append(batch)
            batch = []
    if batch:
        batches.append(batch)
    # Relations point at earlier entities, so batches go in rounds of
    # `workers` consecutive ones (a target in a batch still in flight is
    # stubbed by create_missing_related_entities and filled in by its batch).
    written, failures = [0], []
    lock = threading.Lock()

    def send(client, b):
        status, body = client.request("POST", "/v1/blueprints/service/entities/bulk"
                                      "?upsert=true&create_missing_related_entities=true", {"entities": b})
        with lock:
            if status == 200:
                written[0] += len(b)
            else:
                failures.append((status, body[:300]))

    clients = [Client(port, tok) for _ in range(workers)]
    start = time.perf_counter()
    for i in range(0, len(batches), workers):
        threads = [threading.Thread(target=send, args=(clients[j], batches[i + j]))
                   for j in range(min(workers, len(batches) - i))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    seconds = time.perf_counter() - start
    if failures:
        print(f"  ingest failures: {len(failures)}; first: {failures[0]}", file=sys.stderr)
    return written[0], seconds


def latency(client, method, path, body=None, form=None, runs=200, warmup=10):
    for _ in range(warmup):
        client.request(method, path, body, form)
    times, errors = [], 0
    for _ in range(runs):
        t = time.perf_counter()
        status, _ = client.request(method, path, body, form)
        times.append((time.perf_counter() - t) * 1000)
        errors += status != 200
    times.sort()
    pct = lambda p: round(times[min(len(times) - 1, int(len(times) * p))], 2)
    total = sum(times) / 1000
    return {"p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99),
            "rps_one_connection": round(runs / total, 1), "errors": errors}


def queries(n):
    some = f"svc-{n // 2:07d}"
    search = "/v1/blueprints/service/entities/search"
    return {
        "first 50 by title (catalog page data)": ("POST", "/api/get_catalog_page", None,
                                                  {"page": "services", "sort": "$title", "search": "", "offset": "0"}),
        # What the page itself loads: the same read with the table rendered.
        "first 50 by title, rendered (get_catalog_view)": ("POST", "/api/get_catalog_view", None,
                                                           {"page": "services", "params[sort]": "$title", "offset": "0"}),
        "team + enum filter, 50": ("POST", search, {"limit": 50, "query": {"combinator": "and", "rules": [
            {"property": "$team", "operator": "containsAny", "value": ["team-07"]},
            {"property": "tier", "operator": "=", "value": "gold"}]}}, None),
        "sorted by number (catalog page, sort=monthlyCost)": ("POST", "/api/get_catalog_page", None,
                                                              {"page": "services", "sort": "-monthlyCost", "search": "", "offset": "0"}),
        "text term in title, 50": ("POST", search, {"limit": 50, "query": {"combinator": "and", "rules": [
            {"property": "$title", "operator": "contains", "value": "Ledger"}]}}, None),
        "relatedTo one entity": ("POST", search, {"limit": 50, "query": {"combinator": "and", "rules": [
            {"operator": "relatedTo", "blueprint": "service", "value": some}]}}, None),
        "count of a blueprint": ("GET", "/v1/blueprints/service/entities-count", None, None),
        "entity by identifier": ("GET", f"/v1/blueprints/service/entities/{some}", None, None),
    }


def wrk(port, tok, seconds=30, connections=64):
    """Bounded load on the search API; answers requests/s, latency and errors."""
    if not shutil.which("wrk"):
        return {"skipped": "wrk is not installed"}
    body = json.dumps({"limit": 50, "query": {"combinator": "and", "rules": [
        {"property": "tier", "operator": "=", "value": "gold"}]}})
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write('wrk.method = "POST"\nwrk.body = [[%s]]\n'
                 'wrk.headers["Content-Type"] = "application/json"\n'
                 'wrk.headers["Authorization"] = "Bearer %s"\n'
                 'done = function(summary, latency, requests)\n'
                 '  io.write(string.format("JSON {\\"requests\\": %%d, \\"errors\\": %%d, \\"non2xx\\": %%d, \\"p50_ms\\": %%.2f, \\"p99_ms\\": %%.2f}\\n",\n'
                 '    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,\n'
                 '    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000))\n'
                 'end\n' % (body, tok))
    script.close()
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script.name,
                          f"http://127.0.0.1:{port}/v1/blueprints/service/entities/search"],
                         capture_output=True, text=True)
    os.unlink(script.name)
    line = next((l for l in out.stdout.splitlines() if l.startswith("JSON ")), None)
    if not line:
        return {"error": out.stdout[-500:] + out.stderr[-500:]}
    result = json.loads(line[5:])
    result["rps"] = round(result["requests"] / seconds, 1)
    result["connections"], result["seconds"] = connections, seconds
    return result


def run_one(kind, n, source, pg_url):
    port = free_port()
    tmp = tempfile.mkdtemp(prefix="portolan-bench-")
    if kind == "sqlite":
        db_file = os.path.join(tmp, "bench.db")
        url = f"sqlite://{db_file}?mode=rwc"
    else:
        name = f"portolan_bench_{os.getpid()}_{n}"
        subprocess.run(["psql", pg_url, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
        subprocess.run(["psql", pg_url, "-qc", f"CREATE DATABASE {name}"], check=True)
        url = pg_url.rsplit("/", 1)[0] + "/" + name
    server = Server(url, port, os.path.join(tmp, "plans.jsonl"))
    result = {"database": kind, "entities": n, "plans": {}}
    try:
        tok = token(port)
        admin = Client(port, tok)
        status, body = admin.request("POST", "/v1/blueprints", SERVICE)
        assert status == 201, body
        for team in TEAMS:
            admin.request("POST", "/v1/teams", {"name": team})
        written, seconds = ingest(port, tok, source(n))
        result["ingest"] = {"written": written, "seconds": round(seconds, 2),
                            "entities_per_second": round(written / seconds)}
        print(f"  {kind} {n}: ingest {written} in {seconds:.1f} s = {written / seconds:,.0f}/s", flush=True)
        result["rss_after_ingest_mb"] = round(rss_mb(server.proc.pid), 1)
        result["anon_after_ingest_mb"] = round(rss_mb(server.proc.pid, "RssAnon"), 1)
        result["pss_after_ingest_mb"] = round(pss_mb(server.proc.pid) or 0, 1)
        # Server functions need a signed-in session: sign in as the admin.
        form_client = Client(port)
        form_client.conn.request("POST", "/login", body=urllib.parse.urlencode(
            {"email": "admin@portolan.local", "password": "bench-admin-password", "next": "/"}),
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        resp = form_client.conn.getresponse()
        resp.read()
        cookie = resp.getheader("Set-Cookie", "").split(";")[0]
        result["search"] = {}
        for label, (method, path, body, form) in queries(n).items():
            client = Client(port, cookie=cookie) if path.startswith("/api/") else admin
            server.new_plans()
            result["search"][label] = latency(client, method, path, body, form)
            print(f"    {label}: {result['search'][label]}", flush=True)
            result["plans"][label] = server.new_plans()
        page = Client(port, cookie=cookie)
        result["catalog_page_ssr"] = latency(page, "GET", "/catalog/services?sort=%24title", runs=100)
        print(f"    catalog page SSR: {result['catalog_page_ssr']}", flush=True)
        # The same page with an initial filter set by the admin (applied on
        # the server to every read), a table filter in the URL and a sort.
        status, _ = page.request("POST", "/api/set_page_filter", None, {"page": "services", "filter": json.dumps(
            {"combinator": "and", "rules": [{"property": "tier", "operator": "in", "value": ["gold", "silver"]}]})})
        assert status == 200, status
        table_filter = urllib.parse.quote(json.dumps(
            {"combinator": "and", "rules": [{"property": "$team", "operator": "containsAny", "value": ["team-07"]}]}))
        server.new_plans()
        result["catalog_page_ssr_filtered"] = latency(
            page, "GET", f"/catalog/services?filter={table_filter}&sort=-monthlyCost", runs=100)
        result["plans"]["catalog page, initial + table filter, sorted"] = server.new_plans()
        print(f"    catalog page SSR, initial + table filter, sorted: {result['catalog_page_ssr_filtered']}", flush=True)
        # A dashboard of every figure kind over all N services, computed on
        # the server for the viewer: two numbers, a pie, a bar, a weekly
        # line over a year broken down by tier, a table; and the same with
        # a page filter narrowing every widget to one team.
        status, body = admin.request("POST", "/v1/pages", DASHBOARD)
        assert status == 201, body
        server.new_plans()
        result["dashboard_ssr"] = latency(page, "GET", "/dashboard/bench", runs=50, warmup=3)
        result["plans"]["dashboard"] = server.new_plans()
        print(f"    dashboard SSR (6 widgets): {result['dashboard_ssr']}", flush=True)
        team_filter = urllib.parse.quote(json.dumps(
            [{"property": "$team", "operator": "containsAny", "value": ["team-07"]}]))
        result["dashboard_ssr_filtered"] = latency(
            page, "GET", f"/dashboard/bench?filter.teams={team_filter}", runs=50, warmup=3)
        print(f"    dashboard SSR, one team: {result['dashboard_ssr_filtered']}", flush=True)
        browser = browser_pages(port, cookie)
        if browser:
            result["browser"] = browser
            for path, visits in browser.items():
                print(f"    in chromium {path}: {visits}", flush=True)
        load_rss = []
        load_anon, load_pss = [], []
        sampler = threading.Thread(target=lambda: [(load_rss.append(rss_mb(server.proc.pid)),
                                                    load_anon.append(rss_mb(server.proc.pid, "RssAnon")),
                                                    load_pss.append(pss_mb(server.proc.pid))) and time.sleep(1)
                                                   for _ in range(25)])
        sampler.start()
        result["load"] = wrk(port, tok)
        sampler.join()
        result["rss_under_load_mb"] = round(max(x for x in load_rss if x), 1)
        result["anon_under_load_mb"] = round(max(x for x in load_anon if x), 1)
        result["pss_under_load_mb"] = round(max((x for x in load_pss if x), default=0), 1)
        print(f"    load: {result['load']}; RSS {result['rss_under_load_mb']} MB, of it allocated (RssAnon) "
              f"{result['anon_under_load_mb']} MB; PSS {result['pss_under_load_mb']} MB", flush=True)
        if kind == "sqlite":
            result["database_mb"] = round(sum(os.path.getsize(os.path.join(tmp, f)) for f in os.listdir(tmp)) / 2**20, 1)
        else:
            size = subprocess.run(["psql", url, "-tAc", "SELECT pg_database_size(current_database())"],
                                  capture_output=True, text=True, check=True).stdout.strip()
            result["database_mb"] = round(int(size) / 2**20, 1)
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        if kind == "postgres":
            subprocess.run(["psql", pg_url, "-qc", f"DROP DATABASE IF EXISTS {name}"])
    return result


def browser_pages(port, cookie, runs=10):
    """Pages in headless chromium (bench/browser.mjs): bytes over the wire
    and time to interactive (hydrated), first visit and repeat visit. None
    without a bundle, node or chromium."""
    pkg = os.path.join(os.environ.get("PORTOLAN_SITE", "target/site"), "pkg", "portolan.wasm")
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not (os.path.exists(pkg) and shutil.which("node") and os.path.exists(chromium)):
        return None
    pages = ["/catalog/services", "/catalog/services?sort=-monthlyCost&group=tier",
             "/entity/service/svc-0000001", "/dashboard/bench", "/"]
    out = subprocess.run(["node", os.path.join(HERE, "browser.mjs"), f"http://127.0.0.1:{port}", cookie,
                          str(runs)] + pages, capture_output=True, text=True, timeout=900)
    if out.returncode != 0:
        print(f"    browser pages failed: {out.stderr[-2000:]}", flush=True)
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def timed(client, method, path, body):
    """One request: (status, milliseconds)."""
    t = time.perf_counter()
    status, _ = client.request(method, path, body)
    return status, (time.perf_counter() - t) * 1000


def summary(times):
    times = sorted(times)
    pct = lambda p: round(times[min(len(times) - 1, int(len(times) * p))], 2)
    return {"runs": len(times), "p50_ms": pct(0.5), "p95_ms": pct(0.95), "mean_ms": round(statistics.mean(times), 2)}


def run_writes(kind, pg_url, seed):
    """The entity write path on a fresh server: single creates (each with 1-3
    relations to earlier entities), single merges (PATCH), and 1,000-entity
    bulk creates and upserts. Latencies per request; bulk also entities/s."""
    port = free_port()
    tmp = tempfile.mkdtemp(prefix="portolan-bench-writes-")
    if kind == "sqlite":
        url = f"sqlite://{os.path.join(tmp, 'bench.db')}?mode=rwc"
    else:
        name = f"portolan_bench_writes_{os.getpid()}"
        subprocess.run(["psql", pg_url, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
        subprocess.run(["psql", pg_url, "-qc", f"CREATE DATABASE {name}"], check=True)
        url = pg_url.rsplit("/", 1)[0] + "/" + name
    server = Server(url, port, os.path.join(tmp, "plans.jsonl"))
    result = {"database": kind}
    try:
        admin = Client(port, token(port))
        status, body = admin.request("POST", "/v1/blueprints", SERVICE)
        assert status == 201, body
        for team in TEAMS:
            admin.request("POST", "/v1/teams", {"name": team})
        entities = list(generate(10_500, seed))
        singles, merges = [], []
        for e in entities[:500]:
            status, ms = timed(admin, "POST", "/v1/blueprints/service/entities", e)
            assert status == 201, status
            singles.append(ms)
        for i, e in enumerate(entities[:500]):
            status, ms = timed(admin, "PATCH", f"/v1/blueprints/service/entities/{e['identifier']}",
                               {"properties": {"monthlyCost": 1000 + i}})
            assert status == 200, status
            merges.append(ms)
        result["single_create"] = summary(singles)
        result["single_patch"] = summary(merges)
        bulk_create, bulk_upsert = [], []
        for start in range(500, 10_500, 1000):
            batch = entities[start:start + 1000]
            status, ms = timed(admin, "POST", "/v1/blueprints/service/entities/bulk", {"entities": batch})
            assert status == 200, status
            bulk_create.append(ms)
        for start in range(500, 10_500, 1000):
            batch = entities[start:start + 1000]
            for e in batch:
                e["properties"]["monthlyCost"] += 1
            status, ms = timed(admin, "POST", "/v1/blueprints/service/entities/bulk?upsert=true", {"entities": batch})
            assert status == 200, status
            bulk_upsert.append(ms)
        for label, times in (("bulk_create_1000", bulk_create), ("bulk_upsert_1000", bulk_upsert)):
            result[label] = summary(times)
            result[label]["entities_per_second"] = round(1000 * 1000 / statistics.mean(times))
        for key in ("single_create", "single_patch", "bulk_create_1000", "bulk_upsert_1000"):
            print(f"  {kind} {key}: {result[key]}", flush=True)
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        if kind == "postgres":
            subprocess.run(["psql", pg_url, "-qc", f"DROP DATABASE IF EXISTS {name}"])
    return result


def bundle_size():
    """The shell every page loads (portolan.wasm) and, with a split build,
    what each lazy page loads on top of it (its chunks, from the manifest)."""
    pkg = os.path.join(os.environ.get("PORTOLAN_SITE", "target/site"), "pkg")
    wasm = os.path.join(pkg, "portolan.wasm")
    if not os.path.exists(wasm):
        return None

    def sizes(names):
        raw = b"".join(open(os.path.join(pkg, n + ".wasm"), "rb").read() for n in names)
        return len(raw), len(gzip.compress(raw, 9))

    raw, gz = sizes(["portolan"])
    result = {"wasm_raw_kb": round(raw / 1024), "wasm_gzip_kb": round(gz / 1024)}
    manifest = os.path.join(pkg, "__wasm_split_manifest.json")
    if os.path.exists(manifest):
        pages = {}
        for name, chunks in json.load(open(manifest)).items():
            if not isinstance(chunks, list) or not name.endswith(tuple("0123456789")) or "_route_view_" not in name:
                continue
            page = name.strip("_").split("_route_view_")[0]
            page_raw, page_gz = sizes([c for c in chunks if os.path.exists(os.path.join(pkg, c + ".wasm"))])
            # One gzip of the page's chunks together; served one by one
            # they compress a little worse.
            pages[page] = {"page_gzip_kb": round(page_gz / 1024), "with_shell_gzip_kb": round((page_gz + gz) / 1024)}
        result["lazy_pages"] = pages
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--million", action="store_true", help="also measure 1,000,000 entities")
    ap.add_argument("--databases", default="sqlite,postgres")
    ap.add_argument("--jsonl", help="load entities from this JSON-lines file instead of generating them")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--pg-url", default=os.environ.get("PORTOLAN_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    ap.add_argument("--writes", metavar="LABEL",
                    help="measure only the entity write path (single and 1,000-entity bulk writes) and "
                         "save it as results/<date>-writes-<LABEL>.json")
    args = ap.parse_args()
    if args.writes:
        report = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                  "binary": os.environ["PORTOLAN_BIN"],
                  "runs": [run_writes(kind, args.pg_url, args.seed) for kind in args.databases.split(",")]}
        os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
        out = os.path.join(HERE, "results", f"{report['date'][:10]}-writes-{args.writes}.json")
        with open(out, "w") as f:
            json.dump(report, f, indent=2)
        print(f"wrote {out}")
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.million:
        sizes.append(1_000_000)
    if args.jsonl:
        source = lambda n: (e for i, e in zip(range(n), read_jsonl(args.jsonl)))
    else:
        source = lambda n: generate(n, args.seed)
    report = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": {"cpus": os.cpu_count(), "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)},
        "bundle": bundle_size(),
        "runs": [],
    }
    for kind in args.databases.split(","):
        for n in sizes:
            report["runs"].append(run_one(kind, n, source, args.pg_url))
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    out = os.path.join(HERE, "results", report["date"][:10] + ".json")
    with open(out, "w") as f:
        json.dump(report, f, indent=2)
    print(f"\nwrote {out}\n")
    print(markdown(report))
    print(plans_markdown(report))


def ssr_filtered(run):
    """The filtered catalog SSR cell (older result files lack it)."""
    v = run.get("catalog_page_ssr_filtered")
    return f"{v['p50_ms']} / {v['p95_ms']}" if v else "–"


def cell(run, key):
    """A p50 / p95 cell (older result files lack some)."""
    v = run.get(key)
    return f"{v['p50_ms']} / {v['p95_ms']}" if v else "–"


def markdown(report):
    lines = [f"Measured {report['date']} on {report['machine']['cpus']} cores, {report['machine']['memory_gb']} GiB. "
             f"Hydrate bundle: {report['bundle']}.", "",
             "| database | entities | ingest /s | " + " | ".join(f"{q} p50/p95/p99 ms" for q in report["runs"][0]["search"]) +
             " | catalog SSR p50/p95 ms | catalog SSR filtered+sorted p50/p95 ms | dashboard SSR p50/p95 ms | dashboard, one team p50/p95 ms | load rps (64 conn, 30 s) | load errors | RSS ingest / load MB | DB MB |",
             "|" + "---|" * (11 + len(report["runs"][0]["search"]))]
    for r in report["runs"]:
        s = " | ".join(f"{v['p50_ms']} / {v['p95_ms']} / {v['p99_ms']}" for v in r["search"].values())
        load = r.get("load", {})
        lines.append(f"| {r['database']} | {r['entities']:,} | {r['ingest']['entities_per_second']:,} | {s} | "
                     f"{r['catalog_page_ssr']['p50_ms']} / {r['catalog_page_ssr']['p95_ms']} | "
                     f"{ssr_filtered(r)} | {cell(r, 'dashboard_ssr')} | {cell(r, 'dashboard_ssr_filtered')} | {load.get('rps')} | "
                     f"{load.get('errors', 0) + load.get('non2xx', 0) if 'rps' in load else load} | "
                     f"{r['rss_after_ingest_mb']} / {r['rss_under_load_mb']} | {r['database_mb']} |")
    browsed = [r for r in report["runs"] if r.get("browser")]
    if browsed:
        lines += ["", "In headless chromium (bytes over the wire, compressed as sent; interactive = hydrated), p50 of 10:", "",
                  "| database | entities | page | first visit KB | first visit interactive p50 / p95 ms | "
                  "repeat visit KB | repeat visit interactive p50 / p95 ms |", "|---|---|---|---|---|---|---|"]
        for r in browsed:
            for path, v in r["browser"].items():
                f, again = v["first_visit"], v["repeat_visit"]
                lines.append(f"| {r['database']} | {r['entities']:,} | `{path}` | {f['kb_over_wire']} | "
                             f"{f['hydrated_p50_ms']} / {f['hydrated_p95_ms']} | {again['kb_over_wire']} | "
                             f"{again['hydrated_p50_ms']} / {again['hydrated_p95_ms']} |")
    return "\n".join(lines)


def plans_markdown(report):
    """Each query's plans (row and count statements), per database, at the
    largest size measured."""
    lines = []
    for kind in dict.fromkeys(r["database"] for r in report["runs"]):
        run = max((r for r in report["runs"] if r["database"] == kind), key=lambda r: r["entities"])
        lines.append(f"\n#### Plans, {kind}, {run['entities']:,} entities\n")
        for label, plans in run.get("plans", {}).items():
            lines.append(f"{label}:\n\n```")
            for p in plans:
                lines.append(re.sub(r"SELECT e\.identifier, .*?e\.version", "SELECT <entity columns>", p["sql"]))
                lines.extend("  " + step for step in p["plan"])
            lines.append("```\n")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
