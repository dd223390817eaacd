#!/usr/bin/env python3
"""Builds data/schemes/lists/hk_ttps_universities.toml, an approximation of
the TTPS aggregate list of eligible universities, from public ranking tables.

Rule (ImmD TTPS page, note 4): the top 100 of any of THE, QS, US News and
ShanghaiRanking (ARWU) in the past five years, plus named additions. We have
THE and QS editions 2018-2022 and ARWU 2017-2021 (the last five of each in
the project's ranking files); US News is not available, so the list is marked
incomplete (a university not on it gives "cannot tell", never "not eligible").
Dated additions, removals and aliases are applied on top: those named in the
reference notes (2026-01-20) and those of Nov 2023 - Jan 2025 found in stored
copies of the releases and press reports (2026-11-23).

Usage: scripts/build_ttps_university_list.py RANKINGS_DIR > data/schemes/lists/hk_ttps_universities.toml
"""
import csv
import re
import sys
from collections import defaultdict

LAUNCH = "2022-12-28"
TTPS_URL = "https://www.immd.gov.hk/eng/services/visas/TTPS.html"
LIST_URL = "https://www.immd.gov.hk/pdf/aggregate_list.pdf"

VIA_NOTES = " (via reference notes)"
# Stored copies of the releases and press reports, read on 2026-11-23.
REF_2023_11 = ("https://www.chinadailyhk.com/hk/article/358244 (China Daily HK, 26 Oct 2023: "
               "eight added from 1 Nov 2023; also students.org.hk)")
REF_2024_01 = ("https://topick.hket.com/article/3679292 (HKET, 28 Dec 2023, on the government "
               "release of that day, info.gov.hk P2023122800236: list of 185 from 1 Jan 2024; "
               "also qhchuguo.com/news/view-4615.html)")
REF_2024_11 = ("http://government-world.com/measures-launched-to-enhance-top-talent-pass-scheme-"
               "and-quality-migrant-admission-scheme (copy of the government press release of "
               "1 Nov 2024: 13 added, 198 in all; also bastillepost.com/global/article/4290493)")
REF_2025_01 = ("https://topick.hket.com/article/3878986 (HKET, Dec 2024, on the government "
               "release of 27 Dec 2024: list of 199 from 1 Jan 2025; also hk01.com/社會新聞/1088635)")
HOSPITALITY = "QS hospitality and leisure management top 5"
MAINLAND = "Best Chinese Universities Ranking 11-20"
ART = "QS art and design top 5"

# (name, aliases, from, category or None, reference). The entry's reference is
# "<LIST_URL>; added <from> (<category>): <reference>". An addition replaces a
# ranking entry of the same name.
# Reference notes (/work/shared/reference/schemes.md, research notes dated
# 2026-01-20, section "Eligible-university list"):
NAMED_ADDITIONS = [
    ("Wuhan University", [], "2023-11-01", None, "China Daily HK, 26 Oct 2023" + VIA_NOTES),
    ("Xi'an Jiaotong University", [], "2023-11-01", None, "China Daily HK, 26 Oct 2023" + VIA_NOTES),
    ("Harbin Institute of Technology", [], "2023-11-01", None, "China Daily HK, 26 Oct 2023" + VIA_NOTES),
    ("University of Adelaide", [], "2026-01-01", None, "HKSAR Government press release, 28 Dec 2025" + VIA_NOTES),
    ("University of Vienna", [], "2026-01-01", None, "HKSAR Government press release, 28 Dec 2025" + VIA_NOTES),
    ("Karlsruhe Institute of Technology", [], "2026-01-01", None, "HKSAR Government press release, 28 Dec 2025" + VIA_NOTES),
    ("Politecnico di Milano", [], "2026-01-01", None, "HKSAR Government press release, 28 Dec 2025" + VIA_NOTES),
    ("King Fahd University of Petroleum and Minerals", [], "2026-01-01", None, "HKSAR Government press release, 28 Dec 2025" + VIA_NOTES),
]
# Stored copies of the releases (2026-11-23), 1 Nov 2023 - 1 Jan 2025:
NAMED_ADDITIONS += [
    ("EHL Hospitality Business School", ["Ecole hôtelière de Lausanne", "EHL"], "2023-11-01", HOSPITALITY, REF_2023_11),
    ("Swiss Hotel Management School", ["SHMS"], "2023-11-01", HOSPITALITY, REF_2023_11),
    ("Les Roches Global Hospitality Management Education", ["Les Roches"], "2023-11-01", HOSPITALITY, REF_2023_11),
    ("Glion Institute of Higher Education", [], "2023-11-01", HOSPITALITY, REF_2023_11),
    ("Hotelschool The Hague", [], "2023-11-01", HOSPITALITY, REF_2023_11),
    ("Central South University", [], "2024-01-01", None, REF_2024_01),
    ("Queen Mary University of London", [], "2024-01-01", None, REF_2024_01),
    ("University of Technology Sydney", [], "2024-01-01", None, REF_2024_01),
    ("University of São Paulo", ["Universidade de São Paulo"], "2024-01-01", None, REF_2024_01),
    ("Sichuan University", [], "2024-11-01", MAINLAND, REF_2024_11),
    ("Beihang University", [], "2024-11-01", MAINLAND, REF_2024_11),
    ("Southeast University", [], "2024-11-01", MAINLAND, REF_2024_11),
    ("Beijing Institute of Technology", [], "2024-11-01", MAINLAND, REF_2024_11),
    ("Tongji University", [], "2024-11-01", MAINLAND, REF_2024_11),
    ("Renmin University of China", [], "2024-11-01", MAINLAND, REF_2024_11),
    ("Beijing Normal University", [], "2024-11-01", MAINLAND, REF_2024_11),
    ("Nankai University", [], "2024-11-01", MAINLAND, REF_2024_11),
    ("Tianjin University", [], "2024-11-01", MAINLAND, REF_2024_11),
    ("Royal College of Art", [], "2024-11-01", ART, REF_2024_11),
    ("University of the Arts London", [], "2024-11-01", ART, REF_2024_11),
    ("Parsons School of Design, The New School", ["Parsons School of Design"], "2024-11-01", ART, REF_2024_11),
    ("Rhode Island School of Design", [], "2024-11-01", ART, REF_2024_11),
    ("University of Chinese Academy of Sciences", [], "2025-01-01", None, REF_2025_01),
    ("Pontificia Universidad Católica de Chile", [], "2025-01-01", None, REF_2025_01),
    ("King Saud University", [], "2025-01-01", None, REF_2025_01),
    ("Cesar Ritz Colleges Switzerland", [], "2025-01-01", None, REF_2025_01),
    ("University of Massachusetts", [], "2025-01-01", None, REF_2025_01),
]

# (name, until, reference, note). The reference "removed after <until>:
# <reference>" is appended to the entry's. A name not in the rankings gets a
# new entry from LAUNCH whose reference is LIST_URL followed by the note, if any.
# Reference notes:
NAMED_REMOVALS = [
    ("London School of Hygiene and Tropical Medicine", "2024-12-31", "info.gov.hk, 27 Dec 2024" + VIA_NOTES, None),
    ("University of Paris-Sud", "2024-12-31", "info.gov.hk, 27 Dec 2024" + VIA_NOTES, None),
    ("Ecole Polytechnique", "2025-12-31", "HKSAR Government press release, 28 Dec 2025" + VIA_NOTES, None),
    ("Université Grenoble Alpes", "2025-12-31", "HKSAR Government press release, 28 Dec 2025" + VIA_NOTES, None),
    ("Université Sorbonne Paris Cité (USPC)", "2025-12-31", "HKSAR Government press release, 28 Dec 2025" + VIA_NOTES, None),
    ("University of Freiburg", "2025-12-31", "HKSAR Government press release, 28 Dec 2025" + VIA_NOTES, None),
]
# Stored copies of the releases (2026-11-23). ENS Paris has two ranking
# spellings, both ended.
NAMED_REMOVALS += [
    ("University of Goettingen", "2023-12-31", REF_2024_01, None),
    ("Eindhoven University of Technology", "2023-12-31", REF_2024_01, None),
    ("Mayo Medical School", "2023-12-31", REF_2024_01, None),
    ("Ecole Normale Superieure - Paris", "2024-12-31", REF_2025_01, None),
    ("Ecole Normale Supérieure, Paris", "2024-12-31", REF_2025_01, None),
    ("Radboud University", "2024-12-31", REF_2025_01,
     "on the list until its removal (every later addition is named in the releases, so it was on the launch list)"),
]

# (name of an existing entry, alias): the name a release uses for it.
NAMED_ALIASES = [
    ("Mayo Medical School", "Mayo Clinic Alix School of Medicine"),  # REF_2024_01 removal
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
    for name, aliases, start, category, ref in NAMED_ADDITIONS:
        key = merge_key(name)
        entries.pop(key, None)
        why = f" ({category})" if category else ""
        entries[key] = {"name": name, "aliases": list(aliases), "from": start, "until": None,
                        "reference": f"{LIST_URL}; added {start}{why}: {ref}"}
    for name, until, ref, note in NAMED_REMOVALS:
        key = merge_key(name)
        if key not in entries:
            entries[key] = {"name": name, "aliases": [], "from": LAUNCH, "until": None,
                            "reference": LIST_URL + (f"; {note}" if note else "")}
        elif note:
            sys.exit(f"{name}: removal note given but the name is in the rankings")
        entries[key]["until"] = until
        entries[key]["reference"] += f"; removed after {until}: {ref}"
    for name, alias in NAMED_ALIASES:
        key = merge_key(name)
        if key not in entries:
            sys.exit(f"{name}: alias {alias!r} for a name not on the list")
        if alias not in entries[key]["aliases"]:
            entries[key]["aliases"].append(alias)

    def q(text):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    print("# Generated by scripts/build_ttps_university_list.py; do not edit by hand.")
    print("# An APPROXIMATION of the TTPS aggregate list of eligible universities:")
    print("# top 100 of THE and QS editions 2018-2022 and ARWU 2017-2021 (project files")
    print("# /work/shared/data/rankings, from d2ski/uni-ranks), US News missing, plus the")
    print("# dated named additions/removals kept in the script: those in the reference")
    print("# notes (as of 2026-01-20) and those of 1 Nov 2023, 1 Jan 2024, 1 Nov 2024 and")
    print("# 1 Jan 2025 (and the alias Mayo Clinic Alix School of Medicine) from stored")
    print("# copies of the releases and press reports read on 2026-11-23 (chinadailyhk.com,")
    print("# topick.hket.com, government-world.com), each cited in its entry's reference.")
    print("# Official counts 176 at launch, 184, 185, 198, 199, 200 (2026) agree with them.")
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
