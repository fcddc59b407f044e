"""Turns the measurements of scripts/bench into the Markdown of
docs/benchmarks.md's "Image pipeline" results, and writes them between the
section's markers (the rest of the file, other sections and the hand-written
analysis, is left alone).

    report.py RESULTS CALLGRIND N ROUNDS COMMAND MACHINE VERSIONS PHOTOS > section.md
    report.py --write docs/benchmarks.md section.md
"""

import statistics
import sys
from collections import defaultdict
from datetime import date

BEGIN = "<!-- image-pipeline-results:begin (written by scripts/bench) -->"
END = "<!-- image-pipeline-results:end -->"
TASKS = {
    "jpeg256": "JPEG → 256 px JPEG q80",
    "webp1024": "→ 1024 px lossy WebP q80",
    "variants": "variant set 256/640/1280/2048 JPEG q80",
}
TOOLS = ["mediakit", "vipsthumbnail", "sharp", "pillow"]


def report(results, callgrind, n, rounds, command, machine, versions, photos):
    runs = defaultdict(list)
    for line in open(results):
        task, tool, _round, wall, user, sys_, rss, files, size = line.split("\t")
        runs[(task, tool)].append(
            (float(wall), float(user) + float(sys_), int(rss), int(files), int(size))
        )
    n = int(n)
    out = []
    out.append(f"Command: `{command.strip()}` — {date.today().isoformat()}, {rounds} rounds, tools interleaved.")
    out.append("")
    out.append(f"Machine: {machine}.")
    out.append("")
    out.append("Versions: " + "; ".join(v for v in versions.splitlines() if v) + ".")
    out.append("")
    out.append(f"Corpus: {n} JPEG photos ({photos}).")
    out.append("")
    out.append(
        "One process per batch, one thread. Medians over the rounds. *images/s* is by wall "
        "time; *CPU ms/image* is user+sys CPU time per photo (less disturbed by other load "
        "on a shared machine); ratios are mediakit's advantage (higher is better for mediakit; "
        "for RSS, mediakit's peak as a fraction of the other's). *out KB* is the mean output "
        "size per photo."
    )
    out.append("")
    out.append("| task | tool | images/s | CPU ms/image | peak RSS MiB | out KB | mediakit speed × (wall) | mediakit speed × (CPU) | mediakit RSS ÷ |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for task, label in TASKS.items():
        if (task, "mediakit") not in runs:
            continue
        stats = {}
        for tool in TOOLS:
            r = runs.get((task, tool))
            if not r:
                continue
            wall = statistics.median(x[0] for x in r)
            cpu = statistics.median(x[1] for x in r)
            rss = max(x[2] for x in r)
            size = statistics.median(x[4] for x in r) / n / 1024
            stats[tool] = (wall, cpu, rss, size)
        mk = stats["mediakit"]
        for tool, (wall, cpu, rss, size) in stats.items():
            if tool == "mediakit":
                ratios = ("", "", "")
            else:
                ratios = (
                    f"{wall / mk[0]:.2f}×",
                    f"{cpu / mk[1]:.2f}×",
                    f"{mk[2] / rss:.2f}",
                )
            out.append(
                f"| {label} | {tool} | {n / wall:.1f} | {1000 * cpu / n:.0f} | {rss / 1024:.0f} | {size:.0f} | "
                + " | ".join(ratios)
                + " |"
            )
    cg = [line.rstrip("\n").split("\t") for line in open(callgrind) if line.strip()]
    failed = [names for tool, names in cg if tool == "#failed"]
    counts = {tool: int(ir) for tool, ir in cg if not tool.startswith("#")}
    if counts:
        done = n - (len(failed[0].split()) if failed else 0)
        out.append("")
        out.append(
            "Instructions (callgrind, the 256 px JPEG task, one process per photo, "
            "process start-up included, summed):"
        )
        out.append("")
        out.append("| tool | instructions | per photo | mediakit × fewer |")
        out.append("|---|---:|---:|---:|")
        for tool, ir in counts.items():
            ratio = "" if tool == "mediakit" else f"{ir / counts['mediakit']:.2f}×"
            out.append(f"| {tool} | {ir / 1e9:.2f} G | {ir / max(done, 1) / 1e6:.0f} M | {ratio} |")
        if failed:
            out.append("")
            out.append(f"Left out of both sums (a run crashed under valgrind): {failed[0]}.")
    return "\n".join(out) + "\n"


def write(doc_path, section_path):
    section = open(section_path).read()
    try:
        doc = open(doc_path).read()
    except FileNotFoundError:
        doc = "# Benchmarks\n"
    block = f"{BEGIN}\n{section}{END}"
    if BEGIN in doc and END in doc:
        head, rest = doc.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        doc = head + block + tail
    else:
        doc = doc.rstrip("\n") + "\n\n## Image pipeline\n\n" + block + "\n"
    open(doc_path, "w").write(doc)


if __name__ == "__main__":
    if sys.argv[1] == "--write":
        write(sys.argv[2], sys.argv[3])
    else:
        sys.stdout.write(report(*sys.argv[1:9]))
