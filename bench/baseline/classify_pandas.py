"""The core classification of spec/flows.md sections 3-4 in pandas: what an
analyst would otherwise write. The same steps as classify.sql (the DuckDB
baseline): users, positions_raw and positions read as text, the raw title
for positions without one, the primary position at both snapshots (side
roles last, then the latest start, then the smallest position_id), classes
and same-company counts. A speed baseline only (bench/baseline/run_pandas.sh);
talentflow's own results are tested against planted truth, not this script.

Usage: python3 classify_pandas.py DATASET_DIR BEFORE AFTER CUTOFF PLACE
(months as YYYY-MM; PLACE a country value, compared case-insensitively).
"""
import sys
import time

import pandas as pd

STRONG_SIDE = r"(?:non[- ]?executive|independent director|非執行|非执行|獨立董事|独立董事)"
SIDE = (r"\b(?:board|trustee|intern|internship|part[- ]time|volunteer)\b|advisor to"
        r"|實習|实习|兼職|兼职|董事會成員|董事会成员|義工|义工")
EXECUTIVE = (r"\b(?:ceo|chief executive|managing director|executive director|general manager)\b"
             r"|執行董事|执行董事|行政總裁|總經理|总经理")


def month_number(text):
    return text.str[:4].astype(int) * 12 + text.str[5:7].astype(int) - 1


def main():
    directory, before, after, cutoff, place = sys.argv[1:6]
    started = time.time()
    read = dict(dtype=str, keep_default_na=False, on_bad_lines="skip")
    users = pd.read_csv(f"{directory}/individual_user.csv", **read)
    users = users[users.user_id != ""].drop_duplicates("user_id")
    raw = pd.read_csv(f"{directory}/individual_positions_raw.csv",
                      usecols=["position_id", "title_raw"], **read)
    raw = raw.drop_duplicates("position_id").rename(columns={"title_raw": "raw_title"})
    pos = pd.read_csv(f"{directory}/individual_positions.csv",
                      usecols=["user_id", "position_id", "country", "title_raw", "rcid",
                               "ultimate_parent_rcid", "startdate", "enddate"], **read)
    pos = pos[(pos.user_id != "") & (pos.position_id != "") & (pos.startdate != "")]
    pos = pos.merge(raw, on="position_id", how="left")
    pos["title"] = pos.title_raw.where(pos.title_raw != "", pos.raw_title.fillna(""))
    pos["s"] = month_number(pos.startdate)
    cutoff_month = int(cutoff[:4]) * 12 + int(cutoff[5:7]) - 1
    pos["e"] = cutoff_month
    has_end = pos.enddate != ""
    pos.loc[has_end, "e"] = month_number(pos.enddate[has_end])
    lower = pos.title.str.lower()
    pos["side"] = lower.str.contains(STRONG_SIDE, regex=True) | (
        lower.str.contains(SIDE, regex=True) & ~lower.str.contains(EXECUTIVE, regex=True))
    pos["country"] = pos.country.str.strip()
    firm = pos.ultimate_parent_rcid.where(pos.ultimate_parent_rcid != "", pos.rcid)
    pos["firm"] = firm.where(firm != "")  # no employer: unknown, as in the SQL
    profile_country = users.set_index("user_id").user_country

    def snapshot(month_text):
        m = int(month_text[:4]) * 12 + int(month_text[5:7]) - 1
        active = pos[(pos.s <= m) & (m <= pos.e)]
        active = active.sort_values(["user_id", "side", "s", "position_id"],
                                    ascending=[True, True, False, True])
        primary = active.drop_duplicates("user_id").set_index("user_id")
        country = primary.country.where(primary.country != "",
                                        primary.index.map(profile_country))
        return pd.DataFrame({"country": country, "firm": primary.firm})

    b = snapshot(before)
    a = snapshot(after)
    people = users[["user_id"]].set_index("user_id")
    people = people.join(b.add_prefix("b_")).join(a.add_prefix("a_"))
    target = place.lower()
    in_b = people.b_country.str.lower() == target
    in_a = people.a_country.str.lower() == target
    known_b = people.b_country.notna()
    known_a = people.a_country.notna()
    cls = pd.Series("outside", index=people.index)
    cls[known_b & known_a & in_a & ~in_b] = "joiner"
    cls[known_b & known_a & in_b & ~in_a] = "leaver"
    cls[known_b & known_a & in_b & in_a] = "stayer"
    cls[~known_a] = "unknown_after"
    cls[~known_b] = "unknown_before"
    cls[~known_b & ~known_a] = "unknown_both"
    company = pd.Series("different", index=people.index)
    company[people.b_firm == people.a_firm] = "same"
    company[people.b_firm.isna() | people.a_firm.isna()] = "unknown"
    for name, n in cls.value_counts().sort_index().items():
        print(f"{name},{n}")
    moved = cls.isin(["stayer", "joiner", "leaver"])
    for (name, comp), n in pd.crosstab(cls[moved], company[moved]).stack().sort_index().items():
        if n:
            print(f"{name},{comp},{n}")
    print(f"pandas_seconds,{time.time() - started:.2f}")


if __name__ == "__main__":
    main()
