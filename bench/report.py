"""The benchmark's results as Markdown tables (a generated section of bench/README.md) and the goals of issue 11.

The goals, as ratios from one run: /sparql within 1.3× of Oxigraph server on every query (or within 0.5 ms where
Oxigraph answers in under 2 ms) and never slower than rdflib-endpoint; memory at the largest scale within 1.5× of
Oxigraph server's; pages at the most clients with no errors, at least min(1,000 req/s, Oxigraph's DESCRIBE ÷ 10) and
p99 under 100 ms; pages at the largest scale within 2× of their 1× throughput.
"""

from __future__ import annotations

import re
from pathlib import Path

BEGIN = "<!-- bench:results:begin (written by `python -m bench`; edits here are overwritten) -->"
END = "<!-- bench:results:end -->"

SPARQL_RATIO = 1.3
SPARQL_SLACK_MS = 0.5
SPARQL_FAST_MS = 2.0
MEMORY_RATIO = 1.5
PAGE_RPS = 1000.0
PAGE_DESCRIBE_SHARE = 10.0
PAGE_P99_MS = 100.0
PAGE_SCALE_RATIO = 2.0


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def sparql_goal_met(r2pkg_ms: float, oxigraph_ms: float) -> bool:
    if oxigraph_ms < SPARQL_FAST_MS:
        return r2pkg_ms - oxigraph_ms <= SPARQL_SLACK_MS or r2pkg_ms <= SPARQL_RATIO * oxigraph_ms
    return r2pkg_ms <= SPARQL_RATIO * oxigraph_ms


def _median(timings: dict, server: str) -> float | None:
    return (timings.get(server) or {}).get("median_ms")


def goals(results: dict) -> list[dict]:
    """Each goal with the numbers behind it: {"goal", "met" (True/False/None when not measured), "detail"}."""
    out = []
    scales = [s for s in results["scales"] if not s.get("skipped")]
    for scale in scales:
        label = f"{scale['copies']}×"
        pairs = [(name, _median(t, "r2pkg"), _median(t, "oxigraph")) for name, t in scale.get("queries", {}).items()]
        pairs = [(n, r, o) for n, r, o in pairs if r is not None and o is not None]
        if pairs:
            missed = [(n, r, o) for n, r, o in pairs if not sparql_goal_met(r, o)]
            worst = max(pairs, key=lambda p: p[1] / p[2])
            out.append({"goal": f"/sparql within {SPARQL_RATIO}× of Oxigraph (or +{SPARQL_SLACK_MS} ms under "
                                f"{SPARQL_FAST_MS:g} ms) at {label}",
                        "met": not missed,
                        "detail": f"{len(pairs) - len(missed)} of {len(pairs)} queries; worst {worst[0]}: "
                                  f"{_ms(worst[1])} ms vs {_ms(worst[2])} ms ({worst[1] / worst[2]:.1f}×)"})
        versus = [(name, _median(t, "r2pkg"), t.get("rdflib-endpoint") or {}) for name, t in
                  scale.get("queries", {}).items() if "rdflib-endpoint" in t]
        versus = [(n, r, t) for n, r, t in versus
                  if r is not None and (t.get("median_ms") is not None or (t.get("error") or "").startswith("timeout"))]
        if versus:
            slower = [(n, r, t["median_ms"]) for n, r, t in versus
                      if t.get("median_ms") is not None and r > t["median_ms"]]
            detail = f"{len(versus) - len(slower)} of {len(versus)} queries"
            if slower:
                n, r, x = max(slower, key=lambda p: p[1] / p[2])
                detail += f"; worst {n}: {_ms(r)} ms vs {_ms(x)} ms"
            out.append({"goal": f"/sparql never slower than rdflib-endpoint at {label}", "met": not slower,
                        "detail": detail})
    measured = [s for s in scales if "oxigraph" in s.get("memory", {}) and "r2pkg" in s.get("memory", {})]
    if measured:
        largest = measured[-1]
        mine, theirs = (_memory(largest["memory"]["r2pkg"]), _memory(largest["memory"]["oxigraph"]))
        out.append({"goal": f"memory within {MEMORY_RATIO}× of Oxigraph server's at the largest scale "
                            f"({largest['copies']}×; the issue asks 80×)",
                    "met": mine <= MEMORY_RATIO * theirs if largest["copies"] >= 80 else None,
                    "detail": f"{mine:,.0f} MiB vs {theirs:,.0f} MiB PSS ({mine / theirs:.1f}×)"})
    paged = [s for s in scales if s.get("pages")]
    if paged:
        first = paged[0]
        top = str(max(int(c) for r in first["pages"].values() for c in r))
        describe = (first.get("describe", {}).get(top) or {}).get("rps")
        floor = min(PAGE_RPS, describe / PAGE_DESCRIBE_SHARE) if describe else PAGE_RPS
        for resource, by_clients in first["pages"].items():
            run = by_clients.get(top) or {}
            if "rps" not in run:
                out.append({"goal": f"{resource} at {top} clients, {first['copies']}×", "met": None,
                            "detail": run.get("error", "not measured")})
                continue
            met = run["errors"] == 0 and run["rps"] >= floor and run["p99_ms"] < PAGE_P99_MS
            out.append({"goal": f"{resource} at {top} clients, {first['copies']}×: no errors, ≥ {floor:,.0f} req/s, "
                                f"p99 < {PAGE_P99_MS:g} ms", "met": met,
                        "detail": f"{run['rps']:,.1f} req/s, p99 {_ms(run['p99_ms'])} ms, {run['errors']} errors"})
        if len(paged) > 1:
            last = paged[-1]
            for resource, by_clients in first["pages"].items():
                small = (by_clients.get(top) or {}).get("rps")
                large_run = (last["pages"].get(resource) or {}).get(top) or {}
                large = large_run.get("rps", 0.0 if (large_run.get("error") or "").startswith("skipped: under") else None)
                if small and large is not None:
                    out.append({"goal": f"{resource} at {last['copies']}× within {PAGE_SCALE_RATIO:g}× of "
                                        f"{first['copies']}× ({top} clients)",
                                "met": small / max(large, 1e-9) <= PAGE_SCALE_RATIO if last["copies"] >= 80 else None,
                                "detail": f"{large:,.1f} vs {small:,.1f} req/s"})
    return out


def markdown(results: dict) -> str:
    """The generated section: run, machine, data, memory, query medians and ratios, pages, goals."""
    run = results["run"]
    lines = [f"### Last run: {run['started']} UTC, {run['elapsed_s']:.0f} s" + (" (quick mode)" if run["quick"] else ""),
             "", f"Machine: {run['machine']}. {run['note']}", "",
             f"Versions: {', '.join(f'{k} {v}' for k, v in run['versions'].items())}. "
             f"Options: `{run['command']}`.", ""]
    lines += ["| data | quads | r2pkg start s | oxigraph load s | rdflib-endpoint load s | r2pkg MiB PSS (server + workers); "
              "RSS | r2pkg MiB PSS after the load tests; RSS | oxigraph MiB | rdflib-endpoint MiB "
              "| r2pkg ÷ oxigraph memory (PSS) |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for scale in results["scales"]:
        if scale.get("skipped"):
            lines.append(f"| {scale['copies']}× | {scale.get('quads', 0):,} | skipped: {scale['skipped']} "
                         "| | | | | | | |")
            continue
        memory, loads, notes = scale.get("memory", {}), scale.get("load_s", {}), scale.get("server_notes", {})
        r2 = memory.get("r2pkg")
        ox_ = _memory(memory.get("oxigraph") or {})
        rd = _memory(memory.get("rdflib-endpoint") or {})

        def seconds(name):
            return f"{loads[name]:.0f}" if name in loads else notes.get(name, "–")

        if r2 and "pss" in r2:
            r2_cell = f"{r2['pss']:,.0f} ({r2['pss_server']:,.0f} + {r2['pss_children']:,.0f}); {r2['total']:,.0f}"
            after_cell = f"{_mib(r2.get('pss_after_load_tests'))}; {_mib(r2.get('after_load_tests'))}"
        else:  # a run from before PSS was measured
            r2_cell = f"{r2['total']:,.0f} ({r2['server']:,.0f} + {r2['children']:,.0f})" if r2 else "–"
            after_cell = _mib((r2 or {}).get("after_load_tests"))
        lines.append(f"| {scale['copies']}× | {scale['quads']:,} | {seconds('r2pkg')} | {seconds('oxigraph')} | "
                     f"{seconds('rdflib-endpoint')} | {r2_cell} | {after_cell} | "
                     f"{f'{ox_:,.0f}' if ox_ else '–'} | "
                     f"{f'{rd:,.0f}' if rd else '–'} | {_fmt_ratio(_ratio(_memory(r2), ox_)) if r2 else '–'} |")
    for scale in results["scales"]:
        if scale.get("skipped") or not scale.get("queries"):
            continue
        lines += ["", f"#### /sparql at {scale['copies']}× ({scale['quads']:,} quads): median ms of "
                      f"{results['run']['repeats']} runs after a warm-up", "",
                  "| query | rows | r2pkg | oxigraph | rdflib-endpoint | r2pkg ÷ oxigraph | r2pkg ÷ rdflib | goal |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
        for name, timings in scale["queries"].items():
            r2, ox_, rd = (timings.get(s) or {} for s in ("r2pkg", "oxigraph", "rdflib-endpoint"))
            rows = {t.get("rows") for t in (r2, ox_, rd) if t.get("rows") is not None}
            shown = "/".join(str(r) for r in sorted(rows)) + (" (differ)" if len(rows) > 1 else "")

            def cell(t):
                return _ms(t.get("median_ms")) if t.get("median_ms") is not None else (t.get("error") or "–")[:40]

            a, b, c = r2.get("median_ms"), ox_.get("median_ms"), rd.get("median_ms")
            mark = "" if a is None or b is None else "met" if sparql_goal_met(a, b) else "missed"
            lines.append(f"| {name} | {shown} | {cell(r2)} | {cell(ox_)} | {cell(rd)} | "
                         f"{_fmt_ratio(_ratio(a, b))} | {_fmt_ratio(_ratio(a, c))} | {mark} |")
    for scale in results["scales"]:
        if scale.get("skipped") or not scale.get("pages"):
            continue
        counts = sorted({int(c) for r in scale["pages"].values() for c in r})
        encoding = results["run"].get("accept_encoding")
        lines += ["", f"#### Pages under load at {scale['copies']}× (wrk, {results['run']['duration_s']:g} s per cell"
                      f"{f', Accept-Encoding: {encoding}' if encoding else ''}): req/s, p50 / p99 ms, errors", "",
                  "| resource | " + " | ".join(f"{c} client{'s' if c > 1 else ''}" for c in counts) + " |",
                  "| --- |" + " --- |" * len(counts)]
        rows = dict(scale["pages"])
        if scale.get("describe"):
            rows["Oxigraph DESCRIBE <ghana>"] = scale["describe"]
        for resource, by_clients in rows.items():
            cells = []
            for c in counts:
                run_ = by_clients.get(str(c)) or {}
                if "rps" not in run_:
                    cells.append((run_.get("error") or "–")[:60])
                elif run_["requests"] == 0:
                    cells.append(f"no answer within {results['run']['duration_s']:g} s"
                                 + (f", **{run_['errors']} errors**" if run_["errors"] else ""))
                else:
                    cells.append(f"{run_['rps']:,.1f}, {_ms(run_['p50_ms'])} / {_ms(run_['p99_ms'])}"
                                 + (f", **{run_['errors']} errors**" if run_["errors"] else ""))
            lines.append(f"| `{resource}` | " + " | ".join(cells) + " |")
    lines += ["", "#### Goals of issue 11", "", "| goal | met | numbers |", "| --- | --- | --- |"]
    for goal in results["goals"]:
        met = {True: "yes", False: "**no**", None: "not measured at 80×"}[goal["met"]]
        lines.append(f"| {goal['goal']} | {met} | {goal['detail']} |")
    if results.get("notes"):
        lines += [""] + [f"- {' '.join(note.split())}" for note in results["notes"]]
    return "\n".join(lines)


def _memory(measured: dict) -> float | None:
    """A server's memory as compared: PSS summed over its processes (RSS for a run from before PSS was measured)."""
    return measured.get("pss", measured.get("total"))


def _mib(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def _fmt_ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def write_readme(readme: Path, section: str) -> None:
    """Replace the generated section of `readme` (or append it under a heading)."""
    text = readme.read_text(encoding="utf-8") if readme.is_file() else "# Benchmarks\n"
    block = f"{BEGIN}\n{section}\n{END}"
    if BEGIN in text and END in text:
        text = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), lambda _m: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")
