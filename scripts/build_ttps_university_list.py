#!/usr/bin/env python3
"""Builds data/schemes/lists/hk_ttps_universities.toml, an approximation of
the TTPS aggregate list of eligible universities, from public ranking tables.

Rule (ImmD TTPS page, note 4): the top 100 of any of THE, QS, US News and
ShanghaiRanking (ARWU) in the past five years, plus named additions. We have
THE and QS editions 2018-2022 and ARWU 2017-2021 (the last five of each in
the project's ranking files); US News is not available, so the list is marked
incomplete (a university not on it gives "cannot tell", never "not eligible").
Dated additions and removals named in the reference notes are applied on top.

Usage: scripts/build_ttps_university_list.py RANKINGS_DIR > data/schemes/lists/hk_ttps_universities.toml
"""
import csv
import re
import sys
from collections import defaultdict

LAUNCH = "2022-12-28"
TTPS_URL = "https://www.immd.gov.hk/eng/services/visas/TTPS.html"
LIST_URL = "https://www.immd.gov.hk/pdf/aggregate_list.pdf"

# (name, from, until, reference) from /work/shared/reference/schemes.md
# (research notes dated 2026-01-20), section "Eligible-university list".
NAMED_ADDITIONS = [
    ("Wuhan University", "2023-11-01", "China Daily HK, 26 Oct 2023 (via reference notes)"),
    ("Xi'an Jiaotong University", "2023-11-01", "China Daily HK, 26 Oct 2023 (via reference notes)"),
    ("Harbin Institute of Technology", "2023-11-01", "China Daily HK, 26 Oct 2023 (via reference notes)"),
    ("University of Adelaide", "2026-01-01", "HKSAR Government press release, 28 Dec 2025 (via reference notes)"),
    ("University of Vienna", "2026-01-01", "HKSAR Government press release, 28 Dec 2025 (via reference notes)"),
    ("Karlsruhe Institute of Technology", "2026-01-01", "HKSAR Government press release, 28 Dec 2025 (via reference notes)"),
    ("Politecnico di Milano", "2026-01-01", "HKSAR Government press release, 28 Dec 2025 (via reference notes)"),
    ("King Fahd University of Petroleum and Minerals", "2026-01-01", "HKSAR Government press release, 28 Dec 2025 (via reference notes)"),
]
NAMED_REMOVALS = [
    ("London School of Hygiene and Tropical Medicine", "2024-12-31", "info.gov.hk, 27 Dec 2024 (via reference notes)"),
    ("University of Paris-Sud", "2024-12-31", "info.gov.hk, 27 Dec 2024 (via reference notes)"),
    ("Ecole Polytechnique", "2025-12-31", "HKSAR Government press release, 28 Dec 2025 (via reference notes)"),
    ("Université Grenoble Alpes", "2025-12-31", "HKSAR Government press release, 28 Dec 2025 (via reference notes)"),
    ("Université Sorbonne Paris Cité (USPC)", "2025-12-31", "HKSAR Government press release, 28 Dec 2025 (via reference notes)"),
    ("University of Freiburg", "2025-12-31", "HKSAR Government press release, 28 Dec 2025 (via reference notes)"),
]


def loader_key(name):
    """Mirrors NormalizeName in src/rules/person.cc."""
    out = name.replace("&", "and").lower()
    out = "".join(c for c in out if c.isalnum() or ord(c) >= 0x80)
    if name[:4].lower() == "the " and out.startswith("the"):
        out = out[3:]
    return out


def merge_key(name):
    name = re.sub(r"\([^)]*\)", "", name)
    name = re.sub(r"^the ", "", name.strip(), flags=re.I)
    name = re.sub(r",\s*the .*$", "", name, flags=re.I)
    return loader_key(name)


def titled(name):
    small = {"of", "and", "the", "in", "for", "at", "de", "di"}
    words = name.lower().split()
    return " ".join(w if (i and w in small) else w[:1].upper() + w[1:] for i, w in enumerate(words))


def main():
    folder = sys.argv[1]
    seen = []  # (name, ranking, edition, rank)
    with open(f"{folder}/THE_World_Rankings.csv", newline="") as f:
        for row in csv.DictReader(f):
            if 2018 <= int(row["year"]) <= 2022:
                rank = int(re.sub(r"[^0-9]", "", row["rank"].split("-")[0]) or 9999)
                if rank <= 100:
                    seen.append((row["name"], "THE", row["year"], row["rank"]))
    with open(f"{folder}/ARWU_World_Rankings.csv", newline="") as f:
        for row in csv.DictReader(f):
            if 2017 <= int(row["year"]) <= 2021:
                rank = int(re.sub(r"[^0-9]", "", row["ranking"].split("-")[0]) or 9999)
                if rank <= 100:
                    seen.append((row["univNameEn"], "ARWU", row["year"], row["ranking"]))
    qs_by_year = defaultdict(list)
    with open(f"{folder}/QS_World_Rankings.csv", newline="") as f:
        for row in csv.DictReader(f):
            if 2018 <= int(row["Year"]) <= 2022 and row["Overall Score"]:
                qs_by_year[row["Year"]].append((float(row["Overall Score"]), row["University"]))
    for year, rows in qs_by_year.items():
        for score, name in rows:
            rank = 1 + sum(1 for other, _ in rows if other > score)
            if rank <= 100:
                seen.append((titled(name), "QS", year, str(rank)))

    # Union-find over names sharing either key.
    parent = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    by_key = {}
    for name, *_ in seen:
        for key in (merge_key(name), "L" + loader_key(name)):
            if key in by_key:
                parent[find(name)] = find(by_key[key])
            else:
                by_key[key] = name
    groups = defaultdict(list)
    for item in seen:
        groups[find(item[0])].append(item)

    entries = {}
    for members in groups.values():
        names = []
        for name, *_ in members:
            if name not in names:
                names.append(name)
        # Prefer a mixed-case name from THE or ARWU.
        primary = next((n for n, r, *_ in members if r != "QS"), names[0])
        evidence = sorted({f"{r} {y} #{k}" for _, r, y, k in members})
        entries[merge_key(primary)] = {
            "name": primary,
            "aliases": [n for n in names if n != primary],
            "from": LAUNCH,
            "until": None,
            "reference": f"{LIST_URL}; top 100 in " + ", ".join(evidence[:3]),
        }
    for name, start, ref in NAMED_ADDITIONS:
        key = merge_key(name)
        entries.pop(key, None)
        entries[key] = {"name": name, "aliases": [], "from": start, "until": None,
                        "reference": f"{LIST_URL}; added {start}: {ref}"}
    for name, until, ref in NAMED_REMOVALS:
        key = merge_key(name)
        if key not in entries:
            entries[key] = {"name": name, "aliases": [], "from": LAUNCH, "until": None,
                            "reference": LIST_URL}
        entries[key]["until"] = until
        entries[key]["reference"] += f"; removed after {until}: {ref}"

    def q(text):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    print("# Generated by scripts/build_ttps_university_list.py; do not edit by hand.")
    print("# An APPROXIMATION of the TTPS aggregate list of eligible universities:")
    print("# top 100 of THE and QS editions 2018-2022 and ARWU 2017-2021 (project files")
    print("# /work/shared/data/rankings, from d2ski/uni-ranks), US News missing, plus the")
    print("# dated named additions/removals in the reference notes (as of 2026-01-20).")
    print('title = "TTPS aggregate list of eligible universities (approximation)"')
    print('rule = "Top 100 of any of THE, QS, US News and ShanghaiRanking (ARWU) in the past five years, plus the top 5 hospitality schools (QS), the top 20 Mainland universities (Best Chinese Universities Ranking) and the top 5 art and design schools (QS)"')
    print(f'source = "{LIST_URL} (official list, not machine-readable); {TTPS_URL} note 4"')
    print('as_of = "2026-01-20"')
    print("complete = false")
    for key in sorted(entries):
        e = entries[key]
        print("\n[[entries]]")
        print(f"name = {q(e['name'])}")
        if e["aliases"]:
            print("aliases = [" + ", ".join(q(a) for a in e["aliases"]) + "]")
        print(f"from = {e['from']}")
        if e["until"]:
            print(f"until = {e['until']}")
        print(f"reference = {q(e['reference'])}")


if __name__ == "__main__":
    main()
