"""Network map benchmarks: import + dedupe of 100,000 rows, matcher precision/recall,
map data for 50,000 players at country zoom, graph metrics for 5,000 players.

    python -m bench network              # SQLite in a fresh temporary data dir
    DATABASE_URL=postgres://.../al_bench python -m bench network   # an empty database
    python -m bench network --only graph --no-exact-betweenness  # skip the exact reference

The graph figure reports the error of the sampled betweenness against networkx's exact
values (computed once, ~1.5 min, then cached in ~/.cache/actlocal/).

Figures are printed and written to the "Network map" section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._docs import write_section

ADJECTIVES = [
    "United",
    "Bright",
    "Rising",
    "Forward",
    "Common",
    "Open",
    "Brave",
    "Fair",
    "Green",
    "Bold",
    "Free",
    "Strong",
    "Just",
    "Shared",
    "Golden",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Civic",
    "Proud",
    "Steady",
    "Hopeful",
    "Neighborly",
    "Radiant",
    "Resilient",
    "Peaceful",
    "Vibrant",
    "Healthy",
    "Caring",
]
NOUNS = [
    "Futures",
    "Voices",
    "Neighbors",
    "Families",
    "Workers",
    "Students",
    "Parents",
    "Rivers",
    "Gardens",
    "Streets",
    "Communities",
    "Hands",
    "Hearts",
    "Roots",
    "Bridges",
    "Lanterns",
    "Harvest",
    "Commons",
    "Circle",
    "Table",
    "Horizon",
    "Compass",
    "Tide",
    "Spring",
    "Path",
    "Home",
    "Village",
    "Harbor",
    "Sunrise",
    "Valley",
    "Mesa",
    "Prairie",
    "Summit",
    "Grove",
    "Canyon",
    "Meadow",
    "Delta",
    "Hollow",
    "Ridge",
]
KINDS = [
    "Alliance",
    "Coalition",
    "Collective",
    "Network",
    "Project",
    "Council",
    "Union",
    "Fund",
    "Caucus",
    "Circle",
    "Team",
]
NETWORKS = ["Indivisible", "Sunrise", "Moms Demand Action", "SURJ", "Working Families"]
HOODS = [
    "Mission",
    "Richmond",
    "Eastside",
    "Westside",
    "Northside",
    "Southside",
    "Downtown",
    "Uptown",
    "Midtown",
    "Riverside",
    "Hillside",
    "Lakeside",
    "Parkside",
    "Harbor",
    "Heights",
    "Gardens",
]
ABBREV = {"San Francisco": "SF", "New York": "NYC", "Los Angeles": "LA", "Philadelphia": "Philly"}


def _places(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    from actlocal.common import geo

    table = [(p.zip_code, p.city, p.state) for p in geo._zip_table().values()]
    return rng.sample(table, count)


def _entities(
    rng: random.Random, n: int, places: list[tuple[str, str, str]]
) -> list[dict[str, str]]:
    seen: set[tuple[str, str]] = set()
    out: list[dict[str, str]] = []
    while len(out) < n:
        zip_code, city, state = rng.choice(places)
        if rng.random() < 0.15:
            name = f"{rng.choice(NETWORKS)} {rng.choice(HOODS)} {city}"
        else:
            name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(KINDS)} of {city}"
        if (name, city) in seen:
            continue
        seen.add((name, city))
        slug = name.lower().replace(" ", "")[:30] + str(len(out))
        out.append({
            "name": name, "city": city, "state": state, "zip": zip_code,
            "website": f"https://{slug}.org" if rng.random() < 0.6 else "",
            "email": f"info@{slug}.org" if rng.random() < 0.5 else "",
            "phone": (
                f"{rng.randint(200, 989)}-555-{rng.randint(1000, 9999)}"
                if rng.random() < 0.4 else ""
            ),
        })  # fmt: skip
    return out


def _variant(rng: random.Random, row: dict[str, str]) -> dict[str, str]:
    """The same player as another partner spells it."""
    dup = dict(row)
    name = row["name"]
    for city, short in ABBREV.items():
        if city in name and rng.random() < 0.7:
            name = name.replace(city, short)
    choice = rng.random()
    if choice < 0.25:
        name += rng.choice([", Inc.", " Chapter", " (chapter)", " Inc"])
    elif choice < 0.45:
        name = name.upper()
    elif choice < 0.6:
        name = "The " + name
    elif choice < 0.75 and len(name) > 12:
        i = rng.randint(3, len(name) - 3)
        name = name[:i] + name[i + 1] + name[i] + name[i + 2 :]  # a typo
    dup["name"] = name
    for key in ("website", "email", "phone"):
        if rng.random() < 0.4:
            dup[key] = ""
    if rng.random() < 0.3:
        dup["zip"] = ""
    return dup


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ID", "Name", "City", "State", "ZIP", "Website", "Email", "Phone"])
        for i, r in enumerate(rows, start=1):
            writer.writerow([i, r["name"], r["city"], r["state"], r["zip"], r["website"],
                             r["email"], r["phone"]])  # fmt: skip


def _backend_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend, when the server
    runs on this machine (read from /proc); None otherwise."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_import(rows: int, workdir: Path) -> dict[str, Any]:
    from actlocal.common.context import acting_as
    from actlocal.network.models import Organization
    from actlocal.network.services import imports
    from actlocal.network.services.dedupe import run_dedupe

    rng = random.Random(1)
    unique = _entities(rng, int(rows * 0.9), _places(rng, 3000))
    dups = [_variant(rng, rng.choice(unique)) for _ in range(rows - len(unique))]
    data = unique + dups
    rng.shuffle(data)
    path = workdir / "players.csv"
    _write_csv(path, data)
    backend_start = _backend_cpu()
    start = time.perf_counter()
    cpu_start = time.process_time()
    with acting_as(via="bench"):
        run = imports.create_run(path=path, filename=path.name, source="bench")
        imports.configure_run(run=run, mapping=run.mapping, dry_run=False)
        run = imports.run_import(run=run)
        t_import = time.perf_counter() - start
        result = run_dedupe()
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    backend_end = _backend_cpu()
    backend = None if backend_start is None or backend_end is None else backend_end - backend_start
    live = Organization.objects.filter(merged_into__isnull=True).count()
    return {"rows": rows, "import_s": t_import, "total_s": total, "cpu_s": cpu,
            "created": run.created_count,
            "merged_on_import": run.merged_count, "merged_by_dedupe": result.merged,
            "for_review": result.for_review + run.review_count, "players": live,
            "true_players": len(unique), "backend_cpu_s": backend}  # fmt: skip


def bench_matching(n: int = 20000) -> dict[str, float]:
    from actlocal.network import matching

    rng = random.Random(2)
    unique = _entities(rng, n, _places(rng, 600))
    truth: set[tuple[int, int]] = set()
    index = matching.Index()
    for i, row in enumerate(unique):
        index.add(matching.Record(i, row["name"], row["city"], row["state"], row["zip"],
                                  row["website"], row["email"], row["phone"]))  # fmt: skip
    key = len(unique)
    for _ in range(n // 10):
        original = rng.randrange(len(unique))
        row = _variant(rng, unique[original])
        index.add(matching.Record(key, row["name"], row["city"], row["state"], row["zip"],
                                  row["website"], row["email"], row["phone"]))  # fmt: skip
        truth.add((original, key))
        key += 1
    # duplicates of the same original are duplicates of each other too
    by_original: dict[int, list[int]] = {}
    for original, dup in truth:
        by_original.setdefault(original, []).append(dup)
    for dups in by_original.values():
        for a in dups:
            for b in dups:
                if a < b:
                    truth.add((a, b))
    start = time.perf_counter()
    pairs = index.all_pairs()
    elapsed = time.perf_counter() - start
    out: dict[str, float] = {
        "records": len(index.records),
        "true_pairs": len(truth),
        "seconds": elapsed,
    }
    for label, threshold in (
        ("review", matching.REVIEW_THRESHOLD),
        ("auto", matching.AUTO_MERGE_THRESHOLD),
    ):
        found = {(m.left, m.right) for m in pairs if m.score >= threshold}
        hits = len(found & truth)
        out[f"{label}_precision"] = hits / len(found) if found else 1.0
        out[f"{label}_recall"] = hits / len(truth)
    return out


def bench_map(n: int = 50000) -> dict[str, float]:
    from actlocal.network import selectors
    from actlocal.network.models import Organization

    rng = random.Random(3)
    places = _places(rng, 5000)
    existing = Organization.objects.count()
    Organization.objects.bulk_create(
        [
            Organization(
                name=f"Map player {i}",
                slug=f"map-player-{i}",
                kind="grassroots",
                city=p[1],
                state=p[2],
                zip_code=p[0],
                latitude=geo_lat + rng.uniform(-0.05, 0.05),
                longitude=geo_lng + rng.uniform(-0.05, 0.05),
            )
            for i in range(max(0, n - existing))
            for p in [rng.choice(places)]
            for geo_lat, geo_lng in [_point(p[0])]
        ],
        batch_size=2000,
    )

    class Staff:
        is_authenticated = True

    timings = []
    for _ in range(7):
        start = time.perf_counter()
        data = selectors.map_data(selectors.players(viewer=Staff()), zoom=4)
        timings.append(time.perf_counter() - start)
    return {"players": Organization.objects.count(), "clusters": len(data["clusters"]),
            "p50_ms": statistics.median(timings) * 1000, "max_ms": max(timings) * 1000}  # fmt: skip


def _point(zip_code: str) -> tuple[float, float]:
    from actlocal.common import geo

    place = geo.zip_place(zip_code)
    assert place is not None
    return place.latitude, place.longitude


def _benchmark_graph(nodes: int, edges: int) -> Any:
    import networkx as nx

    rng = random.Random(5)
    g = nx.Graph()
    for i in range(nodes):
        g.add_node(i, name=f"Player {i}", kind="grassroots")
    communities = 50
    while g.number_of_edges() < edges:
        a = rng.randrange(nodes)
        if rng.random() < 0.9:
            b = (a // (nodes // communities)) * (nodes // communities) + rng.randrange(
                nodes // communities
            )
        else:
            b = rng.randrange(nodes)
        if a != b:
            g.add_edge(a, b, kind="coalition_with")
    return g


def _exact_betweenness(g: Any) -> tuple[dict[int, float], float, bool]:
    """networkx's exact betweenness (all sources), cached on disk: the benchmark graph is
    seeded, so the ~1.5 min computation is paid once per graph and networkx version."""
    import hashlib
    import json

    import networkx as nx

    edges = sorted((min(a, b), max(a, b)) for a, b in g.edges)
    digest = hashlib.sha256(f"{nx.__version__}|{g.number_of_nodes()}|{edges}".encode()).hexdigest()
    cache_dir = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "actlocal"
    path = cache_dir / f"bench-exact-betweenness-{digest[:16]}.json"
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        return {int(k): v for k, v in data["values"].items()}, data["seconds"], True
    start = time.perf_counter()
    values = nx.betweenness_centrality(g)
    seconds = time.perf_counter() - start
    cache_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"seconds": seconds, "values": values}), encoding="utf-8")
    return values, seconds, False


def _ranks(values: list[float]) -> list[float]:
    """Ranks 1..n, ties sharing their mean rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: list[float], ys: list[float]) -> float:
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    var = (sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry)) ** 0.5
    return cov / var if var else 1.0


def kendall_tau_b(xs: list[float], ys: list[float]) -> float:
    concordant = discordant = ties_x = ties_y = 0
    for i in range(len(xs)):
        for j in range(i + 1, len(xs)):
            dx, dy = xs[i] - xs[j], ys[i] - ys[j]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                ties_x += 1
            elif dy == 0:
                ties_y += 1
            elif (dx > 0) == (dy > 0):
                concordant += 1
            else:
                discordant += 1
    denominator = ((concordant + discordant + ties_x) * (concordant + discordant + ties_y)) ** 0.5
    return (concordant - discordant) / denominator if denominator else 1.0


def betweenness_error(
    sampled: dict[int, float], exact: dict[int, float], top: int = 20
) -> dict[str, float]:
    """How far the sampled betweenness is from the exact one, and whether it names the
    same brokers: overlap of the top ``top`` and rank correlation on the exact top ``top``."""
    nodes = list(exact)
    errors = [abs(sampled[n] - exact[n]) for n in nodes]
    top_exact = sorted(nodes, key=lambda n: -exact[n])[:top]
    top_sampled = sorted(nodes, key=lambda n: -sampled[n])[:top]
    exact_top = [exact[n] for n in top_exact]
    sampled_top = [sampled[n] for n in top_exact]
    return {
        "max_abs_error": max(errors),
        "mean_abs_error": statistics.fmean(errors),
        "max_exact": max(exact.values()),
        "top": top,
        "top_overlap": len(set(top_exact) & set(top_sampled)),
        # the graph page lists ten brokers
        "top10_overlap": len(set(top_exact[:10]) & set(top_sampled[:10])),
        "top_spearman": spearman(exact_top, sampled_top),
        "top_kendall": kendall_tau_b(exact_top, sampled_top),
        "all_spearman": spearman([exact[n] for n in nodes], [sampled[n] for n in nodes]),
    }


def bench_graph(nodes: int = 5000, edges: int = 20000, exact: bool = False) -> dict[str, Any]:
    from actlocal.network import graph as graph_metrics

    g = _benchmark_graph(nodes, edges)
    start = time.perf_counter()
    cpu_start = time.process_time()
    metrics = graph_metrics.compute(g, issues={})
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    out: dict[str, Any] = {"nodes": nodes, "edges": g.number_of_edges(), "seconds": elapsed,
                           "cpu": cpu, "k": graph_metrics.BETWEENNESS_SAMPLE,
                           "brokers": [b["id"] for b in metrics.brokers]}  # fmt: skip
    if exact:
        exact_values, out["exact_seconds"], out["exact_cached"] = _exact_betweenness(g)
        start = time.perf_counter()
        sampled = graph_metrics.sampled_betweenness(g, k=graph_metrics.BETWEENNESS_SAMPLE)
        out["sampled_seconds"] = time.perf_counter() - start
        out.update(betweenness_error(sampled, exact_values))
    return out


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench.network")
    parser.add_argument("--rows", type=int, default=100000)
    parser.add_argument(
        "--exact-betweenness",
        "--exact",
        dest="exact",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="Report the error of the sampled betweenness against networkx's exact values "
        "(~1.5 min the first time, then read from ~/.cache/actlocal; default on).",
    )
    parser.add_argument("--only", choices=["import", "matching", "map", "graph"], action="append")
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="actlocal-bench-network-"))
    os.environ.setdefault("ACTLOCAL_DATA_DIR", str(workdir))
    os.environ.setdefault("ACTLOCAL_TASKS", "immediate")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "actlocal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from actlocal.network.models import Organization

    call_command("migrate", verbosity=0)
    if Organization.objects.exists():
        sys.exit("bench.network needs an empty database (players found); use a fresh DATABASE_URL")
    only = set(args.only or ["import", "matching", "map", "graph"])
    db = connection.vendor
    lines = [f"## Network map ({db})", "",
             f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on "
             f"{platform.machine()} / {os.cpu_count()} cores / Python {platform.python_version()}, "
             f"database {db} (`python -m bench network`).", ""]  # fmt: skip
    if "map" in only:
        mp = bench_map()
        lines.append(
            f"- Map data for {mp['players']:,} players at country zoom (4): "
            f"p50 **{mp['p50_ms']:.0f} ms**, max {mp['max_ms']:.0f} ms server time, "
            f"{mp['clusters']} clusters (target < 200 ms)."
        )
        print(lines[-1], flush=True)
        Organization.objects.all().delete()  # the import below starts from an empty database
    if "import" in only:
        r = bench_import(args.rows, workdir)
        lines.append(
            f"- Import + dedupe of {r['rows']:,} generated rows (10% duplicates), CLI code path: "
            f"**{r['total_s']:.1f} s** wall (import {r['import_s']:.1f} s; target < 60 s), "
            f"**{r['cpu_s']:.1f} s** CPU of the benchmark process"
            + (
                f" + {r['backend_cpu_s']:.1f} s CPU of its PostgreSQL backend"
                if r["backend_cpu_s"] is not None
                else ""
            )
            + f" (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores). "
            f"{r['created']:,} created, {r['merged_on_import']:,} merged on import, "
            f"{r['merged_by_dedupe']:,} merged by dedupe, {r['for_review']:,} pairs for review; "
            f"{r['players']:,} players left for {r['true_players']:,} real ones."
        )
        print(lines[-1], flush=True)
    if "matching" in only:
        m = bench_matching()
        lines.append(
            f"- Matcher on a labeled set of {int(m['records']):,} records "
            f"({int(m['true_pairs']):,} true duplicate pairs, hard negatives = sibling "
            f"chapters in one city): review band and above "
            f"precision **{m['review_precision']:.3f}** / recall **{m['review_recall']:.3f}**; "
            f"automatic merges precision **{m['auto_precision']:.3f}** / recall "
            f"{m['auto_recall']:.3f} (targets ≥ 0.95 / ≥ 0.90); {m['seconds']:.1f} s."
        )
        print(lines[-1], flush=True)
    if "graph" in only:
        g = bench_graph(exact=args.exact)
        text = (
            f"- Graph metrics for {g['nodes']:,} players / {g['edges']:,} relationships "
            f"(betweenness sampled k={g['k']}, seeded; components; isolates; "
            f"layout of the top 150): "
            f"**{g['seconds']:.1f} s** wall, **{g['cpu']:.1f} s** CPU "
            f"(load average {os.getloadavg()[0]:.1f}; target < 5 s)."
        )
        if "exact_seconds" in g:
            text += (
                f" Sampled (k={g['k']}, {g['sampled_seconds']:.1f} s) vs exact betweenness "
                f"(networkx, {g['exact_seconds']:.0f} s"
                f"{', cached' if g['exact_cached'] else ''}): "
                f"max absolute error **{g['max_abs_error']:.4f}**, mean absolute error "
                f"**{g['mean_abs_error']:.5f}** (largest exact value {g['max_exact']:.4f}); "
                f"top-{g['top']} brokers: overlap **{g['top_overlap']}/{g['top']}** "
                f"(top 10, as listed on the graph page: {g['top10_overlap']}/10), "
                f"Spearman {g['top_spearman']:.3f}, Kendall tau-b {g['top_kendall']:.3f} "
                f"on the exact top {g['top']}; Spearman over all players {g['all_spearman']:.3f}."
            )
        lines.append(text)
        print(lines[-1], flush=True)
    if not args.no_docs:
        write_section("\n".join(lines))
