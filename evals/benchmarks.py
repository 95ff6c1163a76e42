"""Speed of extraction and verification over all criteria text in the shared corpus, on one core.

Run as ``.venv/bin/python evals/benchmarks.py`` (or ``make bench``); writes reports/benchmarks.md and .json.
Measures, in one process pinned to one core:

- extraction: ``extract_criteria(segment(text, section))`` per record, for the 251 ClinicalTrials.gov studies
  and the 2,000 Chia documents: MB/s of UTF-8 criteria text, records/s and studies/s, per-record times,
  peak memory, a cProfile;
- the quantulum3 baseline (``pip install -e '.[bench]'``) and our extractor on the same seeded subset;
- verification: ``verify(text, criteria, markdown)`` per study, the markdown being the offline renderer's.

Every measurement is repeated; best and median are reported because the machine is shared and noisy. Nothing
here asserts on time: the figures are for people to read.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib.metadata
import os
import platform
import pstats
import random
import resource
import statistics
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from translator.domain import Criterion, Section
from translator.evaluation.corpus import CORPUS_ROOT, Corpus
from translator.evaluation.reporting import environment, md_table, percentile, write_report
from translator.facts import Facts, extract_criteria, extract_plain
from translator.facts.extract import lower_in_place
from translator.facts.glossary import default_finder
from translator.facts.lexicon import lexicon
from translator.facts.normalize import normalize
from translator.facts.numbers import scan_numbers
from translator.render import render_translation
from translator.segment import segment
from translator.verify import verify
from translator.verify.align import name_similarity
from translator.verify.statements import clear_caches as clear_gist_caches

PROJECT = Path(__file__).resolve().parent.parent
TARGET_MB_PER_S = 1.0
TARGET_RATIO = 10.0
TARGET_VERIFY_PER_S = 200.0
PROFILE_ROWS = 15
CLOCK = time.process_time
"""Every time here is the process's CPU time, not wall time: the process is pinned to one core that other workers'
processes also run on, and wall time would count their turns as ours."""
Row = dict[str, Any]
T = TypeVar("T")


@dataclass(frozen=True)
class Record:
    source: str
    """``ctgov`` (a whole study) or ``chia`` (one inclusion or exclusion document)."""
    name: str
    section: Section
    text: str

    @property
    def nbytes(self) -> int:
        return len(self.text.encode("utf-8"))


@dataclass(frozen=True)
class Prepared:
    """A study ready for the verifier: segmented and rendered outside the timed region."""

    name: str
    text: str
    criteria: tuple[Criterion, ...]
    translation: str


def say(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def load_records(corpus: Corpus) -> list[Record]:
    records = [Record("ctgov", nct, "inclusion", text) for nct, text in sorted(corpus.ctgov.items())]
    for doc in corpus.chia_docs():
        section: Section = "exclusion" if doc.section == "exclusion" else "inclusion"
        records.append(Record("chia", doc.name, section, doc.text))
    return records


def extract_record(record: Record) -> None:
    extract_criteria(segment(record.text, record.section))


def first_stage(text: str) -> None:
    """What reading any criterion starts with, whatever the grammar after it: the text normalised, its glossary
    terms looked up and its numbers scanned. Timed on its own, it bounds what a faster grammar could gain."""
    norm = normalize(text)
    low = lower_in_place(norm.text)
    default_finder().find(norm.text)
    scan_numbers(low, norm.text, lexicon())


def timed_pass(items: Sequence[T], work: Callable[[T], object]) -> tuple[float, list[float]]:
    """CPU time of one pass and each item's own time, in seconds. Every pass starts with the glossary finder's
    cache of recent lookups and the verifier's caches of name similarities, gists and word stems empty, so that no
    pass reuses answers an earlier pass over the same texts left."""
    default_finder().clear_cache()
    name_similarity.cache_clear()
    clear_gist_caches()
    each: list[float] = []
    clock = CLOCK
    started = clock()
    for item in items:
        t0 = clock()
        work(item)
        each.append(clock() - t0)
    return clock() - started, each


def repeat(runs: int, label: str, items: Sequence[T], work: Callable[[T], object]) -> tuple[list[float], list[float]]:
    """Pass times, and per item the median of its times over the passes."""
    totals: list[float] = []
    per_item: list[list[float]] = []
    for run in range(runs):
        total, each = timed_pass(items, work)
        totals.append(total)
        per_item.append(each)
        say(f"  {label} run {run + 1}/{runs}: {total:.2f} s")
    return totals, [statistics.median(times) for times in zip(*per_item, strict=True)]


def rate(amount: float, seconds: Sequence[float]) -> dict[str, float]:
    """Throughput of the fastest and of the median pass."""
    return {"best": round(amount / min(seconds), 3), "median": round(amount / statistics.median(seconds), 3)}


def distribution_ms(values: Sequence[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values) * 1000, 3),
        "p95": round(percentile(list(values), 0.95) * 1000, 3),
        "max": round(max(values) * 1000, 3),
    }


# -- extraction --------------------------------------------------------------------------------------------


def measure_extraction(records: list[Record], runs: int) -> Row:
    total_bytes = sum(r.nbytes for r in records)
    t0 = CLOCK()
    extract_record(records[0])
    cold = CLOCK() - t0
    totals, per_record = repeat(runs, "extraction", records, extract_record)
    ctgov = [t for r, t in zip(records, per_record, strict=True) if r.source == "ctgov"]
    segment_totals, _ = repeat(runs, "segmentation only", records, lambda r: segment(r.text, r.section))
    texts = [c.text for r in records for c in segment(r.text, r.section)]
    lexing_totals, _ = repeat(runs, "first stage only", texts, first_stage)
    slowest = sorted(zip(per_record, records, strict=True), key=lambda pair: -pair[0])[:5]
    return {
        "records": len(records),
        "bytes": total_bytes,
        "cold_first_record_s": round(cold, 3),
        "runs_s": [round(t, 3) for t in totals],
        "mb_per_s": rate(total_bytes / 1e6, totals),
        "records_per_s": rate(len(records), totals),
        "ctgov_studies_per_s": round(len(ctgov) / sum(ctgov), 2),
        "per_record_ms": distribution_ms(per_record),
        "segmentation_share": round(statistics.median(segment_totals) / statistics.median(totals), 3),
        "first_stage_share": round(statistics.median(lexing_totals) / statistics.median(totals), 3),
        "budget_at_target_s": round(total_bytes / 1e6 / TARGET_MB_PER_S, 3),
        "segmentation_and_first_stage_s": round(min(segment_totals) + min(lexing_totals), 3),
        "slowest": [
            {"record": r.name, "bytes": r.nbytes, "ms": round(t * 1000, 1), "ms_per_kb": round(t * 1e6 / r.nbytes, 2)}
            for t, r in slowest
        ],
    }


def measure_memory(records: list[Record]) -> Row:
    """Peak traced Python allocation during one extraction pass, and the process's peak RSS so far."""
    gc.collect()
    tracemalloc.start()
    for record in records:
        extract_record(record)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "tracemalloc_peak_mb": round(peak / 1e6, 2),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


# -- quantulum3 baseline ------------------------------------------------------------------------------------


def load_quantulum() -> tuple[Callable[[str], object], str] | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Classifier dependencies not installed": we run it without sklearn
            from quantulum3 import parser
    except ImportError:
        return None
    return parser.parse, importlib.metadata.version("quantulum3")


def stratified_sample(records: list[Record], size: int, seed: int) -> list[Record]:
    """``size`` records drawn with the corpus's own mix of ClinicalTrials.gov studies and Chia documents."""
    if size <= 0 or size >= len(records):
        return records
    rng = random.Random(seed)
    chosen: list[Record] = []
    for source in ("ctgov", "chia"):
        pool = [r for r in records if r.source == source]
        chosen += rng.sample(pool, round(size * len(pool) / len(records)))
    return chosen


def measure_baseline(records: list[Record], subset: int, seed: int, runs: int) -> Row:
    """Ours and quantulum3 on the same records, pass by pass alternately, so load changes hit both alike."""
    loaded = load_quantulum()
    if loaded is None:
        return {"available": False, "why": "quantulum3 is not installed: pip install -e '.[bench]'"}
    parse, version = loaded
    chosen = stratified_sample(records, subset, seed)
    nbytes = sum(r.nbytes for r in chosen)
    ours: list[tuple[float, list[float]]] = []
    theirs: list[tuple[float, list[float]]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        started = CLOCK()
        parse(records[0].text)  # its first call loads units and builds its patterns: seconds, kept out of the runs
        cold = CLOCK() - started
        for run in range(runs):
            ours.append(timed_pass(chosen, extract_record))
            theirs.append(timed_pass(chosen, lambda r: parse(r.text)))
            say(f"  baseline run {run + 1}/{runs}: ours {ours[-1][0]:.2f} s, quantulum3 {theirs[-1][0]:.2f} s")
    ours_rate, theirs_rate = rate(nbytes / 1e6, [t for t, _ in ours]), rate(nbytes / 1e6, [t for t, _ in theirs])
    return {
        "available": True,
        "version": version,
        "classifier": False,
        "cold_first_call_s": round(cold, 3),
        "subset": {"records": len(chosen), "bytes": nbytes, "seed": seed, "all": len(chosen) == len(records)},
        "ours_runs_s": [round(t, 3) for t, _ in ours],
        "quantulum3_runs_s": [round(t, 3) for t, _ in theirs],
        "ours_mb_per_s": ours_rate,
        "quantulum3_mb_per_s": theirs_rate,
        "ratio": {k: round(ours_rate[k] / theirs_rate[k], 1) for k in ("best", "median")},
        "ratio_by_source": ratio_by_source(chosen, ours, theirs),
    }


def ratio_by_source(
    chosen: list[Record], ours: list[tuple[float, list[float]]], theirs: list[tuple[float, list[float]]]
) -> dict[str, float]:
    """quantulum3's time / ours per source, from each record's median time over the runs."""
    mine = [statistics.median(t) for t in zip(*(each for _, each in ours), strict=True)]
    other = [statistics.median(t) for t in zip(*(each for _, each in theirs), strict=True)]
    found: dict[str, float] = {}
    for source in ("ctgov", "chia"):
        picked = [i for i, r in enumerate(chosen) if r.source == source]
        if picked:
            found[source] = round(sum(other[i] for i in picked) / sum(mine[i] for i in picked), 1)
    return found


# -- verification -------------------------------------------------------------------------------------------


def prepare(records: list[Record]) -> list[Prepared]:
    prepared = []
    for record in records:
        if record.source == "ctgov":
            criteria = segment(record.text, record.section)
            prepared.append(Prepared(record.name, record.text, criteria, render_translation(criteria).to_markdown()))
    return prepared


def verify_study(study: Prepared) -> None:
    verify(study.text, study.criteria, study.translation)


def extraction_only_pass(studies: list[Prepared]) -> float:
    started = CLOCK()
    for study in studies:
        extract_criteria(study.criteria)
        extract_plain(study.translation)
    return CLOCK() - started


def measure_verify(records: list[Record], runs: int) -> Row:
    studies = prepare(records)
    totals, per_study = repeat(runs, "verify", studies, verify_study)
    return {
        "studies": len(studies),
        "runs_s": [round(t, 3) for t in totals],
        "studies_per_s": rate(len(studies), totals),
        "per_study_ms": distribution_ms(per_study),
        "extraction_share": round(extraction_only_pass(studies) / statistics.median(totals), 3),
    }


# -- scaling ------------------------------------------------------------------------------------------------

SCALING_RUNS = 3
SCALING_CRITERION = (
    "Adults ≥ 18 years with ANC ≥ 1.5 × 10^9/L, ALT \\<= 2.5 × ULN (≤ 5 × ULN if liver metastases), no HIV, "
    "hepatitis B or C, no chemotherapy within 28 days prior to enrollment, and at least 2 prior lines; "
)


def repeated(unit: str) -> Callable[[int], str]:
    """A text of exactly n characters made of ``unit`` over and over."""
    return lambda n: (unit * (n // len(unit) + 1))[:n]


SCALING: list[tuple[str, Callable[[int], str], int]] = [
    ("digits", repeated("0123456789"), 16_000),
    ("spaced digits", repeated("12 345 6.7 89, "), 3_000),
    ("open parens", repeated("("), 4_000),
    ("ratios", repeated("1:"), 750),
    ("less than", repeated("less than "), 8_000),
    ("values with units", repeated("5 mg/dL "), 1_500),
    ("listed terms", repeated("HIV, hepatitis B, asthma, "), 1_500),
    ("long criterion", repeated(SCALING_CRITERION), 2_000),
    ("many lines", repeated("- Age ≥ 18\n"), 2_000),
    ("wrapped lines", repeated("age over eighteen years and\n"), 2_000),
]
"""Some of the hostile generators of tests/test_facts_adversarial.py (copied: evals do not import tests), with the
n the tests use. The tests check growth by exact call counts; this reports the time."""


def _one_criterion(text: str) -> Facts:
    return extract_criteria((Criterion("I1", "inclusion", text, 0, len(text)),))


def _plain_facts(text: str) -> Facts:
    return extract_plain(text)[1]


def best_time(work: Callable[[str], object], text: str, runs: int) -> float:
    times: list[float] = []
    for _ in range(runs):
        default_finder().clear_cache()
        started = CLOCK()
        work(text)
        times.append(CLOCK() - started)
    return min(times)


def measure_scaling(runs: int) -> list[Row]:
    """time(4n) / time(n), best of ``runs`` each, for one criterion holding the text and for plain text: linear
    is 4, quadratic 16. Reported, not asserted."""
    rows: list[Row] = []
    for name, make, n in SCALING:
        row: Row = {"generator": name, "n": n}
        for label, work in (("criterion", _one_criterion), ("plain", _plain_facts)):
            small, large = best_time(work, make(n), runs), best_time(work, make(4 * n), runs)
            row[label] = {
                "ms_n": round(small * 1000, 2),
                "ms_4n": round(large * 1000, 2),
                "ratio": round(large / small, 1),
            }
        rows.append(row)
    return rows


def scaling_section(scaling: Row) -> list[str]:
    def cells(value: Row) -> list[object]:
        return [f"{value['ms_n']} / {value['ms_4n']}", value["ratio"]]

    return [
        "## Scaling on hostile input",
        "",
        "Time of `extract_criteria` on one criterion holding the whole text, and of `extract_plain`, at n and 4n "
        f"characters (best of {SCALING_RUNS}), for some of the generators of tests/test_facts_adversarial.py (which "
        "checks the growth by exact call counts). time(4n) / time(n) is 4 for linear work and 16 for quadratic; "
        "at a few milliseconds, fixed costs make small ratios noisy. Reported, not asserted.",
        "",
        md_table(
            ["generator", "n", "criterion ms at n / 4n", "ratio", "plain ms at n / 4n", "ratio"],
            [[r["generator"], f"{r['n']:,}", *cells(r["criterion"]), *cells(r["plain"])] for r in scaling["rows"]],
        ),
        "",
    ]


# -- profiles -----------------------------------------------------------------------------------------------


def _where(key: tuple[str, int, str]) -> str:
    filename, line, name = key
    if filename == "~":
        return name
    path = Path(filename)
    for root in (PROJECT / "src", Path(sys.prefix)):
        if path.is_relative_to(root):
            path = path.relative_to(root)
            break
    return f"{path}:{line}({name})"


def top_functions(profile: cProfile.Profile, sort: str, rows: int) -> list[Row]:
    """The top functions by ``cumulative`` or ``own`` time; the benchmark's own driver is left out."""
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    entries = [(key, value) for key, value in stats.items() if not key[0].endswith("benchmarks.py")]
    index = 3 if sort == "cumulative" else 2
    entries.sort(key=lambda kv: -kv[1][index])
    return [
        {"function": _where(key), "calls": nc, "own_s": round(tt, 3), "cumulative_s": round(ct, 3)}
        for key, (_, nc, tt, ct, _) in entries[:rows]
    ]


def profiled(items: Sequence[T], work: Callable[[T], object]) -> cProfile.Profile:
    profile = cProfile.Profile()
    profile.enable()
    for item in items:
        work(item)
    profile.disable()
    return profile


def profiles(records: list[Record]) -> Row:
    extraction = profiled(records, extract_record)
    return {
        "cumulative": top_functions(extraction, "cumulative", PROFILE_ROWS),
        "own": top_functions(extraction, "own", PROFILE_ROWS),
        "verify_own": top_functions(profiled(prepare(records), verify_study), "own", 10),
    }


# -- machine and report -------------------------------------------------------------------------------------


def pin_to_one_core(cpu: int | None) -> int | None:
    if not hasattr(os, "sched_setaffinity"):
        return None
    allowed = sorted(os.sched_getaffinity(0))
    chosen = cpu if cpu is not None and cpu in allowed else allowed[-1]
    os.sched_setaffinity(0, {chosen})
    return chosen


def machine(pinned: int | None) -> Row:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next((ln.split(":", 1)[1].strip() for ln in cpuinfo.read_text().splitlines() if "model name" in ln), "")
    return {
        **environment(),
        "python_implementation": platform.python_implementation(),
        "cpu_model": model,
        "cores": os.cpu_count(),
        "pinned_to_cpu": pinned,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def targets(data: dict[str, Row]) -> list[Row]:
    checks = [
        ("extraction MB/s per core", TARGET_MB_PER_S, data["extraction"]["mb_per_s"]["best"]),
        ("verify studies/s per core", TARGET_VERIFY_PER_S, data["verify"]["studies_per_s"]["best"]),
    ]
    if data["quantulum3"]["available"]:
        checks.insert(1, ("speed / quantulum3 speed", TARGET_RATIO, data["quantulum3"]["ratio"]["best"]))
    return [
        {"what": what, "target": f">= {limit:g}", "best": best, "met": best >= limit} for what, limit, best in checks
    ]


def _pair(value: Row) -> str:
    return f"{value['best']} ({value['median']})"


def _dist(value: Row) -> str:
    return f"{value['median']} / {value['p95']} / {value['max']}"


def _profile_table(rows: list[Row]) -> str:
    return md_table(
        ["function", "calls", "own s", "cumulative s"],
        [[f"`{r['function']}`", r["calls"], r["own_s"], r["cumulative_s"]] for r in rows],
    )


def markdown(data: dict[str, Row]) -> str:
    env, ex, ver, method, memory = (data[k] for k in ("machine", "extraction", "verify", "method", "memory"))
    target_rows = [
        [r["what"], r["target"], r["best"], "yes" if r["met"] else "**no**"] for r in data["targets"]["rows"]
    ]
    return "\n".join(
        [
            "# Benchmarks: extraction and verification",
            "",
            f"Generated by `evals/benchmarks.py` on {env['generated']}: Python {env['python']} "
            f"({env['python_implementation']}), {env['platform']}, CPU {env['cpu_model']}, {env['cores']} cores, "
            f"pinned to CPU {env['pinned_to_cpu']}; load average {env['load_average_at_start']} at the start, "
            f"{env['load_average_at_end']} at the end (other workers share the machine).",
            "",
            "## Method",
            "",
            "- One process pinned to one core (`sched_setaffinity`), GC on; times are the process's CPU time "
            "(`time.process_time`), for wall time would count other processes' turns on that core. Every "
            "measurement is repeated "
            f"({method['runs']} passes, the baseline {method['baseline_runs']}) and shown as best (median); the "
            "machine is shared and noisy, and nothing asserts on these figures.",
            f"- Extraction: `extract_criteria(segment(text, section))` per record over all {ex['records']:,} records "
            f"({ex['bytes']:,} UTF-8 bytes of criteria text): the 251 ClinicalTrials.gov studies (`Corpus.ctgov`) "
            "and the 2,000 Chia documents. Per-record times are each record's median over the passes.",
            "- First stage: what reading every criterion starts with (`normalize`, the glossary finder's lookup, "
            "`scan_numbers`), timed alone over each criterion's text, segmented before the timed region. With "
            "segmentation, it is what any grammar over the same lexer and glossary would spend before reading a "
            "single limit: the extraction target leaves the grammar the rest of a pass at the target.",
            "- Verification: `verify(text, criteria, render_translation(criteria).to_markdown())` per "
            "ClinicalTrials.gov study; segmenting and rendering happen before the timed region.",
            "- Memory: `tracemalloc` peak over a separate, untimed extraction pass; `ru_maxrss` of the process then.",
            "- Every timed pass starts with the caches of recent answers emptied (the glossary finder's lookups, "
            "the verifier's name similarities), so a pass never reuses what an earlier pass over the same texts "
            "left in them.",
            "",
            "## Targets",
            "",
            md_table(["what", "target", "best", "met"], target_rows),
            "",
            "## Extraction",
            "",
            md_table(
                ["measure", "best (median)"],
                [
                    ["MB/s per core", _pair(ex["mb_per_s"])],
                    ["records/s per core", _pair(ex["records_per_s"])],
                    ["ClinicalTrials.gov studies/s per core (from median per-record times)", ex["ctgov_studies_per_s"]],
                    ["per-record ms: median / p95 / max", _dist(ex["per_record_ms"])],
                    ["pass times, s", ex["runs_s"]],
                    ["segmentation's share of a pass", ex["segmentation_share"]],
                    [
                        "first stage's share of a pass (normalising, glossary lookup and number scan of every "
                        "criterion)",
                        ex["first_stage_share"],
                    ],
                    [
                        f"a pass at the target ({TARGET_MB_PER_S:g} MB/s) / segmentation and first stage "
                        "alone (best), s",
                        f"{ex['budget_at_target_s']} / {ex['segmentation_and_first_stage_s']}",
                    ],
                    ["first record, which loads the rule files, s", ex["cold_first_record_s"]],
                    ["tracemalloc peak during a pass (rules already loaded), MB", memory["tracemalloc_peak_mb"]],
                    ["max RSS, MB", memory["max_rss_mb"]],
                ],
            ),
            "",
            "Slowest records:",
            "",
            md_table(["record", "bytes", "median ms", "ms per KB"], [list(r.values()) for r in ex["slowest"]]),
            "",
            *baseline_section(data["quantulum3"]),
            "## Verification",
            "",
            md_table(
                ["measure", "best (median)"],
                [
                    ["studies/s per core", _pair(ver["studies_per_s"])],
                    ["per-study ms: median / p95 / max", _dist(ver["per_study_ms"])],
                    ["pass times, s", ver["runs_s"]],
                    ["share of the time spent extracting both sides", ver["extraction_share"]],
                ],
            ),
            "",
            *scaling_section(data["scaling"]),
            *profile_section(data["profile"]),
        ]
    )


def baseline_section(base: Row) -> list[str]:
    head = ["## Baseline: quantulum3", ""]
    if not base["available"]:
        return [*head, f"Not run: {base['why']}.", ""]
    subset = base["subset"]
    scope = "all records" if subset["all"] else f"the same seeded random subset (seed {subset['seed']})"
    return [
        *head,
        f"quantulum3 {base['version']} `parser.parse`, without its optional scikit-learn unit classifier (not "
        "installed; without it quantulum3 parses offline and downloads nothing). It is too slow to run on all "
        f"text several times, so both extractors run on {scope} of {subset['records']} records "
        f"({subset['bytes']:,} bytes, ClinicalTrials.gov and Chia in the corpus's proportions), in this process, "
        f"pass by pass alternately. Its first call (loading its unit tables, {base['cold_first_call_s']} s) is "
        "kept out of the runs, as ours is.",
        "",
        md_table(
            ["measure", "best (median)"],
            [
                ["ours, MB/s", _pair(base["ours_mb_per_s"])],
                ["quantulum3, MB/s", _pair(base["quantulum3_mb_per_s"])],
                ["ratio ours / quantulum3", _pair(base["ratio"])],
                [
                    "ratio on ClinicalTrials.gov / on Chia records",
                    " / ".join(map(str, base["ratio_by_source"].values())),
                ],
            ],
        ),
        "",
    ]


def profile_section(profile: Row) -> list[str]:
    return [
        "## Where extraction spends its time",
        "",
        "cProfile over one extraction pass of all records. Profiling roughly doubles the times and inflates "
        "call-heavy Python (segmentation's per-character helpers) more than regex-heavy code, so compare rows, "
        "not absolute figures; the unprofiled share of segmentation is in the extraction table. Top by "
        "cumulative time:",
        "",
        _profile_table(profile["cumulative"]),
        "",
        "Top by own time:",
        "",
        _profile_table(profile["own"]),
        "",
        "Verification, one pass over the ClinicalTrials.gov studies, top by own time:",
        "",
        _profile_table(profile["verify_own"]),
    ]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="passes per extraction/verify measurement")
    parser.add_argument("--baseline-runs", type=int, default=3, help="passes for the quantulum3 comparison")
    parser.add_argument("--subset", type=int, default=600, help="records for the quantulum3 ratio (0 = all)")
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--cpu", type=int, default=None, help="the core to pin to (default: the last allowed)")
    parser.add_argument("--reports", type=Path, default=PROJECT / "reports")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not CORPUS_ROOT.is_dir():
        say(f"error: the shared corpus is not at {CORPUS_ROOT} (set TRANSLATOR_CORPUS)")
        return 2
    pinned = pin_to_one_core(args.cpu)
    records = load_records(Corpus(CORPUS_ROOT))
    data: dict[str, Row] = {
        "machine": machine(pinned),
        "method": {"runs": args.runs, "baseline_runs": args.baseline_runs, "subset": args.subset, "seed": args.seed},
    }
    say(f"{len(records)} records; pinned to CPU {pinned}")
    data["extraction"] = measure_extraction(records, args.runs)
    data["verify"] = measure_verify(records, args.runs)
    data["memory"] = measure_memory(records)
    data["quantulum3"] = measure_baseline(records, args.subset, args.seed, args.baseline_runs)
    say("  profiling")
    data["profile"] = profiles(records)
    say("  scaling")
    data["scaling"] = {"rows": measure_scaling(SCALING_RUNS)}
    data["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    data["targets"] = {"rows": targets(data)}
    md_path, json_path = write_report(args.reports, "benchmarks", markdown(data), dict(data))
    say(f"wrote {md_path} and {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
